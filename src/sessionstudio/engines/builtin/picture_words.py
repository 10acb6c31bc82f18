"""Reading a prompt for the procedural picture: which subjects, colours, time of day,
season, mood and style its words ask for.

Plain word lookup, no model: the offline picture only has to follow the words a person
typed, so a "red car" is red and a "starry night" has stars. Kept apart from the drawing
code so the vocabulary can grow without touching geometry."""

import re
from dataclasses import dataclass, field

Colour = tuple[int, int, int]

COLOURS: dict[str, Colour] = {
    "red": (214, 40, 40), "crimson": (180, 20, 50), "scarlet": (230, 40, 30),
    "orange": (245, 130, 30), "amber": (245, 165, 40), "yellow": (250, 212, 50),
    "golden": (236, 178, 52), "gold": (236, 178, 52), "green": (60, 160, 70),
    "emerald": (30, 150, 100), "lime": (160, 220, 60), "olive": (120, 130, 50),
    "blue": (40, 95, 215), "navy": (25, 40, 110), "azure": (60, 140, 240),
    "cyan": (30, 200, 230), "teal": (20, 140, 140), "turquoise": (40, 200, 190),
    "purple": (130, 60, 185), "violet": (140, 80, 220), "lavender": (180, 160, 230),
    "pink": (240, 115, 170), "magenta": (225, 40, 180), "rose": (230, 90, 120),
    "white": (244, 244, 240), "black": (28, 28, 34), "grey": (128, 128, 132),
    "gray": (128, 128, 132), "silver": (190, 194, 200), "brown": (128, 82, 48),
    "beige": (222, 202, 160), "tan": (200, 160, 110), "copper": (190, 110, 60),
}

# Every word that names something we can draw, mapped to the shape that draws it.
SUBJECTS: dict[str, str] = {}
for _kind, _words in {
    "sun": "sun sunny sunshine sunlight", "moon": "moon moonlight moonlit fullmoon",
    "stars": "star stars starry galaxy constellation", "cloud": "cloud clouds cloudy",
    "mountains": "mountain mountains peak peaks alps volcano summit",
    "hills": "hill hills valley countryside", "sea": "sea ocean beach lake coast waves water bay harbour harbor marina port pier",
    "tree": "tree trees oak garden park", "palm": "palm palms tropical island",
    "forest": "forest woods woodland pine pines jungle",
    "city": "city skyline buildings building skyscraper skyscrapers town downtown metropolis",
    "house": "house houses home cottage cabin hut farmhouse village",
    "person": "person man woman girl boy people child kid figure hiker traveler traveller",
    "face": "face portrait selfie", "cat": "cat cats kitten kitty",
    "dog": "dog dogs puppy puppies", "bird": "bird birds seagull seagulls gull gulls eagle crow",
    "flower": "flower flowers rose roses tulip tulips daisy daisies bloom blossom sunflower sunflowers",
    "field": "meadow field fields grass lawn prairie farmland",
    "car": "car cars truck taxi vehicle", "boat": "boat boats ship sailboat yacht sail ferry",
    "road": "road street highway",
}.items():
    for _w in _words.split():
        SUBJECTS[_w] = _kind
SUBJECTS["rose"] = "flower"  # also a colour: as a noun it is a flower (see _colour_of)

PLURALS = {"sunflowers", "trees", "mountains", "peaks", "stars", "buildings", "flowers", "roses", "tulips",
           "daisies", "birds", "seagulls", "gulls", "clouds", "cars", "boats", "people",
           "cats", "dogs", "puppies", "houses", "hills", "palms", "pines", "skyscrapers"}
NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "pair": 2,
           "couple": 2, "several": 3, "some": 3, "many": 6, "lots": 6, "few": 3}
TIMES = {"night": "night", "midnight": "night", "nighttime": "night", "evening": "dusk",
         "dusk": "dusk", "twilight": "dusk", "sunset": "sunset", "sundown": "sunset",
         "goldenhour": "sunset", "sunrise": "dawn", "dawn": "dawn", "morning": "dawn",
         "noon": "day", "day": "day", "daytime": "day", "afternoon": "day", "moonlit": "night",
         "starry": "night", "galaxy": "night"}
