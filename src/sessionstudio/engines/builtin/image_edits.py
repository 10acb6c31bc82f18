"""Editing a picture by a plain-language instruction: "brighter and crop to 16:9".

`parse_instruction` turns the sentence into a list of `Edit`s (so the recipe can record
them and the video editor can apply the same list to every frame); `apply_edits` runs
them in order on a copy; `describe` says back what was understood. Anything the parser
cannot read is reported with the list of phrases it does know, never silently guessed."""

import re
from dataclasses import dataclass

from PIL import Image

from sessionstudio.core.errors import StudioError

from .image_edit_ops import COLOURS, apply_one


@dataclass(frozen=True)
class Edit:
    op: str
    amount: float | None = None
    arg: str | None = None


UNDERSTOOD: tuple[str, ...] = (
    "brighter", "darker", "a bit brighter", "much darker", "brighter by 20%",
    "more contrast", "less contrast", "more saturated", "less saturated", "more vivid", "muted",
    "warmer", "cooler", "black and white", "grayscale", "sepia", "blur", "soften", "sharpen",
    "crop to 16:9", "crop to square", "rotate 90", "rotate left", "rotate right", "upside down",
    "flip horizontally", "flip vertically", "mirror", "blue background",
    "make the background white", "like a painting", "like a sketch", "pixel art",
)

# Defaults for "brighter" etc.; "a bit" halves them, "much" doubles them, "by 20%" sets them.
_BASE = {"brightness": 0.25, "contrast": 0.3, "saturation": 0.4, "temperature": 0.5, "blur": 1.0, "sharpen": 1.0}
_LITTLE = r"\b(a bit|a little|slightly|a touch|somewhat|a tad|little)\b"
_LOTS = r"\b(much|a lot|lots|very|way|really|significantly|far|strongly|heavily|extremely)\b"
_ASPECT_WORDS = {"square": "1:1", "widescreen": "16:9", "wide": "16:9", "cinematic": "21:9",
                 "portrait": "3:4", "landscape": "4:3", "vertical": "9:16", "story": "9:16"}

# (pattern, op, sign or fixed arg); first match in a clause wins, so order matters.
_RULES: list[tuple[str, str, object]] = [
    (r"\b(black\s*(and|&|n)\s*white|b\s*&\s*w|gr[ae]y\s*scale|monochrome|desaturate|no colou?r)\b", "grayscale", None),
    (r"\bsepia|vintage|old photo\b", "sepia", None),
    (r"\bpixel(ated|ate)?\b|\b8.?bit\b", "pixel", None),
    (r"\b(painting|painted|oil paint|painterly)\b", "painting", None),
    (r"\b(sketch|pencil|drawing|drawn)\b", "sketch", None),
    (r"\bbackground\b|\bbackdrop\b", "background", None),
    (r"\bcrop|\btrim\b|\bsquare\b|\baspect\b", "crop", None),
    (r"\brotat|\bturn\b.*\b(left|right|90|180|270|clockwise|around)\b|\bupside.?down\b", "rotate", None),
    (r"\bflip|\bmirror", "flip", None),
    (r"\b(sharpen|sharper|crisper|crisp)\b", "sharpen", 1),
    (r"\b(unsharpen|blur|blurr?ed|blurry|soften|softer|smooth)\b", "blur", 1),
    (r"\b(less|lower|reduce|decrease)\b.*\bcontrast\b|\bflatter\b", "contrast", -1),
    (r"\bcontrast\b|\bpunchier|\bpunchy\b", "contrast", 1),
    (r"\b(less|lower|reduce|decrease)\b.*\b(saturat|vivid|colou?rful|vibran)|\bmuted\b|\bdull|\bwashed",
     "saturation", -1),
    (r"\b(saturat|vivid|colou?rful|vibran|pop\b|richer colou?rs?)", "saturation", 1),
    (r"\b(warmer|warm\b|golden|sunnier)", "temperature", 1),
    (r"\b(cooler|cool\b|colder|cold\b|bluer|icy)", "temperature", -1),
    (r"\b(darker|darken|dimmer|dim\b|dark\b|moodier|less bright|underexpose)", "brightness", -1),
    (r"\b(brighter|brighten|lighter|lighten|light up|more light|bright\b|overexpose|less dark)", "brightness", 1),
]
_SPLIT = re.compile(r"\s*(?:,|;|\.|\band then\b|\bthen\b|\band also\b|\balso\b|\bplus\b|\band\b|&)\s*")
_FILLER = re.compile(r"^(please|pls|make|it|the|image|picture|photo|a|bit|more|just|can you|could you|"
                     r"make it|turn it|little|now|also|too|so|some|\s)*$")


def _amount(clause: str, op: str, sign: int) -> float:
    base = _BASE[op]
    pct = re.search(r"(\d+(?:\.\d+)?)\s*(%|percent)", clause)
    if pct:
        base = float(pct.group(1)) / 100
    elif re.search(_LITTLE, clause):
        base /= 2
    elif re.search(_LOTS, clause):
        base *= 2
    return round(sign * base, 4)


