"""The built-in engine's still picture: a procedural scene that follows the prompt.

No model is involved: the prompt's words pick a palette (time of day, season, colour
words), the subjects it names are drawn as vector shapes in a seeded layout, a style
turns the render into a photo, painting, sketch, … and the key words are set as a
caption. Everything is drawn at twice the size and reduced, which is the antialiasing."""

import random

from PIL import Image, ImageEnhance

from sessionstudio.core.errors import StudioError

from .picture_compose import render
from .picture_styles import apply_style, caption, mood_adjust
from .picture_words import read_prompt

ASPECTS = ("1:1", "16:9", "9:16", "4:3", "3:4", "3:2", "2:3", "21:9")
STYLES = ("auto", "photo", "painting", "sketch", "pixel art", "neon", "watercolor", "flat")


def size_for(aspect: str, long_side: int) -> tuple[int, int]:
    """(width, height) for an aspect string, the longer side `long_side`, both multiples of 8."""
    if aspect not in ASPECTS:
        raise StudioError(f"Unknown aspect ratio “{aspect}”. Choose one of: {', '.join(ASPECTS)}.")
    if not 64 <= int(long_side) <= 8192:
        raise StudioError(f"Picture size {long_side} px is out of range: use 64 to 8192 px.")
    a, b = (int(v) for v in aspect.split(":"))
    big, small = int(long_side), int(long_side) * min(a, b) / max(a, b)
    big, small = max(8, round(big / 8) * 8), max(8, round(small / 8) * 8)
    return (big, small) if a >= b else (small, big)


def generate_image(prompt: str, *, aspect: str = "1:1", long_side: int = 1024,
                   style: str = "auto", seed: int) -> Image.Image:
    """A picture (RGB) for the prompt; identical pixels for identical arguments."""
    if style not in STYLES:
        raise StudioError(f"Unknown picture style “{style}”. Choose one of: {', '.join(STYLES)}.")
    w, h = size_for(aspect, long_side)
    reading = read_prompt(prompt or "")
    chosen = style if style != "auto" else (reading.style or "auto")
    if "neon" in reading.modifiers and style == "auto":
        chosen = "neon"
    key = f"{int(seed)}\x1f{prompt.strip().lower()}"
    canvas = render(reading, w * 2, h * 2, key, neon=chosen == "neon", flat=chosen == "flat")
    img = canvas.reduce(2)
    img = mood_adjust(img, reading)
    img = apply_style(img, chosen, random.Random(f"{key}\x1fstyle"))
    if "mono" in reading.modifiers:
        img = ImageEnhance.Color(img).enhance(0.0)
    return caption(img, reading.keywords, chosen)
