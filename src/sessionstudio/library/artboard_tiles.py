"""Pictures of artboard elements with Pillow (no Qt), for exports and the command line.

Each `*_tile` returns an RGBA picture of exactly the element's size in output pixels,
with rounded corners in its alpha. The colours are shared with the window's board
(ui/views/artboard_items.py) so an export looks like what is on screen."""

import json
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, ImageOps

BOARD_BACKGROUND = (246, 246, 248)
NOTE_FILL = (255, 236, 153)
NOTE_TEXT = (66, 54, 18)
TRACK_FILL = (32, 33, 40)
TRACK_TEXT = (236, 236, 242)
TRACK_MUTED = (150, 152, 166)
ACCENT = (109, 93, 252)
WAVE = (150, 140, 255)
MISSING_FILL = (232, 232, 238)
MISSING_LINE = (168, 168, 180)
MISSING_TEXT = (110, 110, 122)
RADIUS = 10.0          # corner radius at 100 %
NOTE_PADDING = 14.0
NOTE_FONT = 15.0

_FONT_FILES = {False: ("DejaVuSans.ttf", "Arial.ttf", "arial.ttf", "Helvetica.ttc",
                       "segoeui.ttf", "LiberationSans-Regular.ttf"),
               True: ("DejaVuSans-Bold.ttf", "Arial Bold.ttf", "arialbd.ttf", "segoeuib.ttf",
                      "LiberationSans-Bold.ttf")}


@lru_cache(maxsize=64)
def font(size: float, bold: bool = False) -> ImageFont.FreeTypeFont:
    """A sans-serif font at `size` pixels: the system's, else Pillow's built-in one."""
    px = max(6, round(size))
    for name in _FONT_FILES[bold]:
        try:
            return ImageFont.truetype(name, px)
        except OSError:
            continue
    return ImageFont.load_default(px)


def _rounded_mask(size: tuple[int, int], radius: float) -> Image.Image:
    mask = Image.new("L", size, 0)
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, size[0] - 1, size[1] - 1),
                                           radius=max(0, int(radius)), fill=255)
    return mask


def _card(size: tuple[int, int], fill, radius: float) -> Image.Image:
    tile = Image.new("RGBA", size, (*fill, 255))
    tile.putalpha(_rounded_mask(size, radius))
    return tile


def picture_tile(picture: Image.Image, size: tuple[int, int], radius: float) -> Image.Image:
    """A picture covering the element (cropped, never stretched), corners rounded;
    transparent parts of the picture stay transparent."""
    picture = picture.convert("RGBA")
    tile = ImageOps.fit(picture, size, Image.Resampling.LANCZOS)
    alpha = Image.composite(tile.getchannel("A"), Image.new("L", size, 0),
                            _rounded_mask(size, radius))
    tile.putalpha(alpha)
    return tile


def play_badge(tile: Image.Image, scale: float, label: str = "") -> None:
    """A round play button in the middle of a video's poster (and its duration)."""
    w, h = tile.size
    r = max(8, min(w, h) * 0.11)
    cx, cy = w / 2, h / 2
    layer = Image.new("RGBA", tile.size, (0, 0, 0, 0))
    d = ImageDraw.Draw(layer)
    d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(0, 0, 0, 130))
    t = r * 0.45
    d.polygon([(cx - t * 0.7, cy - t), (cx - t * 0.7, cy + t), (cx + t, cy)], fill=(255, 255, 255, 235))
    if label:
        f = font(11 * scale, bold=True)
        tw = d.textlength(label, font=f)
        pad = 5 * scale
        box = (w - tw - 3 * pad, h - 11 * scale - 3 * pad, w - pad, h - pad)
        d.rounded_rectangle(box, radius=6 * scale, fill=(0, 0, 0, 150))
        d.text((box[0] + pad, box[1] + pad * 0.6), label, font=f, fill=(255, 255, 255, 240))
    tile.alpha_composite(layer)


