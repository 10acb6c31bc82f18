"""Pictures of people for the built-in engine: upscaling, a stylised avatar badge from any
image, and a generated face whose mouth can move (the speaking avatar's video frames).

The face is drawn once per seed into a cached base; a frame only redraws the small mouth
patch, so a talking-head video costs a copy and a few ellipses per frame."""

import random

import numpy as np
from PIL import Image, ImageDraw, ImageEnhance, ImageFilter, ImageOps

from sessionstudio.core.errors import StudioError

AVATAR_STYLES = ("cartoon", "posterised", "outline")
MAX_SIDE = 16384
_LANCZOS = Image.Resampling.LANCZOS


def upscale_image(img: Image.Image, factor: int) -> Image.Image:
    """`factor` times larger (2 or 4): Lanczos, then an unsharp mask to restore crispness."""
    if factor not in (2, 4):
        raise StudioError(f"Upscale by 2× or 4×, not {factor}×.")
    w, h = img.size
    if max(w, h) * factor > MAX_SIDE:
        raise StudioError(f"Upscaling {w}×{h} by {factor}× would make {w * factor}×{h * factor} px; "
                          f"the limit is {MAX_SIDE} px on a side. Try 2× or a smaller image.")
    alpha = "A" in img.getbands() or "transparency" in img.info
    src = img if img.mode in ("RGB", "RGBA") else img.convert("RGBA" if alpha else "RGB")
    big = src.resize((w * factor, h * factor), _LANCZOS)
    return big.filter(ImageFilter.UnsharpMask(radius=1.2 * factor, percent=70, threshold=2))


# --- avatar -------------------------------------------------------------------------

def _salient_square(img: Image.Image, rng: random.Random) -> tuple[int, int, int, int]:
    """The square (3/4 of the short side) with the most edge energy, favouring the centre."""
    w, h = img.size
    scale = 128 / max(w, h)
    sw, sh = max(8, int(w * scale)), max(8, int(h * scale))
    small = img.convert("L").resize((sw, sh), Image.Resampling.BOX)
    e = np.asarray(small.filter(ImageFilter.FIND_EDGES), dtype=np.float64)
    yy, xx = np.mgrid[0:sh, 0:sw]
    e *= np.exp(-(((xx - sw / 2) / sw) ** 2 + ((yy - sh / 2) / sh) ** 2) * 3) + 0.05
    side = max(4, int(min(sw, sh) * 0.75))
    ii = np.pad(e.cumsum(0).cumsum(1), ((1, 0), (1, 0)))
    sums = ii[side:, side:] - ii[:-side, side:] - ii[side:, :-side] + ii[:-side, :-side]
    y, x = np.unravel_index(int(np.argmax(sums)), sums.shape)
    x = min(max(0, x + rng.randint(-1, 1)), sw - side)  # the seed nudges the framing a little
    s = side / scale
    x0, y0 = min(w - s, x / scale), min(h - s, y / scale)
    return int(x0), int(y0), int(x0 + s), int(y0 + s)


def _edges(img: Image.Image, strength: float) -> Image.Image:
    """Ink (L, 255 = line) along the image's strongest colour edges: per-channel edge
    magnitude after median smoothing (grain and brush strokes are texture, not
    outlines), thresholded at a percentile so busy and flat pictures both get a readable
    amount of line, with a floor so faint texture never becomes ink."""
    soft = img.filter(ImageFilter.MedianFilter(5)).filter(ImageFilter.MedianFilter(5))
    soft = soft.filter(ImageFilter.GaussianBlur(1.2))
    e = np.max(np.stack([np.asarray(c.filter(ImageFilter.FIND_EDGES), dtype=np.float32)
                         for c in soft.split()[:3]]), axis=0)
    e[:2, :] = e[-2:, :] = e[:, :2] = e[:, -2:] = 0  # FIND_EDGES invents lines at the frame
    t = max(22.0, float(np.percentile(e, 100 - strength)))
    ink = np.clip((e - t * 0.7) / (t * 0.6) * 255, 0, 255).astype(np.uint8)
    return Image.fromarray(ink, "L").filter(ImageFilter.MaxFilter(3)).filter(ImageFilter.GaussianBlur(0.7))


def _stylise(face: Image.Image, style: str) -> Image.Image:
    if style == "cartoon":
        smooth = face.filter(ImageFilter.MedianFilter(5)).filter(ImageFilter.MedianFilter(5))
        flat = smooth.quantize(16, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE).convert("RGB")
        flat = ImageEnhance.Color(flat).enhance(1.3)
        ink = _edges(smooth, 9)
        return Image.composite(Image.new("RGB", face.size, (28, 24, 30)), flat, ink)
    if style == "posterised":
        vivid = ImageEnhance.Contrast(ImageEnhance.Color(face).enhance(1.8)).enhance(1.2)
        return ImageOps.posterize(vivid, 3)
    ink = _edges(face, 13)
    return Image.composite(Image.new("RGB", face.size, (34, 34, 44)), Image.new("RGB", face.size, "white"), ink)


