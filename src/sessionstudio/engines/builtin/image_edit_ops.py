"""The pixel work behind each plain-language edit (see image_edits.py for the words).

Every operation takes an RGB or RGBA image and returns a new one of the same mode;
colour operations leave an alpha channel exactly as it was."""

import numpy as np
from PIL import Image, ImageEnhance, ImageFilter, ImageOps

from sessionstudio.core.errors import StudioError

COLOURS: dict[str, tuple[int, int, int]] = {
    "white": (255, 255, 255), "black": (0, 0, 0), "red": (220, 40, 40), "green": (40, 170, 70),
    "blue": (40, 90, 220), "yellow": (250, 215, 40), "orange": (250, 140, 30), "purple": (130, 60, 190),
    "violet": (140, 80, 220), "pink": (245, 130, 180), "magenta": (220, 40, 180), "cyan": (40, 210, 230),
    "teal": (20, 140, 140), "turquoise": (40, 200, 190), "grey": (128, 128, 128), "gray": (128, 128, 128),
    "brown": (130, 84, 50), "beige": (230, 215, 180), "cream": (250, 243, 225), "navy": (25, 40, 110),
    "gold": (230, 180, 50), "golden": (230, 180, 50), "silver": (195, 198, 204), "lavender": (190, 170, 235),
    "mint": (170, 235, 200), "coral": (250, 128, 110), "maroon": (120, 20, 40), "olive": (120, 130, 50),
    "sky blue": (135, 200, 240), "light blue": (160, 205, 245), "dark blue": (20, 40, 110),
    "light grey": (210, 210, 210), "light gray": (210, 210, 210), "dark grey": (60, 60, 60),
    "dark gray": (60, 60, 60), "dark green": (20, 90, 40), "light green": (170, 230, 160),
    "transparent": (0, 0, 0),
}


def colour_rgb(name: str) -> tuple[int, int, int]:
    if name.startswith("#") and len(name) == 7:
        return tuple(int(name[i:i + 2], 16) for i in (1, 3, 5))
    if name not in COLOURS:
        raise StudioError(f"Unknown colour “{name}”. Try one of: {', '.join(sorted(COLOURS))}, or #rrggbb.")
    return COLOURS[name]


def _on_rgb(img: Image.Image, fn) -> Image.Image:
    """Run fn on the colour channels; keep the alpha channel as it was."""
    if img.mode == "RGBA":
        rgb = fn(img.convert("RGB"))
        rgb.putalpha(img.getchannel("A"))
        return rgb
    return fn(img)


def _temperature(img: Image.Image, amount: float) -> Image.Image:
    a = np.asarray(img, dtype=np.float32)
    k = 0.18 * amount  # amount 0.5 (the default) moves red and blue by 9% each way
    a = a * np.array([1 + k, 1 + k * 0.15, 1 - k], dtype=np.float32)
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), "RGB")


def _sepia(img: Image.Image) -> Image.Image:
    return ImageOps.colorize(img.convert("L"), black=(36, 22, 10), mid=(168, 124, 80), white=(255, 242, 214))


def _painting(img: Image.Image) -> Image.Image:
    """Oil-paint look: median smoothing, posterised colour, then edges enhanced."""
    size = 5 if max(img.size) > 600 else 3
    out = img.filter(ImageFilter.MedianFilter(size))
    out = ImageOps.posterize(out, 4).filter(ImageFilter.MedianFilter(3))
    out = out.filter(ImageFilter.EDGE_ENHANCE_MORE)
    return ImageEnhance.Color(out).enhance(1.2)


def _sketch(img: Image.Image) -> Image.Image:
    """Pencil: grayscale divided by its blurred inverse (colour dodge) on warm paper."""
    gray = img.convert("L")
    blur = ImageOps.invert(gray).filter(ImageFilter.GaussianBlur(max(2, max(img.size) / 200)))
    g = np.asarray(gray, dtype=np.float32)
    b = np.asarray(blur, dtype=np.float32)
    lines = np.clip(g * 255 / (256 - b), 0, 255)
    paper = np.array([252, 249, 240], dtype=np.float32) / 255
    return Image.fromarray((lines[..., None] * paper).astype(np.uint8), "RGB")