def track_tile(size: tuple[int, int], scale: float, *, title: str, subtitle: str,
               peaks: list[float] | None) -> Image.Image:
    """A music or voiceover card: play button, title, kind and length, waveform."""
    w, h = size
    tile = _card(size, TRACK_FILL, RADIUS * scale)
    d = ImageDraw.Draw(tile)
    pad = 14 * scale
    r = min(18 * scale, (h - 2 * pad) / 2)
    cx, cy = pad + r, pad + r
    d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(*ACCENT, 255))
    t = r * 0.42
    d.polygon([(cx - t * 0.6, cy - t), (cx - t * 0.6, cy + t), (cx + t, cy)], fill=(255, 255, 255, 255))
    text_x, max_w = cx + r + 10 * scale, w - (cx + r + 10 * scale) - pad
    d.text((text_x, pad - 1 * scale), fit_line(d, title, font(14 * scale, True), max_w),
           font=font(14 * scale, True), fill=(*TRACK_TEXT, 255))
    d.text((text_x, pad + 19 * scale), fit_line(d, subtitle, font(11 * scale), max_w),
           font=font(11 * scale), fill=(*TRACK_MUTED, 255))
    top, bottom = pad + 2 * r + 8 * scale, h - pad
    if bottom - top >= 4:
        bar, gap = max(1.0, 3 * scale), max(1.0, 2 * scale)
        n = max(1, int((w - 2 * pad) // (bar + gap)))
        values = peaks or [0.05] * n
        mid, reach = (top + bottom) / 2, (bottom - top) / 2
        for i in range(n):
            v = max(0.06, values[min(len(values) - 1, int(i * len(values) / n))])
            x = pad + i * (bar + gap)
            d.rounded_rectangle((x, mid - v * reach, x + bar, mid + v * reach),
                                radius=bar / 2, fill=(*WAVE, 255))
    return tile


def note_tile(size: tuple[int, int], scale: float, text: str) -> Image.Image:
    """A sticky note: the text wrapped to the note's width, cut at its bottom."""
    tile = _card(size, NOTE_FILL, RADIUS * 0.6 * scale)
    d = ImageDraw.Draw(tile)
    f, pad = font(NOTE_FONT * scale), NOTE_PADDING * scale
    line_h = (NOTE_FONT * 1.4) * scale
    y = pad
    for line in wrap(d, text, f, size[0] - 2 * pad):
        if y + line_h > size[1] - pad * 0.5:
            break
        d.text((pad, y), line, font=f, fill=(*NOTE_TEXT, 255))
        y += line_h
    return tile


def missing_tile(size: tuple[int, int], scale: float, *, status: str, name: str) -> Image.Image:
    """A placeholder for an item in the trash or deleted for good."""
    tile = _card(size, MISSING_FILL, RADIUS * scale)
    d = ImageDraw.Draw(tile)
    w, h = size
    dash, inset = 6 * scale, 3 * scale
    for x in range(int(inset), int(w - inset), int(2 * dash) or 1):   # dashed outline
        d.line((x, inset, x + dash, inset), fill=(*MISSING_LINE, 255), width=max(1, int(scale)))
        d.line((x, h - inset, x + dash, h - inset), fill=(*MISSING_LINE, 255), width=max(1, int(scale)))
    for y in range(int(inset), int(h - inset), int(2 * dash) or 1):
        d.line((inset, y, inset, y + dash), fill=(*MISSING_LINE, 255), width=max(1, int(scale)))
        d.line((w - inset, y, w - inset, y + dash), fill=(*MISSING_LINE, 255), width=max(1, int(scale)))
    head = "Missing (in the trash)" if status == "trashed" else "Deleted from the library"
    lines = [(head, font(13 * scale, True)), (name, font(12 * scale))]
    y = h / 2 - 16 * scale
    for text, f in lines:
        text = fit_line(d, text, f, w - 16 * scale)
        d.text(((w - d.textlength(text, font=f)) / 2, y), text, font=f, fill=(*MISSING_TEXT, 255))
        y += 20 * scale
    return tile


def fit_line(d: ImageDraw.ImageDraw, text: str, f, width: float) -> str:
    """The text on one line, cut with an ellipsis when it is too wide."""
    if d.textlength(text, font=f) <= width:
        return text
    while text and d.textlength(text + "…", font=f) > width:
        text = text[:-1]
    return text + "…" if text else ""


def wrap(d: ImageDraw.ImageDraw, text: str, f, width: float) -> list[str]:
    """Word-wrap paragraphs to `width` (a word longer than a line is cut)."""
    out = []
    for para in text.splitlines() or [""]:
        line = ""
        for word in para.split(" "):
            trial = f"{line} {word}" if line else word
            if d.textlength(trial, font=f) <= width or not line:
                line = trial
            else:
                out.append(line)
                line = word
            while d.textlength(line, font=f) > width and len(line) > 1:
                cut = len(line)
                while cut > 1 and d.textlength(line[:cut], font=f) > width:
                    cut -= 1
                out.append(line[:cut])
                line = line[cut:]
        out.append(line)
    return out


def cached_peaks(waveforms_dir: Path, asset_hash: str) -> list[float] | None:
    """Waveform peaks from the thumbnail cache, when the app already made them."""
    path = Path(waveforms_dir) / asset_hash[:2] / f"{asset_hash}.json"
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    peaks = data.get("peaks") if isinstance(data, dict) else data
    return [float(p) for p in peaks] if isinstance(peaks, list) else None