SEASONS = {"autumn": "autumn", "fall": "autumn", "autumnal": "autumn", "winter": "winter",
           "snow": "winter", "snowy": "winter", "frozen": "winter", "icy": "winter",
           "spring": "spring", "summer": "summer", "desert": "desert", "dune": "desert",
           "dunes": "desert", "sand": "desert", "sandy": "desert"}
MOODS = {w: m for m, ws in {
    "calm": "calm peaceful serene quiet tranquil gentle soft relaxing cozy cosy",
    "dramatic": "dramatic epic stormy storm thunder thunderstorm intense powerful",
    "mysterious": "mysterious foggy fog misty mist haze hazy eerie spooky",
    "happy": "happy cheerful joyful bright sunny fun playful vibrant colorful colourful",
    "sad": "sad gloomy melancholy lonely rainy rain grey gray bleak",
    "dreamy": "dreamy magical fantasy ethereal fairy whimsical",
}.items() for w in ws.split()}
MODIFIERS = {"pastel": "pastel", "neon": "neon", "golden": "golden", "gold": "golden",
             "goldenhour": "golden", "dark": "dark", "vivid": "vivid", "muted": "muted",
             "monochrome": "mono", "rain": "rain", "rainy": "rain", "storm": "rain",
             "stormy": "rain", "snow": "snow", "snowy": "snow", "snowing": "snow"}
STYLE_WORDS = {"photo": "photo", "photograph": "photo", "photographic": "photo",
               "realistic": "photo", "photorealistic": "photo", "painting": "painting",
               "painted": "painting", "impressionist": "painting", "sketch": "sketch",
               "drawing": "sketch", "pencil": "sketch", "charcoal": "sketch",
               "pixelart": "pixel art", "pixel": "pixel art", "retro": "pixel art",
               "neon": "neon", "cyberpunk": "neon", "synthwave": "neon", "vaporwave": "neon",
               "watercolor": "watercolor", "watercolour": "watercolor", "flat": "flat",
               "minimal": "flat", "minimalist": "flat", "vector": "flat"}
SKY_WORDS = {"sky", "skies", "sunset", "sunrise", "dawn", "dusk", "night", "evening",
             "twilight", "goldenhour", "light", "glow", "horizon"}
SHADES = {"dark": 0.6, "deep": 0.7, "light": 1.35, "pale": 1.45, "bright": 1.2}
# Phrases read as one word before splitting.
PHRASES = {"black and white": "monochrome", "golden hour": "goldenhour", "pixel art": "pixelart",
           "8-bit": "pixelart", "8 bit": "pixelart", "oil painting": "painting",
           "full moon": "fullmoon", "palm tree": "palm", "palm trees": "palms",
           "light blue": "lightblue", "night sky": "night sky"}
STOP = set("""a an the of with and in on at by for to from over under into onto near
above below behind beside between is are was be very some my our your his her their its
this that these those it as or but just like style art image picture photo of lots""".split())


_GENDER = {w: "feminine" for w in ("woman", "girl", "lady", "mother", "queen", "princess")}
_GENDER.update({w: "masculine" for w in ("man", "boy", "guy", "father", "king", "prince")})


@dataclass
class Subject:
    kind: str
    count: int = 1
    colour: Colour | None = None
    genders: list[str | None] = field(default_factory=list)  # people only, in order named


@dataclass
class Reading:
    """What a prompt asks for, in the words the composer understands."""
    subjects: list[Subject] = field(default_factory=list)
    sky_tints: list[Colour] = field(default_factory=list)
    tints: list[Colour] = field(default_factory=list)
    time: str | None = None
    season: str | None = None
    moods: set[str] = field(default_factory=set)
    modifiers: set[str] = field(default_factory=set)
    style: str | None = None
    keywords: list[str] = field(default_factory=list)

    def has(self, kind: str) -> bool:
        return any(s.kind == kind for s in self.subjects)

    def subject(self, kind: str) -> Subject | None:
        return next((s for s in self.subjects if s.kind == kind), None)


def _shade(c: Colour, f: float) -> Colour:
    if f >= 1:
        return tuple(int(v + (255 - v) * (f - 1) / f * 1.2) for v in c)
    return tuple(int(v * f) for v in c)


