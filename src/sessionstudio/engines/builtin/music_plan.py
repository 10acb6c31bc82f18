"""The composer's score: sections, chords and notes, before any sound is made.

A plan is pure data (MusicPlan), so tests can check harmony (a sad piece is in a minor
mode) without listening, and rendering stays a dumb loop over notes. All choices come
from one seeded numpy Generator, so the same recipe always gives the same score.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

import numpy as np

from sessionstudio.engines.builtin.music_lines import write_parts
from sessionstudio.engines.builtin.music_styles import GENRE_SPECS, MODES, MOOD_SPECS

NOTE_NAMES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")


@dataclass(frozen=True)
class Chord:
    start: float           # seconds
    length: float          # seconds
    degree: int            # scale degree, 0 = tonic
    root: int              # MIDI root near the tonic (for bass lines)
    notes: tuple           # MIDI notes as voiced (an inversion), low to high
    quality: str           # major, minor, diminished, augmented (of the triad)
    section: str


@dataclass
class MusicPlan:
    genre: str
    mood: str
    tempo: int
    key: str
    mode: str
    meter: int
    seconds: float
    bar_seconds: float
    n_bars: int
    energy: float          # 0..1, from the mood and prompt
    layers: list           # (instrument, style, role): role is chords/bass/lead/extra/drums...
    sections: list = field(default_factory=list)   # (name, first bar, bars)
    chords: list = field(default_factory=list)     # Chord
    notes: list = field(default_factory=list)      # (instrument, start s, length s, midi, velocity)


def stable_hash(text: str) -> int:
    """A process-independent hash (Python's hash() of str is salted per process)."""
    return zlib.crc32(text.encode("utf-8"))


def _quality(notes: tuple) -> str:
    third, fifth = (notes[1] - notes[0]) % 12, (notes[2] - notes[0]) % 12
    return {(4, 7): "major", (3, 7): "minor", (3, 6): "diminished", (4, 8): "augmented"}.get(
        (third, fifth), "other")


def _sections(n_bars: int, intro_bars: int) -> list[tuple[str, int, int]]:
    """Intro, verse/chorus blocks (8 bars, or 4 in short pieces), a bridge, an outro."""
    intro = min(intro_bars, max(0, (n_bars - 2) // 3))
    outro = 2 if n_bars >= 12 else (1 if n_bars >= 5 else 0)
    body = n_bars - intro - outro
    block = 8 if body >= 24 else 4
    names, order = [], ("verse", "chorus", "verse", "chorus", "bridge", "chorus")
    i, start = 0, intro
    while start < intro + body:
        size = min(block, intro + body - start)
        if intro + body - (start + size) < block // 2:  # a short leftover joins this block
            size = intro + body - start
        names.append((order[i % len(order)], start, size))  # long pieces repeat the cycle
        start, i = start + size, i + 1
    out = [("intro", 0, intro)] if intro else []
    return out + names + ([("outro", n_bars - outro, outro)] if outro else [])


class _Writer:
    """Turns (bar, beat) into seconds with swing and humanising, and collects notes."""

    def __init__(self, plan: MusicPlan, swing: float, unit: float, jitter: float, rng):
        self.plan, self.swing, self.unit, self.jitter, self.rng = plan, swing, unit, jitter, rng
        self.beat = plan.bar_seconds / plan.meter

    def at(self, bar: int, beat: float) -> float:
        pos = beat % (2 * self.unit)
        if abs(pos - self.unit) < 1e-6:  # an off-beat: late by the swing ratio
            beat += (2 * self.swing - 1) * self.unit
        jitter = self.rng.normal(0, self.jitter) if self.jitter else 0.0
        return max(0.0, (bar * self.plan.meter + beat) * self.beat + jitter)

    def add(self, inst: str, bar: int, beat: float, beats: float, midi: int, vel: float) -> None:
        start = self.at(bar, beat)
        self.plan.notes.append((inst, start, max(0.03, beats * self.beat), int(midi),
                                float(np.clip(vel, 0.05, 1.0))))


def _chord(tonic: int, scale: tuple, degree: int, sevenths: bool) -> tuple:
    """Root-position chord tones of a scale degree, stacked in thirds from the scale."""
    size = 4 if sevenths else 3
    return tuple(tonic + scale[(degree + 2 * i) % 7] + 12 * ((degree + 2 * i) // 7)
                 for i in range(size))


def _voice(chord: tuple, previous: tuple | None, center: int = 60) -> tuple:
    """The inversion, within about an octave of `center`, that moves least from the
    previous chord: smooth voice leading, as a pianist would play it."""
    options = []
    for base in range(center - 8, center + 5):
        notes = tuple(sorted(base + (n - base) % 12 for n in chord))
        options.append(notes)
    if previous is None:
        return min(options, key=lambda v: abs(float(np.mean(v)) - center))
    return min(options, key=lambda v: (sum(abs(a - b) for a, b in zip(v, previous)),
                                       abs(float(np.mean(v)) - center)))


def build_plan(genre: str, mood: str, tempo: int, seconds: float, energy: float,
               layers: list, rng: np.random.Generator) -> MusicPlan:
    g, m = GENRE_SPECS[genre], MOOD_SPECS[mood]
    scale = MODES[m.mode]
    key = int(rng.integers(12))
    tonic = 48 + (key + 6) % 12 - 6  # tonic between F#2 and F3
    bar = g.meter * 60.0 / tempo
    # Leave at least a second for the final chord to ring before the end.
    n_bars = max(1, int((seconds - 1.0) / bar))
    plan = MusicPlan(genre, mood, tempo, f"{NOTE_NAMES[key]} {m.mode}", m.mode, g.meter,
                     seconds, bar, n_bars, energy, layers)
    plan.sections = _sections(n_bars, 4 if genre in ("ambient", "cinematic") else 2)
    progs = [m.progressions[i] for i in rng.permutation(len(m.progressions))]
    previous = None
    for name, first, count in plan.sections:
        prog = progs[{"chorus": 1, "bridge": 2}.get(name, 0) % len(progs)]
        for slot, b in enumerate(range(first, first + count, g.bars_per_chord)):
            degree = prog[slot % len(prog)]
            if name == "outro" and b + g.bars_per_chord >= first + count:
                degree = 0  # the outro settles on the tonic
            tones = _chord(tonic, scale, degree, g.sevenths)
            previous = _voice(tones, previous)
            length = min(g.bars_per_chord, first + count - b) * bar
            plan.chords.append(Chord(b * bar, length, degree, tones[0], previous,
                                     _quality(tones), name))
    tones = _chord(tonic, scale, 0, False)
    plan.chords.append(Chord(n_bars * bar, max(0.0, seconds - n_bars * bar), 0, tonic,
                             _voice(tones, previous), _quality(tones), "end"))
    write_parts(plan, _Writer(plan, g.swing, g.swing_unit, g.humanise, rng), tonic, scale, rng)
    plan.notes.sort(key=lambda n: (n[1], n[0], n[3]))
    return plan