def _colour_in(clause: str) -> str | None:
    hexm = re.search(r"#[0-9a-fA-F]{6}\b", clause)
    if hexm:
        return hexm.group(0).lower()
    words = re.findall(r"[a-z]+", clause)
    for a, b in zip(words, words[1:]):  # two-word colours first: "light blue"
        if f"{a} {b}" in COLOURS:
            return f"{a} {b}"
    return next((w for w in words if w in COLOURS), None)


def _parse_clause(clause: str) -> Edit | None:
    for pattern, op, sign in _RULES:
        if not re.search(pattern, clause):
            continue
        if op in _BASE:
            return Edit(op, _amount(clause, op, sign))
        if op == "background":
            colour = _colour_in(clause.replace("background", " "))
            if colour is None:
                return None
            return Edit("background", arg=colour)
        if op == "crop":
            m = re.search(r"(\d+)\s*[:x/×]\s*(\d+)", clause)
            if m and int(m.group(1)) > 0 and int(m.group(2)) > 0:
                return Edit("crop", arg=f"{int(m.group(1))}:{int(m.group(2))}")
            word = next((v for k, v in _ASPECT_WORDS.items() if re.search(rf"\b{k}\b", clause)), None)
            return Edit("crop", arg=word) if word else None
        if op == "rotate":
            if re.search(r"\b180\b|upside.?down|\baround\b", clause):
                return Edit("rotate", 180)
            if re.search(r"\b270\b|\bleft\b|counter.?clockwise|anti.?clockwise", clause):
                return Edit("rotate", 270)
            if re.search(r"\b90\b|\bright\b|clockwise|\brotate\b", clause):
                return Edit("rotate", 90)
            return None
        if op == "flip":
            vertical = re.search(r"vertical|upside|top.?to.?bottom|up.?down", clause)
            return Edit("flip", arg="vertical" if vertical else "horizontal")
        return Edit(op)
    return None


def parse_with_leftovers(text: str) -> tuple[list[Edit], list[str]]:
    """The edits understood, and the parts of the sentence that were not."""
    low = text.lower().strip()
    low = re.sub(r"black\s*(and|&|n)\s*white", "grayscale", low)  # keep its "and" from splitting
    edits, leftovers = [], []
    for clause in _SPLIT.split(low):
        if not clause or _FILLER.match(clause):
            continue
        edit = _parse_clause(clause)
        if edit is None:
            leftovers.append(clause)
        else:
            edits.append(edit)
    return edits, leftovers


def parse_instruction(text: str) -> list[Edit]:
    """Edits for a sentence; StudioError (listing what is understood) if none are found."""
    edits, leftovers = parse_with_leftovers(text or "")
    if not edits:
        what = "; ".join(f"“{x}”" for x in leftovers) or "an empty instruction"
        raise StudioError(f"The built-in editor did not understand {what}. It understands: "
                          + ", ".join(UNDERSTOOD) + " (several at once, joined by “and”, commas or “then”).")
    return edits


def apply_edits(img: Image.Image, edits: list[Edit]) -> Image.Image:
    """A new image with the edits applied in order; the input is never changed."""
    alpha = "A" in img.getbands() or "transparency" in img.info
    out = img.copy() if img.mode in ("RGB", "RGBA") else img.convert("RGBA" if alpha else "RGB")
    for edit in edits:
        out = apply_one(out, edit.op, edit.amount, edit.arg)
    return out


_WORDS = {"grayscale": "black and white", "sepia": "sepia", "painting": "painting look",
          "sketch": "sketch look", "pixel": "pixel art", "sharpen": "sharpened", "blur": "blurred"}
_SIGNED = {"brightness": ("brighter", "darker"), "contrast": ("more contrast", "less contrast"),
           "saturation": ("more saturated", "less saturated"), "temperature": ("warmer", "cooler")}


def describe(edits: list[Edit]) -> str:
    """A short summary like "brighter, sepia, cropped to 16:9"."""
    parts = []
    for e in edits:
        if e.op in _SIGNED:
            word = _SIGNED[e.op][0 if (e.amount or 0) >= 0 else 1]
            base = _BASE[e.op]
            amt = abs(e.amount or base)
            ratio = amt / base
            named = {1.0: word, 0.5: f"slightly {word}", 2.0: f"much {word}"}.get(round(ratio, 3))
            parts.append(named or f"{word} by {round(amt * 100)}%")
        elif e.op == "crop":
            parts.append(f"cropped to {e.arg}")
        elif e.op == "rotate":
            parts.append({90: "rotated right", 180: "rotated 180°", 270: "rotated left"}.get(int(e.amount or 90)))
        elif e.op == "flip":
            parts.append(f"flipped {'vertically' if e.arg == 'vertical' else 'horizontally'}")
        elif e.op == "background":
            parts.append(f"{e.arg} background")
        elif e.op in ("blur", "sharpen") and e.amount not in (None, 1, 1.0):
            parts.append(("slightly " if abs(e.amount) < 1 else "strongly ") + _WORDS[e.op])
        else:
            parts.append(_WORDS.get(e.op, e.op))
    return ", ".join(parts)
