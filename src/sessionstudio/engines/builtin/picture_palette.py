"""Colours for the procedural picture: the palette a prompt's time of day, season and
colour words give, and the smooth fills (sky gradients, sun glow) painted with numpy.

Kept apart from the composer so a palette can be checked (and tuned) on its own."""

from dataclasses import dataclass

import numpy as np
from PIL import Image

from . import picture_shapes as sh
from .picture_words import Reading

Colour = tuple[int, int, int]


@dataclass
class Palette:
    sky: tuple[Colour, Colour, Colour]  # top, middle, at the horizon
    ground: tuple[Colour, Colour]       # far, near
    sea: tuple[Colour, Colour]
    mountain: Colour
    light: Colour
    leaf: Colour
    night: bool


_TIMES = {  # sky stops, light, and how the land is lit
    "day": (((62, 128, 212), (118, 172, 230), (200, 226, 244)), (255, 246, 205), 1.0, None),
    "dawn": (((104, 132, 204), (226, 172, 186), (255, 214, 168)), (255, 226, 170), 0.85, (255, 190, 160)),
    "sunset": (((50, 38, 102), (212, 88, 90), (255, 180, 96)), (255, 168, 76), 0.7, (200, 90, 70)),
    "dusk": (((28, 28, 78), (104, 66, 128), (226, 136, 128)), (255, 196, 160), 0.55, (90, 60, 120)),
    "night": (((5, 8, 26), (16, 24, 62), (38, 54, 108)), (244, 240, 222), 0.3, (30, 50, 110)),
}
_SEASONS = {  # ground far, ground near, leaves
    None: ((128, 182, 92), (62, 128, 56), (62, 150, 62)),
    "summer": ((134, 190, 80), (58, 136, 48), (50, 150, 50)),
    "spring": ((150, 206, 110), (86, 160, 70), (110, 190, 90)),
    "autumn": ((190, 150, 80), (130, 86, 44), (214, 112, 38)),
    "winter": ((236, 240, 248), (206, 216, 232), (40, 92, 64)),
    "desert": ((234, 200, 140), (206, 156, 96), (90, 140, 70)),
    "beach": ((238, 218, 168), (218, 188, 132), (60, 160, 70)),
}


def palette_for(r: Reading) -> Palette:
    time = r.time or ("night" if r.has("moon") or r.has("stars") else "day")
    sky, light, lit, tint = _TIMES[time]
    far, near, leaf = _SEASONS[r.season if r.season in _SEASONS else None]
    if r.has("forest") and r.season is None:
        far, near, leaf = (92, 150, 70), (40, 104, 46), (38, 112, 52)
    sea = ((80, 150, 196), (22, 82, 140))
    subj = r.subject("sea")
    if subj and subj.colour:
        sea = (sh.mix(subj.colour, (255, 255, 255), 0.25), sh.shade(subj.colour, 0.6))
    fld = r.subject("field")
    if fld and fld.colour:
        far, near = sh.mix(far, fld.colour, 0.6), sh.mix(near, sh.shade(fld.colour, 0.6), 0.6)
    if tint is not None:  # the land takes the sky's light: darker and tinted away from noon
        ground_lit = max(lit, 0.6) if r.season == "winter" else lit  # snow keeps some light at night
        far, near = (sh.shade(sh.mix(c, tint, 0.3), ground_lit) for c in (far, near))
        leaf = sh.shade(sh.mix(leaf, tint, 0.3), lit)
        sea = (sh.mix(sh.mix(sea[0], sky[1], 0.5), tint, 0.2), sh.shade(sh.mix(sea[1], sky[0], 0.4), lit))
    for c in r.sky_tints:
        sky = tuple(sh.mix(s, c, 0.6 - 0.1 * i) for i, s in enumerate(sky))
        light = sh.mix(light, c, 0.3)
    for c in r.tints:  # leftover colour words colour the whole scene a little
        sky = tuple(sh.mix(s, c, 0.4) for s in sky)
        sea = tuple(sh.mix(s, c, 0.3) for s in sea)
        far = sh.mix(far, c, 0.2)
    mountain = sh.shade(sh.mix((112, 118, 150), sky[0], 0.35), max(lit, 0.45))
    return Palette(sky, (far, near), sea, mountain, light, leaf, time == "night")


def gradient(w: int, h: int, stops, bands: int = 0) -> Image.Image:
    """A vertical gradient through the colour stops; `bands` > 0 steps it (flat style)."""
    t = np.linspace(0.0, 1.0, max(2, h))
    if bands:
        t = np.floor(t * bands) / max(1, bands - 1)
    pos = np.linspace(0.0, 1.0, len(stops))
    col = np.stack([np.interp(t, pos, [s[k] for s in stops]) for k in range(3)], axis=1)
    column = Image.fromarray(col.astype(np.uint8)[:, None, :], "RGB")
    return column.resize((w, h), Image.Resampling.NEAREST)


def glow(img: Image.Image, x, y, radius, colour, strength=0.85):
    """A soft halo around the sun or moon, computed small and scaled up (it is smooth)."""
    w, h = img.size
    sw, sh_ = max(2, w // 8), max(2, h // 8)
    yy, xx = np.mgrid[0:sh_, 0:sw].astype(np.float32)
    d = np.hypot(xx - x / 8, yy - y / 8) / max(1.0, radius / 8)
    a = (np.exp(-d * d) * strength * 255).astype(np.uint8)
    mask = Image.fromarray(a, "L").resize((w, h), Image.Resampling.BILINEAR)
    img.paste(Image.new("RGB", (w, h), tuple(colour)), (0, 0), mask)