def _pixel(img: Image.Image) -> Image.Image:
    """Pixel art: nearest-neighbour down to ~96 px, a 16-colour palette, nearest back up."""
    w, h = img.size
    block = max(2, round(max(w, h) / 96))
    sw, sh = max(1, -(-w // block)), max(1, -(-h // block))
    small = img.resize((sw, sh), Image.Resampling.NEAREST)
    small = small.quantize(16, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).convert("RGB")
    return small.resize((sw * block, sh * block), Image.Resampling.NEAREST).crop((0, 0, w, h))


def _crop(img: Image.Image, arg: str) -> Image.Image:
    a, b = (int(v) for v in arg.split(":"))
    if a <= 0 or b <= 0 or max(a, b) / min(a, b) > 10:
        raise StudioError(f"Cannot crop to {arg}: use a ratio like 16:9, 4:3 or 1:1.")
    w, h = img.size
    if w / h > a / b:  # too wide: trim the sides
        nw = max(1, round(h * a / b))
        x0 = (w - nw) // 2
        return img.crop((x0, 0, x0 + nw, h))
    nh = max(1, round(w * b / a))
    y0 = (h - nh) // 2
    return img.crop((0, y0, w, y0 + nh))


def background_mask(img: Image.Image, tolerance: float = 60.0) -> np.ndarray:
    """Where the background is (bool, image size): the region of the dominant border colour
    that is connected to the border, grown at low resolution and refined at full size."""
    rgb = np.asarray(img.convert("RGB"), dtype=np.int16)
    h, w = rgb.shape[:2]
    border = np.concatenate([rgb[0], rgb[-1], rgb[:, 0], rgb[:, -1]])
    q = (border // 32).astype(np.int32)
    keys = q[:, 0] * 64 + q[:, 1] * 8 + q[:, 2]
    top = np.bincount(keys).argmax()
    ref = border[keys == top].mean(axis=0)
    close = np.sqrt(((rgb - ref) ** 2).sum(axis=2)) < tolerance
    scale = min(1.0, 256 / max(w, h))
    sw, sh = max(2, int(w * scale)), max(2, int(h * scale))
    small = np.asarray(Image.fromarray(close.astype(np.uint8) * 255).resize((sw, sh), Image.Resampling.BOX)) > 160
    grown = np.zeros_like(small)
    grown[0], grown[-1], grown[:, 0], grown[:, -1] = small[0], small[-1], small[:, 0], small[:, -1]
    for _ in range(sw + sh):  # flood: grow through "close" pixels until nothing changes
        nxt = grown.copy()
        nxt[1:] |= grown[:-1]
        nxt[:-1] |= grown[1:]
        nxt[:, 1:] |= grown[:, :-1]
        nxt[:, :-1] |= grown[:, 1:]
        nxt &= small
        if np.array_equal(nxt, grown):
            break
        grown = nxt
    region = Image.fromarray(grown.astype(np.uint8) * 255).resize((w, h), Image.Resampling.NEAREST)
    region = np.asarray(region.filter(ImageFilter.MaxFilter(5))) > 0
    return region & close


def _background(img: Image.Image, name: str) -> Image.Image:
    colour = colour_rgb(name)
    if img.mode == "RGBA":
        alpha = np.asarray(img.getchannel("A"))
        edge = np.concatenate([alpha[0], alpha[-1], alpha[:, 0], alpha[:, -1]])
        if (edge < 128).mean() > 0.5:  # a cut-out: put the colour behind it
            if name == "transparent":
                return img.copy()
            return Image.alpha_composite(Image.new("RGBA", img.size, colour + (255,)), img)
    mask = Image.fromarray(background_mask(img).astype(np.uint8) * 255).filter(ImageFilter.GaussianBlur(1))
    if name == "transparent":
        out = img.convert("RGBA")
        out.putalpha(Image.fromarray(np.minimum(np.asarray(out.getchannel("A")), 255 - np.asarray(mask))))
        return out
    fill = Image.new(img.mode, img.size, colour + ((255,) if img.mode == "RGBA" else ()))
    return Image.composite(fill, img, mask)


def apply_one(img: Image.Image, op: str, amount: float | None, arg: str | None) -> Image.Image:
    w, h = img.size
    if op == "brightness":
        return _on_rgb(img, lambda i: ImageEnhance.Brightness(i).enhance(max(0.05, 1 + amount)))
    if op == "contrast":
        return _on_rgb(img, lambda i: ImageEnhance.Contrast(i).enhance(max(0.05, 1 + amount)))
    if op == "saturation":
        return _on_rgb(img, lambda i: ImageEnhance.Color(i).enhance(max(0.0, 1 + amount)))
    if op == "temperature":
        return _on_rgb(img, lambda i: _temperature(i, amount))
    if op == "grayscale":
        return _on_rgb(img, lambda i: i.convert("L").convert("RGB"))
    if op == "sepia":
        return _on_rgb(img, _sepia)
    if op == "blur":
        radius = max(1.0, min(w, h) / 250) * abs(amount or 1.0)
        return img.filter(ImageFilter.GaussianBlur(radius))
    if op == "sharpen":
        return img.filter(ImageFilter.UnsharpMask(radius=max(1.5, min(w, h) / 500), percent=int(160 * abs(amount or 1)),
                                                  threshold=1))
    if op == "crop":
        return _crop(img, arg or "1:1")
    if op == "rotate":
        turn = {90: Image.Transpose.ROTATE_270, 180: Image.Transpose.ROTATE_180, 270: Image.Transpose.ROTATE_90}
        return img.transpose(turn[int(amount or 90) % 360])
    if op == "flip":
        return img.transpose(Image.Transpose.FLIP_TOP_BOTTOM if arg == "vertical" else Image.Transpose.FLIP_LEFT_RIGHT)
    if op == "background":
        return _background(img, arg or "white")
    if op == "painting":
        return _on_rgb(img, _painting)
    if op == "sketch":
        return _on_rgb(img, _sketch)
    if op == "pixel":
        return _on_rgb(img, _pixel)
    raise StudioError(f"The built-in editor has no “{op}” edit.")
