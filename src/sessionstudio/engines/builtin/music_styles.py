"""Style tables for the built-in composer: what each genre, mood and video theme means.

Kept as data so the composer (music.py) stays generic: a genre is an instrument line-up,
a drum pattern, a feel (swing, meter) and a default tempo; a mood is a mode, a set of
chord progressions and an energy level; a theme nudges the other two.
"""

from __future__ import annotations

from dataclasses import dataclass, field

GENRES = ("ambient", "pop", "rock", "electronic", "hip hop", "jazz", "classical", "lo-fi",
          "cinematic", "folk")
MOODS = ("calm", "happy", "sad", "energetic", "dark", "romantic", "epic", "mysterious",
         "uplifting", "tense")

# Semitone steps of each mode from its tonic.
MODES = {
    "major": (0, 2, 4, 5, 7, 9, 11), "minor": (0, 2, 3, 5, 7, 8, 10),
    "dorian": (0, 2, 3, 5, 7, 9, 10), "phrygian": (0, 1, 3, 5, 7, 8, 10),
    "lydian": (0, 2, 4, 6, 7, 9, 11), "mixolydian": (0, 2, 4, 5, 7, 9, 10),
    "harmonic": (0, 2, 3, 5, 7, 8, 11),
}


@dataclass(frozen=True)
class Genre:
    tempo: int
    chords: str            # instrument playing the harmony
    comp: str              # how it plays it: pad, block, power, stabs, rhodes, comp, arp, strum
    bass: str              # bass instrument
    bass_style: str        # whole, drive, pop, offbeat, boom, walking, half, folk
    lead: str              # melody instrument
    drums: dict = field(default_factory=dict)  # drum -> 16-step (12 in 3/4) pattern
    extra: tuple = ()      # extra layers: (instrument, style) e.g. ("bell", "arp")
    meter: int = 4
    swing: float = 0.5     # 0.5 straight; 0.58-0.66 swung
    swing_unit: float = 0.5  # beats: 0.5 swings 8ths, 0.25 swings 16ths
    bars_per_chord: int = 1
    sevenths: bool = False
    reverb: float = 0.25
    lowpass: float = 0.0   # master low-pass in Hz (0 = none)
    humanise: float = 0.008  # seconds of timing jitter
    density: float = 0.55  # melody notes per available slot


# Pattern letters: X accent, x normal, o ghost, . rest.
GENRE_SPECS = {
    "ambient": Genre(72, "pad", "pad", "sub", "whole", "bell", {}, (("bell", "arp"),),
                     bars_per_chord=2, reverb=0.55, humanise=0.0, density=0.3),
    "pop": Genre(108, "piano", "block", "bass", "pop", "lead",
                 {"kick": "X.....x.x.......", "snare": "....X.......X...",
                  "hat": "x.x.x.x.x.x.x.x."}, (("pad", "pad"),), reverb=0.22),
    "rock": Genre(124, "dist", "power", "bass", "drive", "lead",
                  {"kick": "X.....x.X.x.....", "snare": "....X.......X...",
                   "hat": "x.x.x.x.x.x.x.x."}, reverb=0.15, density=0.6),
    "electronic": Genre(124, "synth", "stabs", "sub", "offbeat", "lead",
                        {"kick": "X...X...X...X...", "clap": "....x.......x...",
                         "ohat": "..x...x...x...x.", "hat": "xoxoxoxoxoxoxoxo"},
                        (("synth", "arp16"), ("pad", "pad")), reverb=0.2, humanise=0.0),
    "hip hop": Genre(88, "epiano", "rhodes", "sub", "boom", "bell",
                     {"kick": "X......x..x.....", "snare": "....X.......X...",
                      "hat": "x.xox.x.x.xox.x."}, swing=0.6, swing_unit=0.25,
                     sevenths=True, reverb=0.18, density=0.4),
    "jazz": Genre(132, "epiano", "comp", "upright", "walking", "brass",
                  {"ride": "x...x.x.x...x.x.", "hat": "....x.......x...",
                   "kick": "o.......o.......", "snare": "......o.......o."},
                  swing=0.66, sevenths=True, reverb=0.2, humanise=0.012, density=0.6),
    "classical": Genre(96, "strings", "pad", "strings", "half", "flute", {},
                       (("piano", "alberti"),), meter=3, reverb=0.4, humanise=0.01),
    "lo-fi": Genre(76, "epiano", "rhodes", "bass", "boom", "bell",
                   {"kick": "X.......x.x.....", "snare": "....x.......x...",
                    "hat": "o.x.o.x.o.x.o.x."}, (("crackle", "noise"),), swing=0.58,
                   swing_unit=0.25, sevenths=True, reverb=0.25, lowpass=3800, density=0.35),
    "cinematic": Genre(88, "strings", "pad", "strings", "whole", "brass",
                       {"timpani": "X.......x.....x.", "tom": "........x...x.x."},
                       (("pad", "pad"), ("piano", "arp")), bars_per_chord=2, reverb=0.45),
    "folk": Genre(100, "guitar", "strum", "upright", "folk", "flute",
                  {"kick": "x.......x.......", "shaker": "xoxoxoxoxoxoxoxo",
                   "rim": "....x.......x..."}, reverb=0.2, humanise=0.012),
}
DEFAULT_TEMPO = {g: s.tempo for g, s in GENRE_SPECS.items()}


@dataclass(frozen=True)
class Mood:
    mode: str
    progressions: tuple    # scale degrees (0 = tonic), one chord per slot
    tempo: float           # tempo factor
    energy: float          # 0..1: drum level, density, which layers play
    octave: int = 0        # register shift for harmony and melody


