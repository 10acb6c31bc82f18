"""Per-frame looks for restyle_video: painting, sketch, neon, vintage, pixel art, cartoon.

Every look is a pure function of the frame, the seed and the frame size, so
the same input frame always gives the same output: nothing flickers. Textures
(canvas, paper, grain) are made once per seed and size and laid over every
frame alike; thresholds and gains are constants, never normalised per frame
(a per-frame maximum would pump the brightness as the picture changes); the
pixel-art palette is taken from the first frame and kept for the rest.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PIL import Image, ImageEnhance, ImageFilter

from sessionstudio.core.errors import InvalidInput

VIDEO_STYLES = ("painting", "sketch", "neon", "vintage", "pixel art", "cartoon")


def _floats(image: Image.Image) -> np.ndarray:
    return np.asarray(image, dtype=np.float32)


def _image(pixels: np.ndarray) -> Image.Image:
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "RGB")


def _texture(seed: int, size: tuple[int, int], blur: tuple[float, float], strength: float) -> np.ndarray:
    """A fixed multiplicative texture around 1.0: noise smeared blur=(x, y) pixels."""
    w, h = size
    noise = np.random.default_rng(seed).normal(0.0, 1.0, (h, w)).astype(np.float32)
    # Blur in two passes of a box kernel along each axis: anisotropic, so it reads as strokes/fibres.
    for axis, radius in ((1, blur[0]), (0, blur[1])):
        r = max(1, int(radius))
        kernel = np.ones(2 * r + 1, np.float32) / (2 * r + 1)
        noise = np.apply_along_axis(lambda line: np.convolve(line, kernel, mode="same"), axis, noise)
    noise /= noise.std() + 1e-6
    return (1.0 + strength * noise)[:, :, None]


def _vignette(size: tuple[int, int], amount: float) -> np.ndarray:
    w, h = size
    y, x = np.ogrid[-1:1:complex(0, h), -1:1:complex(0, w)]
    return (1.0 - amount * np.clip(x * x + y * y - 0.3, 0, None) ** 1.2)[:, :, None].astype(np.float32)


def _edges(image: Image.Image, blur: float) -> np.ndarray:
    """Gradient magnitude of the softened grey picture, in grey levels per pixel."""
    grey = _floats(image.convert("L").filter(ImageFilter.GaussianBlur(blur)))
    gy, gx = np.gradient(grey)
    return np.hypot(gx, gy)


def _soften(image: Image.Image, size: int) -> Image.Image:
    # Median at half resolution: flattens texture into patches, four times cheaper.
    w, h = image.size
    small = image.resize((max(1, w // 2), max(1, h // 2)), Image.Resampling.BOX)
    return small.filter(ImageFilter.MedianFilter(size)).resize((w, h), Image.Resampling.BICUBIC)


def _hues(size: tuple[int, int], offset: float) -> np.ndarray:
    """An RGB rainbow sweeping diagonally across the frame, shifted by offset (0..1)."""
    w, h = size
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    hue = (offset + 0.6 * (x / max(w, 1)) + 0.3 * (y / max(h, 1))) % 1.0
    phases = np.array([0.0, 1 / 3, 2 / 3], np.float32)
    return 0.5 + 0.5 * np.cos(2 * np.pi * (hue[:, :, None] - phases))


class _Styler:
    def __init__(self, style: str, seed: int) -> None:
        self.style, self.seed = style, seed
        self.rng = np.random.default_rng(seed)
        self.assets: dict = {}
        self.palette: Image.Image | None = None

    def _asset(self, name: str, make: Callable[[], np.ndarray]) -> np.ndarray:
        if name not in self.assets:
            self.assets[name] = make()
        return self.assets[name]

    def __call__(self, image: Image.Image) -> Image.Image:
        image = image.convert("RGB")
        return getattr(self, "_" + self.style.replace(" ", "_"))(image, image.size)

    def _painting(self, image: Image.Image, size) -> Image.Image:
        strokes = (6, 1) if self.seed % 2 == 0 else (1, 6)  # across or down the canvas, by seed
        canvas = self._asset(f"canvas{size}", lambda: _texture(self.seed, size, strokes, 0.045))
        soft = _soften(image, 5)
        soft = ImageEnhance.Color(soft).enhance(1.4)
        soft = ImageEnhance.Contrast(soft).enhance(1.1)
        return _image(_floats(soft) * canvas)

    def _sketch(self, image: Image.Image, size) -> Image.Image:
        paper = self._asset(f"paper{size}", lambda: _texture(self.seed, size, (1, 1), 0.04))
        grey = _floats(image.convert("L"))
        blurred = _floats(Image.fromarray(255 - grey.astype(np.uint8)).filter(
            ImageFilter.GaussianBlur(max(2.0, size[0] / 120))))
        # Colour dodge of the grey picture with its blurred negative: flat areas go white, edges stay as lines.
        dodge = np.clip(grey * 255.0 / np.maximum(255.0 - blurred, 1.0), 0, 255) / 255.0
        lines = dodge[:, :, None] ** 3.0  # darker, pencil-like strokes
        tone = np.array([246, 241, 230], np.float32)
        return _image(lines * tone * paper)

    def _neon(self, image: Image.Image, size) -> Image.Image:
        offset = (self.seed * 0.618034) % 1.0
        colours = self._asset(f"hues{size}", lambda: _hues(size, offset))
        # The floor drops the faint steps of smooth gradients, which would glow as streaks.
        strength = np.clip((_edges(image, 1.2) - 3.0) / 15.0, 0, 1)[:, :, None] ** 0.8
        lit = _image(255.0 * strength * colours)
        glow = _floats(lit.filter(ImageFilter.GaussianBlur(max(3.0, size[0] / 60))))
        base = _floats(image) * 0.12  # a hint of the scene in the dark
        return _image(base + _floats(lit) + 1.8 * glow)

    def _vintage(self, image: Image.Image, size) -> Image.Image:
        grain = self._asset(f"grain{size}", lambda: _texture(self.seed, size, (1, 1), 0.035))
        shade = self._asset(f"vignette{size}", lambda: _vignette(size, 0.55))
        warmth = 0.85 + 0.3 * ((self.seed * 0.381966) % 1.0)  # seed picks how yellowed the print is
        sepia = (0.393, 0.769, 0.189, 0, 0.349, 0.686, 0.168, 0, 0.272 / warmth, 0.534 / warmth, 0.131 / warmth, 0)
        toned = image.filter(ImageFilter.GaussianBlur(0.6)).convert("RGB", sepia)
        pixels = 0.6 * _floats(toned) + 0.4 * _floats(image) * np.array([1.0, 0.92, 0.78], np.float32)
        pixels = 28 + pixels * 0.8  # lifted blacks and dulled whites: a faded print
        return _image(pixels * shade * grain)

    def _pixel_art(self, image: Image.Image, size) -> Image.Image:
        w, h = size
        columns = (64, 80, 96)[self.seed % 3]
        block = max(2, round(max(w, h) / columns))
        small = image.resize((max(1, w // block), max(1, h // block)), Image.Resampling.BOX)
        small = ImageEnhance.Color(small).enhance(1.3)
        if self.palette is None:  # one palette for the whole clip, so colours never hop
            self.palette = _palette(small, (16, 24)[self.seed % 2])
        indexed = small.quantize(palette=self.palette, dither=Image.Dither.NONE)
        return indexed.convert("RGB").resize(size, Image.Resampling.NEAREST)

    def _cartoon(self, image: Image.Image, size) -> Image.Image:
        levels = (5, 6, 7)[self.seed % 3]  # how many shades each colour keeps; the seed picks
        flat = _soften(_soften(image, 5), 3)
        flat = _floats(ImageEnhance.Color(flat).enhance(1.3))
        # Toon shading: brightness in a few steps, hue and saturation kept, so skin
        # stays skin and a gradient sky becomes bands of the same blue.
        luma = flat @ np.array([0.299, 0.587, 0.114], np.float32)
        step = 255.0 / levels
        banded = (np.floor(luma / step) + 0.6) * step
        flat = flat * (banded / np.maximum(luma, 1.0))[:, :, None]
        ink = _edges(image, 1.5) > 9.0
        ink = np.asarray(Image.fromarray(ink.astype(np.uint8) * 255).filter(ImageFilter.MaxFilter(3))) > 0
        flat[ink] = (24, 20, 28)
        return _image(flat)


# PICO-8's sixteen colours: added to every pixel-art palette so that small bright or
# dark details (eyes, a sun at the edge) keep a colour of their own.
_PICO8 = (0, 0, 0, 29, 43, 83, 126, 37, 83, 0, 135, 81, 171, 82, 54, 95, 87, 79, 194, 195, 199, 255, 241, 232,
          255, 0, 77, 255, 163, 0, 255, 236, 39, 0, 228, 54, 41, 173, 255, 131, 118, 156, 255, 119, 168, 255, 204, 170)


def _palette(first: Image.Image, colours: int) -> Image.Image:
    """A palette image: the first frame's own colours (median cut) plus PICO-8's."""
    own = first.quantize(colors=colours, method=Image.Quantize.MEDIANCUT).getpalette()[: 3 * colours]
    palette = Image.new("P", (1, 1))
    palette.putpalette(list(own) + list(_PICO8))
    return palette


def make_styler(style: str, seed: int) -> Callable[[Image.Image], Image.Image]:
    """A frame -> frame function giving one of VIDEO_STYLES; reuse it for every frame of a clip."""
    if style not in VIDEO_STYLES:
        raise InvalidInput(f"Unknown video style {style!r}; choose one of: {', '.join(VIDEO_STYLES)}")
    return _Styler(style, int(seed))