def _colour_of(tokens: list[str], i: int) -> Colour | None:
    """The colour token i names (with a dark/light shade before it), or None.
    'rose' is a colour only when another noun follows it ("rose garden" stays a flower)."""
    w = tokens[i]
    if w == "lightblue":
        return (120, 180, 240)
    if w not in COLOURS or (w == "rose" and (i + 1 >= len(tokens) or tokens[i + 1] in STOP)):
        return None
    c = COLOURS[w]
    if i > 0 and tokens[i - 1] in SHADES:
        c = _shade(c, SHADES[tokens[i - 1]])
    return c


def tokenize(prompt: str) -> list[str]:
    text = prompt.lower()
    for phrase, word in PHRASES.items():
        text = text.replace(phrase, word)
    return re.findall(r"[a-z0-9]+(?:-[a-z]+)?", text)


def read_prompt(prompt: str) -> Reading:
    tokens = tokenize(prompt)
    r = Reading()
    pending: Colour | None = None
    pending_age = 0
    count: int | None = None
    seen: set[str] = set()
    for i, w in enumerate(tokens):
        colour = _colour_of(tokens, i)
        if colour is not None:
            if pending is not None:
                r.tints.append(pending)
            pending, pending_age = colour, 0
            if w in ("golden", "gold"):
                r.modifiers.add("golden")
            continue
        if w.isdigit():
            count = max(1, min(int(w), 8))
        elif w in NUMBERS:
            count = NUMBERS[w]
        kind = SUBJECTS.get(w) or (SUBJECTS.get(w[:-1]) if w.endswith("s") and len(w) > 3 else None)
        if w.startswith("sunflower") and pending is None:
            pending = COLOURS["yellow"]
        if w in TIMES:
            r.time = r.time or TIMES[w]
        if w in SEASONS:
            r.season = r.season or SEASONS[w]
        if w in MOODS:
            r.moods.add(MOODS[w])
        if w in MODIFIERS and not (w == "dark" and i + 1 < len(tokens)
                                   and _colour_of(tokens, i + 1)):
            r.modifiers.add(MODIFIERS[w])
        if w in STYLE_WORDS and r.style is None:
            r.style = STYLE_WORDS[w]
        if w in ("sunset", "sunrise", "goldenhour", "dawn", "sundown"):
            kind = kind or "sun"
        if w in ("woman", "girl", "lady", "she", "her", "mother", "queen", "princess"):
            r.modifiers.add("feminine")
        if w in ("man", "boy", "guy", "he", "his", "father", "king", "prince"):
            r.modifiers.add("masculine")
        if w == "fullmoon":
            r.modifiers.add("fullmoon")
        if w in ("beach", "coast", "island"):
            r.season = r.season or "beach"
        if kind:
            n = count or (3 if w in PLURALS or w not in SUBJECTS else 1)  # an unlisted -s form is a plural
            existing = r.subject(kind)
            if existing and w not in seen:  # "a man and a woman": two people
                existing.count += n
                existing.colour = existing.colour or pending
            elif not existing:
                existing = Subject(kind, n, pending)
                r.subjects.append(existing)
            if kind == "person" and w not in seen:
                existing.genders += [_GENDER.get(w)] * n
            seen.add(w)
            pending, count = None, None
            continue
        if pending is not None and (w in SKY_WORDS or w in TIMES):
            r.sky_tints.append(pending)
            pending = None
            continue
        if pending is not None:
            pending_age += 1
            if pending_age > 2:  # "red ... car": colour binds across at most two words
                r.tints.append(pending)
                pending = None
    if pending is not None:
        r.tints.append(pending)
    r.keywords = keywords(prompt)
    return r


def keywords(prompt: str, limit: int = 6) -> list[str]:
    """The words worth setting as type: no stop words, no repeats, in prompt order."""
    out: list[str] = []
    for w in re.findall(r"[A-Za-z0-9][A-Za-z0-9'-]*", prompt):
        lw = w.lower()
        if lw in STOP or len(lw) < 2 and not lw.isdigit() or lw in (o.lower() for o in out):
            continue
        out.append(w)
        if len(out) == limit:
            break
    return out
