"""Exporting a board as a PNG or a PDF, with Pillow only: the same code serves the
window (on a worker thread) and the command line (no display needed).

Elements are drawn bottom to top, each with a soft shadow: pictures from their
original files (or the cached thumbnail when that is sharp enough), videos from a
poster frame with a play badge, tracks as a card with their waveform, notes as sticky
notes, items in the trash as placeholders."""

from pathlib import Path

from PIL import Image, ImageFilter, ImageOps

from ..core.errors import InvalidInput, MediaError
from ..media import open_image, poster_frame, waveform_peaks, write_atomically
from .artboard_tiles import (BOARD_BACKGROUND, RADIUS, cached_peaks, missing_tile, note_tile,
                             picture_tile, play_badge, track_tile)
from .artboards import ArtboardElement, get_artboard
from .library import Library

MARGIN = 48.0             # around the content, at 100 %
MAX_SIDE = 16_000         # output pixels; a larger board is exported at a smaller scale
MAX_PIXELS = 120_000_000
THUMB_SIZE = 256


def _duration(ms: int | None) -> str:
    if not ms:
        return ""
    s = max(1, round(ms / 1000))   # a half-second clip is not "0:00"
    return f"{s // 60}:{s % 60:02d}"


def _picture(lib: Library, e: ArtboardElement, longest: int) -> Image.Image:
    """The element's picture, decoded no larger than needed."""
    item = e.item
    thumb = lib.paths.thumbs_dir / item.asset_hash[:2] / f"{item.asset_hash}.jpg"
    if longest <= THUMB_SIZE and thumb.exists():
        with Image.open(thumb) as img:
            return img.convert("RGB")
    path = lib.store.path(item.asset_hash)
    if item.kind == "video":
        return poster_frame(path, max_size=max(64, longest * 2))
    with open_image(path) as img:
        if img.format == "JPEG":
            img.draft("RGB", (longest, longest))
        img = ImageOps.exif_transpose(img)
        if img.mode not in ("RGB", "RGBA"):
            img = img.convert("RGBA")
        img.thumbnail((longest * 2, longest * 2), Image.Resampling.LANCZOS)  # room for cover-crop
        return img


def _peaks(lib: Library, e: ArtboardElement) -> list[float] | None:
    peaks = cached_peaks(lib.paths.waveforms_dir, e.item.asset_hash)
    if peaks is None:
        try:
            peaks = waveform_peaks(lib.store.path(e.item.asset_hash), buckets=256)
        except (MediaError, OSError):
            return None
    return peaks


def element_tile(lib: Library, e: ArtboardElement, scale: float) -> Image.Image:
    """One element as an RGBA picture of its size at `scale`."""
    size = (max(1, round(e.w * scale)), max(1, round(e.h * scale)))
    status = e.status
    if status == "note":
        return note_tile(size, scale, e.text)
    if status != "ok":
        return missing_tile(size, scale, status=status, name=e.item.name if e.item else "")
    item = e.item
    if item.kind in ("music", "voiceover"):
        subtitle = " · ".join(p for p in (item.kind.title(), _duration(item.duration_ms)) if p)
        return track_tile(size, scale, title=item.name, subtitle=subtitle, peaks=_peaks(lib, e))
    try:
        tile = picture_tile(_picture(lib, e, max(size)), size, RADIUS * scale)
    except (MediaError, OSError):
        return missing_tile(size, scale, status="unreadable", name=item.name)
    if item.kind == "video":
        play_badge(tile, scale, _duration(item.duration_ms))
    return tile


def _shadow(tile: Image.Image, scale: float) -> tuple[Image.Image, int]:
    """A soft shadow from the tile's shape, and how far it spills past the tile."""
    spread = max(2, round(8 * scale))
    mask = Image.new("L", (tile.width + 2 * spread, tile.height + 2 * spread), 0)
    mask.paste(tile.getchannel("A").point(lambda a: a * 46 // 255), (spread, spread))
    mask = mask.filter(ImageFilter.GaussianBlur(spread / 2))
    shadow = Image.new("RGBA", mask.size, (20, 20, 40, 0))
    shadow.putalpha(mask)
    return shadow, spread


def render_artboard(lib: Library, artboard_id: str, *, scale: float = 1.0,
                    background=BOARD_BACKGROUND) -> Image.Image:
    """The whole board as an RGB picture: its content plus a margin, at `scale`
    (lowered for a board so large its picture would not fit in memory)."""
    board = get_artboard(lib, artboard_id)
    bounds = board.bounds()
    if bounds is None:
        raise InvalidInput(f"The board '{board.name}' is empty: nothing to export.")
    if not scale > 0:
        raise InvalidInput("The export scale must be more than 0.")
    left, top, right, bottom = bounds
    width, height = right - left + 2 * MARGIN, bottom - top + 2 * MARGIN
    scale = min(scale, MAX_SIDE / max(width, height), (MAX_PIXELS / (width * height)) ** 0.5)
    canvas = Image.new("RGBA", (max(1, round(width * scale)), max(1, round(height * scale))),
                       (*background, 255))
    for e in board.elements:
        tile = element_tile(lib, e, scale)
        if e.rotation:
            tile = tile.rotate(-e.rotation, resample=Image.Resampling.BICUBIC, expand=True)
        cx = (e.x + e.w / 2 - left + MARGIN) * scale
        cy = (e.y + e.h / 2 - top + MARGIN) * scale
        x, y = round(cx - tile.width / 2), round(cy - tile.height / 2)
        shadow, spread = _shadow(tile, scale)
        canvas.alpha_composite(shadow, (x - spread, y - spread + round(3 * scale)))   # light from above
        canvas.alpha_composite(tile, (x, y))
    image = canvas.convert("RGB")
    image.info["board_scale"] = scale   # the scale really used
    return image


def export_artboard_png(lib: Library, artboard_id: str, dest: str | Path, *,
                        scale: float = 1.0) -> Path:
    dest = Path(dest)
    image = render_artboard(lib, artboard_id, scale=scale)
    write_atomically(dest, lambda fh: image.save(fh, "PNG", optimize=False, compress_level=6))
    return dest


def export_artboard_pdf(lib: Library, artboard_id: str, dest: str | Path, *,
                        scale: float = 2.0) -> Path:
    """One page the board's size (a point per board pixel), drawn at `scale` pixels per
    point so pictures stay sharp when zoomed or printed."""
    dest = Path(dest)
    image = render_artboard(lib, artboard_id, scale=scale)
    write_atomically(dest, lambda fh: image.save(fh, "PDF", resolution=72.0 * image.info["board_scale"]))
    return dest


def export_artboard(lib: Library, artboard_id: str, dest: str | Path,
                    scale: float | None = None) -> Path:
    """PNG or PDF, by the file's extension."""
    suffix = Path(dest).suffix.lower()
    if suffix == ".png":
        return export_artboard_png(lib, artboard_id, dest, scale=scale or 1.0)
    if suffix == ".pdf":
        return export_artboard_pdf(lib, artboard_id, dest, scale=scale or 2.0)
    raise InvalidInput(f"Export a board as .png or .pdf, not '{suffix or Path(dest).name}'.")
