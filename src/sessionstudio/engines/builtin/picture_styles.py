"""Finishing a rendered scene: mood adjustments, the chosen style, and the caption.

Styles work on the finished render (numpy + Pillow filters) rather than on the shapes,
so every subject gets every style for free. Each one is a single pass over the pixels,
sized to stay well under a second at 1024 px."""

import random
from functools import lru_cache

import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageEnhance, ImageFilter, ImageFont, ImageOps


def _noise(w: int, h: int, rng: np.random.Generator, scale: int) -> np.ndarray:
    """Smooth value noise in 0..1: random cells scaled up bicubically."""
    cells = rng.random((max(2, h // scale), max(2, w // scale))).astype(np.float32)
    img = Image.fromarray((cells * 255).astype(np.uint8), "L").resize((w, h), Image.Resampling.BICUBIC)
    return np.asarray(img, dtype=np.float32) / 255.0


def _vignette(w: int, h: int, strength: float) -> np.ndarray:
    yy, xx = np.ogrid[-1:1:complex(0, h), -1:1:complex(0, w)]
    return (1.0 - strength * np.clip((xx * xx + yy * yy) / 2.0, 0, 1) ** 1.5).astype(np.float32)


def _to_img(a: np.ndarray) -> Image.Image:
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), "RGB")


def mood_adjust(img: Image.Image, reading) -> Image.Image:
    """Moods and colour modifiers ("pastel", "dark", "stormy", …) as global colour moves."""
    m, mods = reading.moods, reading.modifiers
    if "pastel" in mods:
        img = Image.blend(ImageEnhance.Color(img).enhance(0.65), Image.new("RGB", img.size, (255, 250, 250)), 0.22)
    if "golden" in mods:
        a = np.asarray(img, dtype=np.float32) * np.array([1.1, 1.0, 0.8], dtype=np.float32) + 8
        img = _to_img(a)  # warm light: more red, less blue
    if "vivid" in mods or "happy" in m:
        img = ImageEnhance.Color(img).enhance(1.3)
    if "muted" in mods or "sad" in m:
        img = Image.blend(ImageEnhance.Color(img).enhance(0.55), Image.new("RGB", img.size, (96, 110, 130)), 0.12)
    if "calm" in m:
        img = ImageEnhance.Contrast(img).enhance(0.9)
    if "dramatic" in m:
        img = ImageEnhance.Contrast(img).enhance(1.25)
        a = np.asarray(img, dtype=np.float32) * _vignette(*img.size, 0.55)[..., None]
        img = _to_img(a)
    if "mysterious" in m:  # fog: strongest a little below the middle, where a horizon sits
        h = img.height
        t = np.exp(-((np.linspace(0, 1, h) - 0.62) / 0.22) ** 2) * 0.55 + 0.12
        mask = Image.fromarray((t * 255).astype(np.uint8)[:, None]).resize(img.size)
        img.paste(Image.new("RGB", img.size, (206, 210, 220)), (0, 0), mask)
    if "dreamy" in m:
        glow = ImageEnhance.Brightness(img.filter(ImageFilter.GaussianBlur(img.width / 60))).enhance(1.25)
        img = ImageChops.screen(img, Image.blend(Image.new("RGB", img.size), glow, 0.3))
    if "dark" in mods:
        img = ImageEnhance.Brightness(img).enhance(0.58)
    return img


def _auto(img, rng):
    a = np.asarray(img, dtype=np.float32) * _vignette(*img.size, 0.22)[..., None]
    return _to_img(a)


def _photo(img, rng):
    """Lens softness, bloom on the highlights, film-like colour, vignette and grain."""
    w, h = img.size
    soft = img.filter(ImageFilter.GaussianBlur(max(0.6, w / 1500)))
    bright = soft.point(lambda v: max(0, v - 170) * 3)
    soft = ImageChops.add(soft, bright.filter(ImageFilter.GaussianBlur(w / 80)), scale=2.2)
    a = np.asarray(ImageEnhance.Contrast(soft).enhance(1.08), dtype=np.float32)
    a = a * 0.85 + a.mean(axis=2, keepdims=True) * 0.15  # film is less saturated than paint
    a *= np.array([1.04, 1.0, 0.96], dtype=np.float32)  # and a little warm
    a *= _vignette(w, h, 0.28)[..., None]
    nr = np.random.default_rng(rng.randrange(1 << 32))
    a += nr.normal(0, 5.0, (h, w, 1)).astype(np.float32)
    return _to_img(a)


def _painting(img, rng):
    """Oil on canvas: thousands of short strokes that follow the image's edges."""
    w, h = img.size
    small = img.reduce(2).filter(ImageFilter.MedianFilter(5))  # strokes hide the base: half size will do
    base = small.resize((w, h), Image.Resampling.BILINEAR)
    a = np.asarray(small.filter(ImageFilter.GaussianBlur(1)), dtype=np.int16)
    lum = a.mean(axis=2)
    gy, gx = np.gradient(lum)
    mag = np.hypot(gx, gy) / 2
    step = max(4, min(w, h) // 110)
    nr = np.random.default_rng(rng.randrange(1 << 32))
    ys, xs = np.mgrid[0:h:step, 0:w:step]
    ys = np.clip(ys + nr.integers(0, step, ys.shape), 0, h - 1).ravel()
    xs = np.clip(xs + nr.integers(0, step, xs.shape), 0, w - 1).ravel()
    order = nr.permutation(len(xs))
    xs, ys = xs[order], ys[order]
    sy, sx = np.minimum(ys // 2, a.shape[0] - 1), np.minimum(xs // 2, a.shape[1] - 1)
    edge = np.clip(mag[sy, sx] / 25.0, 0, 1)
    angle = np.where(edge > 0.15, np.arctan2(gy[sy, sx], gx[sy, sx]) + np.pi / 2,
                     0.5 + nr.normal(0, 0.35, len(xs)))
    length = step * (1.9 - 1.1 * edge)
    dx, dy = np.cos(angle) * length, np.sin(angle) * length
    cols = np.clip(a[sy, sx] + nr.integers(-10, 11, (len(xs), 1)), 0, 255).astype(np.uint8)
    out = base.copy()
    d = ImageDraw.Draw(out)
    width = max(2, int(step * 0.9))
    for x, y, ddx, ddy, c in zip(xs.tolist(), ys.tolist(), dx.tolist(), dy.tolist(), cols.tolist()):
        d.line((x - ddx, y - ddy, x + ddx, y + ddy), fill=tuple(c), width=width)
    canvas = (nr.random((h, w)) * 255).astype(np.uint8)  # weave: embossed noise, blended faintly
    weave = np.asarray(Image.fromarray(canvas, "L").filter(ImageFilter.EMBOSS), dtype=np.float32) - 128
    res = np.asarray(out, dtype=np.float32) + weave[..., None] * 0.18
    return ImageEnhance.Color(_to_img(res)).enhance(1.15)


def _watercolor(img, rng):
    """Soft washes that bleed, darker rims where pigment pools, grainy paper, white margins."""
    w, h = img.size
    nr = np.random.default_rng(rng.randrange(1 << 32))
    sw, sh = max(2, w // 3), max(2, h // 3)  # washes are soft: build them at a third of the size
    small = np.asarray(img.resize((sw, sh), Image.Resampling.BOX).filter(ImageFilter.MedianFilter(5)))
    dx = ((_noise(sw, sh, nr, 8) - 0.5) * sw * 0.012).astype(np.int32)  # bleed: wobble the washes
    dy = ((_noise(sw, sh, nr, 8) - 0.5) * sw * 0.012).astype(np.int32)
    yy, xx = np.mgrid[0:sh, 0:sw]
    small = small[np.clip(yy + dy, 0, sh - 1), np.clip(xx + dx, 0, sw - 1)]
    a = np.asarray(Image.fromarray(small, "RGB").resize((w, h), Image.Resampling.BICUBIC), dtype=np.float32)
    density = 0.8 + 0.2 * _noise(w, h, nr, 60) - 0.06 * nr.random((h, w), dtype=np.float32)
    a = 255 - (255 - a) * density[..., None]
    rims = np.asarray(_to_img(a).convert("L").filter(ImageFilter.FIND_EDGES).filter(ImageFilter.GaussianBlur(1.2)),
                      dtype=np.float32)
    a *= (1 - np.clip(rims / 255 * 2.5, 0, 0.3))[..., None]
    paper = np.array([251, 248, 240], dtype=np.float32)
    ny, nx = np.ogrid[-1:1:complex(0, h), -1:1:complex(0, w)]
    edge = np.maximum(np.abs(nx) ** 14, np.abs(ny) ** 14) + (_noise(w, h, nr, 16) - 0.5) * 0.5
    margin = np.clip((edge - 0.3) * 3, 0, 1)[..., None]
    a = a * (1 - margin) + paper * margin
    return _to_img(a * (paper / 255))


def _sketch(img, rng):
    """Graphite on paper: the colour-dodge pencil trick plus cross-hatching in the shadows."""
    w, h = img.size
    gray = ImageOps.autocontrast(img.convert("L"), cutoff=1)
    gray = gray.point(lambda v: 64 + v * 3 // 4)  # lifted darks: the dodge would band them
    g = np.asarray(gray, dtype=np.float32)
    blur = np.asarray(ImageOps.invert(gray).filter(ImageFilter.GaussianBlur(max(2, w / 160))), dtype=np.float32)
    lines = np.clip(g * 255 / (256 - blur), 0, 255)
    nr = np.random.default_rng(rng.randrange(1 << 32))
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    period = max(5, w // 150)
    q1, q2 = max(1.0, np.percentile(g, 45)), max(1.0, np.percentile(g, 18))
    hatch1 = (((xx + yy) % period) < 1.4) * np.clip((q1 - g) / q1 * 2.5, 0, 1)
    hatch2 = (((xx - yy) % period) < 1.4) * np.clip((q2 - g) / q2 * 2.5, 0, 1)
    lines = lines * (0.55 + 0.45 * g / 255)  # a graphite tone under the lines
    lines = lines * (1 - 0.45 * hatch1) * (1 - 0.45 * hatch2)
    lines = lines - nr.random((h, w), dtype=np.float32) * 10
    paper = np.array([250, 246, 236], dtype=np.float32)
    return _to_img(lines[..., None] * (paper / 255))


def pixel_block(w: int, h: int) -> int:
    return max(4, round(max(w, h) / 128))


def _pixel(img, rng):
    """A 24-colour sprite: box-downscale, median-cut palette without dithering, nearest up."""
    w, h = img.size
    b = pixel_block(w, h)
    sw, sh = -(-w // b), -(-h // b)
    small = ImageEnhance.Color(img.resize((sw, sh), Image.Resampling.BOX)).enhance(1.25)
    small = small.quantize(colors=24, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).convert("RGB")
    return small.resize((sw * b, sh * b), Image.Resampling.NEAREST).crop((0, 0, w, h))


def _neon(img, rng):
    """Light tubes: a wide and a tight blur of the bright lines added back over the dark scene."""
    w, _ = img.size
    wide = img.filter(ImageFilter.GaussianBlur(w / 90))
    tight = img.filter(ImageFilter.GaussianBlur(w / 400))
    out = ImageChops.add(img, ImageChops.add(wide, tight, scale=0.8), scale=1.0)
    return ImageEnhance.Contrast(out).enhance(1.1)


_STYLE_FUNCS = {"auto": _auto, "photo": _photo, "painting": _painting, "sketch": _sketch,
                "pixel art": _pixel, "neon": _neon, "watercolor": _watercolor, "flat": lambda i, r: i}


def apply_style(img: Image.Image, style: str, rng: random.Random) -> Image.Image:
    return _STYLE_FUNCS[style](img, rng)


@lru_cache(maxsize=32)
def font(size: int, serif: bool = False, bold: bool = True) -> ImageFont.ImageFont:
    """DejaVu (or a common system face) at `size`; Pillow's built-in font if none is found."""
    names = (["DejaVuSerif-Bold.ttf" if bold else "DejaVuSerif.ttf", "Georgia.ttf"] if serif else []) + [
        "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf", "Arial Bold.ttf" if bold else "Arial.ttf",
        "arialbd.ttf" if bold else "arial.ttf", "Helvetica.ttc"]
    for name in names:
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow < 10.1: one fixed size
        return ImageFont.load_default()


_BANDS = {  # band colour+alpha, text colour, serif
    "auto": ((12, 14, 24, 150), (255, 255, 255), False),
    "photo": ((0, 0, 0, 120), (245, 245, 240), False),
    "painting": ((40, 28, 20, 170), (250, 236, 205), True),
    "sketch": ((250, 246, 236, 255), (60, 60, 66), True),
    "watercolor": ((251, 248, 240, 255), (70, 80, 110), True),
    "flat": ((24, 28, 48, 255), (255, 255, 255), False),
    "neon": ((6, 0, 20, 200), (255, 90, 220), False),
    "pixel art": ((10, 10, 20, 255), (255, 230, 120), False),
}


def caption(img: Image.Image, words: list[str], style: str) -> Image.Image:
    """The prompt's key words set in a band across the bottom, in the style's manner."""
    if not words:
        return img
    w, h = img.size
    band = max(14, int(h * 0.09))
    fill, ink, serif = _BANDS[style]
    text = "  ·  ".join(x.upper() for x in words)
    size = max(8, int(band * 0.42))
    fnt = font(size, serif)
    while size > 8 and ImageDraw.Draw(img).textlength(text, font=fnt) > w * 0.9:
        if size <= band * 0.3 and text.count("·") > 1:
            text = text.rsplit("  ·  ", 1)[0]  # drop a word rather than go unreadably small
        else:
            size -= 1
        fnt = font(size, serif)
    over = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    d = ImageDraw.Draw(over)
    d.rectangle((0, h - band, w, h), fill=fill)
    if style in ("sketch", "watercolor"):
        d.line((w * 0.3, h - band + 2, w * 0.7, h - band + 2), fill=ink + (160,), width=max(1, h // 400))
    pos = (w / 2, h - band / 2)
    if style == "pixel art":  # set small without antialiasing, then enlarged: chunky pixel type
        k = max(1, pixel_block(w, h) // 2)
        small = Image.new("RGBA", (-(-w // k), -(-band // k)), (0, 0, 0, 0))
        sd = ImageDraw.Draw(small)
        sd.fontmode = "1"
        sd.text((small.width / 2, small.height / 2), text, font=font(max(6, size // k), False),
                fill=ink + (255,), anchor="mm")
        big = small.resize((small.width * k, small.height * k), Image.Resampling.NEAREST)
        over.paste(big, (0, h - band), big)
        return Image.alpha_composite(img.convert("RGBA"), over).convert("RGB")
    if style == "neon":
        glow = Image.new("RGBA", (w, h), (0, 0, 0, 0))
        ImageDraw.Draw(glow).text(pos, text, font=fnt, fill=ink + (255,), anchor="mm")
        over = Image.alpha_composite(over, glow.filter(ImageFilter.GaussianBlur(size / 4)))
        d = ImageDraw.Draw(over)
        ink = (255, 210, 250)
    d.text(pos, text, font=fnt, fill=ink + (255,), anchor="mm")
    return Image.alpha_composite(img.convert("RGBA"), over).convert("RGB")