def _badge_colour(img: Image.Image, seed: int) -> tuple[int, int, int]:
    """The image's main colour, lightened and saturated so the badge matches the picture."""
    pal = img.resize((32, 32), Image.Resampling.BOX).quantize(4).convert("RGB")
    counts = sorted(pal.getcolors(64), reverse=True)
    base = counts[seed % min(2, len(counts))][1]
    swatch = ImageEnhance.Color(Image.new("RGB", (1, 1), base)).enhance(1.6)
    r, g, b = swatch.getpixel((0, 0))
    return tuple(int(v * 0.6 + 255 * 0.4) for v in (r, g, b))


def avatar_image(img: Image.Image, *, style: str = "cartoon", seed: int) -> Image.Image:
    """A 512 px round badge (RGBA, transparent corners) of the image's most salient square."""
    if style not in AVATAR_STYLES:
        raise StudioError(f"Unknown avatar style “{style}”. Choose one of: {', '.join(AVATAR_STYLES)}.")
    rgb = img.convert("RGBA")
    rgb = Image.alpha_composite(Image.new("RGBA", rgb.size, "white"), rgb).convert("RGB")
    rng = random.Random(seed)
    inner = 448
    face = rgb.crop(_salient_square(rgb, rng)).resize((inner, inner), _LANCZOS)
    art = _stylise(face, style)
    colour = _badge_colour(rgb, seed)
    big = 2048  # masks drawn at 4x and reduced: smooth circle edges
    out = Image.new("RGBA", (512, 512), (0, 0, 0, 0))
    disc = Image.new("L", (big, big), 0)
    ImageDraw.Draw(disc).ellipse((8, 8, big - 8, big - 8), fill=255)
    out.paste(Image.new("RGBA", (512, 512), colour + (255,)), (0, 0), disc.resize((512, 512), _LANCZOS))
    ring = Image.new("L", (big, big), 0)
    ImageDraw.Draw(ring).ellipse((224, 224, big - 224, big - 224), fill=255)
    pic = Image.new("L", (big, big), 0)
    ImageDraw.Draw(pic).ellipse((256, 256, big - 256, big - 256), fill=255)
    out.paste(Image.new("RGBA", (512, 512), (255, 255, 255, 255)), (0, 0), ring.resize((512, 512), _LANCZOS))
    out.paste(art, (32, 32), pic.resize((512, 512), _LANCZOS).crop((32, 32, 480, 480)))
    return out


# --- generated face -----------------------------------------------------------------

_MOUTH = (0.39, 0.6, 0.61, 0.72)  # the mouth patch, as fractions of the frame
_SKIN = [(255, 219, 190), (240, 196, 160), (214, 160, 120), (170, 115, 80), (120, 80, 55), (86, 58, 40)]
_HAIR = [(30, 24, 22), (70, 44, 28), (120, 76, 40), (200, 150, 80), (230, 200, 130), (160, 50, 30),
         (110, 110, 118), (60, 70, 160)]


def mouth_box(size: int) -> tuple[int, int, int, int]:
    """Where the mouth is in a FaceRig frame of this size: only these pixels move."""
    return tuple(int(round(f * size)) for f in _MOUTH)


class _Traits:
    def __init__(self, seed: int, hair: str | None = None):
        r = random.Random(f"face:{seed}")
        self.skin, self.hair = r.choice(_SKIN), r.choice(_HAIR)
        styles = {"long": ("long", "bun"), "short": ("short", "curly", "side")}.get(hair or "")
        self.hair_style = r.choice(styles or ("short", "long", "bun", "curly", "side"))
        self.eye = r.choice([(70, 110, 160), (90, 60, 40), (60, 120, 80), (50, 40, 35), (110, 140, 150)])
        self.hw, self.hh = r.uniform(0.2, 0.235), r.uniform(0.25, 0.275)
        self.eye_gap, self.eye_r = r.uniform(0.085, 0.1), r.uniform(0.026, 0.034)
        self.brow_tilt, self.brow_w = r.uniform(-0.012, 0.014), r.uniform(0.008, 0.016)
        self.shirt = r.choice([(200, 60, 60), (50, 100, 180), (60, 140, 100), (230, 180, 60), (120, 70, 160),
                               (40, 40, 48), (235, 235, 230)])
        self.bg = r.choice([(180, 210, 235), (240, 200, 180), (200, 230, 200), (230, 220, 250), (250, 230, 170)])
        self.glasses = r.random() < 0.25
        self.parting = r.choice((-1, 1)) * r.uniform(0.2, 0.6)
        self.blush = r.random() < 0.6
        self.lips = tuple(int(c * 0.75 + d * 0.25) for c, d in zip(self.skin, (200, 60, 80)))