# Progressions are 0-based scale degrees of the mood's mode.
MOOD_SPECS = {
    "calm": Mood("major", ((0, 5, 3, 4), (0, 3, 0, 4), (0, 2, 3, 0)), 0.9, 0.35),
    "happy": Mood("major", ((0, 4, 5, 3), (0, 3, 4, 3), (0, 5, 3, 4)), 1.06, 0.75, 1),
    "sad": Mood("minor", ((0, 5, 2, 6), (0, 3, 5, 4), (0, 6, 5, 6)), 0.85, 0.35, -1),
    "energetic": Mood("mixolydian", ((0, 6, 3, 0), (0, 4, 6, 3)), 1.15, 1.0),
    "dark": Mood("phrygian", ((0, 1, 0, 6), (0, 5, 1, 0)), 0.9, 0.55, -1),
    "romantic": Mood("major", ((0, 5, 1, 4), (3, 4, 2, 5)), 0.9, 0.45),
    "epic": Mood("minor", ((0, 5, 2, 6), (5, 6, 0, 0)), 1.0, 0.95),
    "mysterious": Mood("dorian", ((0, 3, 0, 3), (0, 6, 3, 0), (0, 1, 6, 0)), 0.92, 0.45),
    "uplifting": Mood("major", ((3, 4, 5, 0), (5, 3, 0, 4), (0, 4, 5, 3)), 1.05, 0.8, 1),
    "tense": Mood("harmonic", ((0, 0, 1, 4), (0, 5, 4, 4)), 1.1, 0.7),
}


@dataclass(frozen=True)
class Theme:
    genre: str
    mood: str
    tempo: float
    add: tuple = ()        # extra layers it suggests, as (instrument, style)


THEMES = {
    "travel": Theme("folk", "uplifting", 1.05, (("guitar", "arp"),)),
    "corporate": Theme("pop", "uplifting", 1.0, (("piano", "arp"),)),
    "gaming": Theme("electronic", "energetic", 1.1, (("chip", "arp16"),)),
    "wedding": Theme("classical", "romantic", 0.95, (("bell", "arp"),)),
    "nature": Theme("ambient", "calm", 0.92, (("flute", "melody"),)),
    "sports": Theme("rock", "energetic", 1.12, (("crash", "accent"),)),
    "vlog": Theme("lo-fi", "happy", 1.0),
    "tech": Theme("electronic", "uplifting", 1.0, (("synth", "arp16"),)),
    "fashion": Theme("electronic", "energetic", 1.0),
    "food": Theme("jazz", "happy", 1.0),
    "documentary": Theme("cinematic", "mysterious", 0.95, (("piano", "arp"),)),
    "horror": Theme("cinematic", "tense", 0.9),
    "kids": Theme("pop", "happy", 1.08, (("bell", "arp"),)),
    "holiday": Theme("folk", "happy", 1.05, (("bell", "arp"),)),
    "fitness": Theme("electronic", "energetic", 1.15),
    "romance": Theme("jazz", "romantic", 0.9),
}

# Prompt words -> what they nudge. Instruments add a layer; tempo words scale tempo.
PROMPT_LAYERS = {
    "piano": ("piano", "arp"), "guitar": ("guitar", "arp"), "strings": ("strings", "pad"),
    "violin": ("strings", "pad"), "cello": ("strings", "pad"), "orchestra": ("strings", "pad"),
    "orchestral": ("strings", "pad"), "synth": ("synth", "arp16"), "bells": ("bell", "arp"),
    "bell": ("bell", "arp"), "chimes": ("bell", "arp"), "flute": ("flute", "melody"),
    "brass": ("brass", "melody"), "horns": ("brass", "melody"), "trumpet": ("brass", "melody"),
    "chiptune": ("chip", "arp16"), "8-bit": ("chip", "arp16"), "pad": ("pad", "pad"),
}
PROMPT_TEMPO = {"slow": 0.85, "relaxing": 0.88, "chill": 0.9, "fast": 1.15, "upbeat": 1.1,
                "driving": 1.1, "energetic": 1.1}
PROMPT_MOODS = {
    "calm": "calm", "peaceful": "calm", "relaxing": "calm", "happy": "happy", "joyful": "happy",
    "cheerful": "happy", "sad": "sad", "melancholic": "sad", "melancholy": "sad",
    "energetic": "energetic", "dark": "dark", "romantic": "romantic", "love": "romantic",
    "epic": "epic", "heroic": "epic", "mysterious": "mysterious", "uplifting": "uplifting",
    "inspiring": "uplifting", "tense": "tense", "suspense": "tense", "scary": "tense",
}
PROMPT_GENRES = {
    "ambient": "ambient", "pop": "pop", "rock": "rock", "electronic": "electronic",
    "edm": "electronic", "techno": "electronic", "house": "electronic", "hip-hop": "hip hop",
    "hiphop": "hip hop", "rap": "hip hop", "jazz": "jazz", "classical": "classical",
    "lofi": "lo-fi", "lo-fi": "lo-fi", "cinematic": "cinematic", "film": "cinematic",
    "folk": "folk", "acoustic": "folk", "trailer": "cinematic",
}
# Mood words in the prompt also shift energy, even when a mood was chosen explicitly.
PROMPT_ENERGY = {"calm": -0.15, "sad": -0.1, "epic": 0.2, "energetic": 0.2, "tense": 0.1,
                 "happy": 0.1}