def _shade(c, f):
    return tuple(max(0, min(255, int(v * f))) for v in c)


def _draw_face(d: ImageDraw.ImageDraw, S: float, t: _Traits):
    """Head and shoulders (no mouth) in a square of side S."""
    P = lambda *v: tuple(x * S for x in v)  # noqa: E731 - fractions to pixels
    cx, cy = 0.5, 0.47
    hair, skin = t.hair, t.skin
    if t.hair_style == "long":  # the back of long hair, behind head and shoulders
        d.rounded_rectangle(P(cx - t.hw * 1.3, cy - t.hh * 1.02, cx + t.hw * 1.3, cy + t.hh + 0.13),
                            radius=0.13 * S, fill=_shade(hair, 0.85))
    d.rounded_rectangle(P(0.12, 0.83, 0.88, 1.2), radius=0.16 * S, fill=t.shirt)
    d.rectangle(P(cx - 0.07, cy + t.hh - 0.08, cx + 0.07, 0.88), fill=_shade(skin, 0.88))
    d.polygon([P(cx - 0.09, 0.83), P(cx, 0.9), P(cx + 0.09, 0.83)], fill=_shade(skin, 0.88))
    for s in (-1, 1):
        d.ellipse(P(cx + s * t.hw - 0.035, cy - 0.02, cx + s * t.hw + 0.035, cy + 0.08), fill=_shade(skin, 0.95))
    d.ellipse(P(cx - t.hw, cy - t.hh, cx + t.hw, cy + t.hh), fill=skin)
    _hair_cap(d, P, t, cx, cy)
    ey = cy + 0.005
    for s in (-1, 1):
        ex = cx + s * t.eye_gap
        d.ellipse(P(ex - t.eye_r * 1.5, ey - t.eye_r, ex + t.eye_r * 1.5, ey + t.eye_r), fill=(250, 250, 248))
        d.ellipse(P(ex - t.eye_r * 0.85, ey - t.eye_r * 0.9, ex + t.eye_r * 0.85, ey + t.eye_r * 0.9), fill=t.eye)
        d.ellipse(P(ex - t.eye_r * 0.42, ey - t.eye_r * 0.45, ex + t.eye_r * 0.42, ey + t.eye_r * 0.45),
                  fill=(15, 12, 12))
        d.ellipse(P(ex + t.eye_r * 0.1, ey - t.eye_r * 0.55, ex + t.eye_r * 0.45, ey - t.eye_r * 0.2), fill="white")
        d.arc(P(ex - t.eye_r * 1.5, ey - t.eye_r * 1.05, ex + t.eye_r * 1.5, ey + t.eye_r * 1.0), 195, 345,
              fill=_shade(skin, 0.45), width=max(1, int(0.007 * S)))
        by = ey - t.eye_r - 0.035
        d.line([P(ex - s * 0.04, by + t.brow_tilt), P(ex + s * 0.005, by - 0.012), P(ex + s * 0.045, by - t.brow_tilt)],
               fill=_shade(hair, 0.8), width=max(1, int(t.brow_w * S)), joint="curve")
        if t.blush:
            d.ellipse(P(ex + s * 0.02 - 0.035, ey + 0.07, ex + s * 0.02 + 0.035, ey + 0.1),
                      fill=tuple(int(c * 0.85 + e * 0.15) for c, e in zip(skin, (255, 80, 90))))
        if t.glasses:
            d.ellipse(P(ex - 0.05, ey - 0.04, ex + 0.05, ey + 0.04), outline=(40, 40, 46), width=max(1, int(0.008 * S)))
    if t.glasses:
        d.line([P(cx - t.eye_gap + 0.05, ey), P(cx + t.eye_gap - 0.05, ey)], fill=(40, 40, 46),
               width=max(1, int(0.008 * S)))
    nose = _shade(skin, 0.78)
    d.line([P(cx + 0.005, ey + 0.04), P(cx - 0.012, ey + 0.095), P(cx + 0.012, ey + 0.1)], fill=nose,
           width=max(1, int(0.009 * S)), joint="curve")


def _hair_cap(d, P, t: _Traits, cx: float, cy: float):
    """Hair over the top of the head: an arc just outside the skull down to the temples,
    closed by a fringe that is highest at the parting and sweeps down away from it."""
    hw, hh = t.hw * 1.07, t.hh * 1.07
    arc = [(cx + np.cos(a) * hw, cy - 0.005 - np.sin(a) * hh) for a in np.linspace(np.pi + 0.3, -0.3, 24)]
    p = t.parting
    low = -0.05 if t.hair_style == "side" else -0.09
    fringe = [(cx + u * t.hw * 0.98, cy - 0.17 + (low + 0.17) * ((u - p) / (1 + abs(p))) ** 2)
              for u in np.linspace(1, -1, 16)]
    if t.hair_style == "curly":
        for x, y in arc[1:-1:2]:  # a ring of curls standing just proud of the outline
            d.ellipse(P(x - 0.045, y - 0.045, x + 0.045, y + 0.045), fill=t.hair)
    d.polygon([P(x, y) for x, y in arc + fringe], fill=t.hair)
    if t.hair_style == "bun":
        d.ellipse(P(cx - 0.075, cy - t.hh - 0.12, cx + 0.075, cy - t.hh + 0.03), fill=t.hair)


def face_layer(seed: int, size: int, *, hair: str | None = None) -> Image.Image:
    """The generated head and shoulders on a transparent square (closed smiling mouth);
    `hair` "long" or "short" narrows the seed's choice of hairstyle."""
    rig = FaceRig(seed, size, background=False, hair=hair)
    return rig.frame(0.0)


class FaceRig:
    """A generated face for one seed; `frame(mouth_open)` is cheap enough for video."""

    def __init__(self, seed: int, size: int = 512, *, background: bool = True, hair: str | None = None):
        if not 64 <= size <= 4096:
            raise StudioError(f"Face size {size} px is out of range: use 64 to 4096 px.")
        self.size, self.traits = size, _Traits(seed, hair)
        mode, bg = ("RGB", self.traits.bg) if background else ("RGBA", (0, 0, 0, 0))
        big = Image.new(mode, (size * 2, size * 2), bg)
        if background:  # a soft light behind the head
            glow = Image.new("L", big.size, 0)
            ImageDraw.Draw(glow).ellipse((size * 0.2, size * 0.1, size * 1.8, size * 1.7), fill=120)
            big.paste(Image.new("RGB", big.size, "white"), (0, 0), glow.filter(ImageFilter.GaussianBlur(size / 6)))
        _draw_face(ImageDraw.Draw(big), size * 2, self.traits)
        self.base = big.resize((size, size), Image.Resampling.BOX)
        self.box = mouth_box(size)
        self._patch = self.base.crop(self.box)

    def frame(self, mouth_open: float = 0.0) -> Image.Image:
        o = min(1.0, max(0.0, float(mouth_open)))
        x0, y0, x1, y1 = self.box
        k = 4  # the mouth is drawn at 4x inside its patch, then reduced
        w, h = (x1 - x0) * k, (y1 - y0) * k
        layer = Image.new("RGBA", (w, h), (0, 0, 0, 0))
        d = ImageDraw.Draw(layer)
        S = self.size * k
        cx, cy = 0.5 * S - x0 * k, 0.655 * S - y0 * k
        lips = self.traits.lips
        if o < 0.05:
            d.arc((cx - 0.065 * S, cy - 0.05 * S, cx + 0.065 * S, cy + 0.02 * S), 20, 160,
                  fill=_shade(lips, 0.7), width=int(0.012 * S))
            d.chord((cx - 0.035 * S, cy - 0.002 * S, cx + 0.035 * S, cy + 0.035 * S), 0, 180, fill=lips)
        else:
            hw, hh = (0.062 + 0.02 * o) * S, (0.012 + 0.042 * o) * S
            d.ellipse((cx - hw - 0.01 * S, cy - hh - 0.01 * S, cx + hw + 0.01 * S, cy + hh + 0.012 * S), fill=lips)
            d.ellipse((cx - hw, cy - hh, cx + hw, cy + hh), fill=(70, 20, 30))
            d.chord((cx - hw * 0.8, cy - hh * 1.2, cx + hw * 0.8, cy + hh * 0.1), 180, 360, fill=(250, 250, 245))
            if o > 0.3:
                d.chord((cx - hw * 0.6, cy + hh * 0.1, cx + hw * 0.6, cy + hh * 1.4), 180, 360, fill=(215, 90, 100))
        patch = layer.resize((x1 - x0, y1 - y0), Image.Resampling.BOX)
        out = self.base.copy()
        bg = self._patch.convert("RGBA")
        merged = Image.alpha_composite(bg, patch)
        out.paste(merged.convert(out.mode), (x0, y0))
        return out


def face_image(*, seed: int, size: int = 512, mouth_open: float = 0.0) -> Image.Image:
    """One generated face (RGB); use FaceRig for many frames of the same face."""
    return FaceRig(seed, size).frame(mouth_open)
