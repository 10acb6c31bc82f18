"""Images: recognise them by content, open them safely, probe them cheaply.

Pillow's own decompression-bomb guard lives in Image.open() and reads the
process-wide Image.MAX_IMAGE_PIXELS, which other code may change. We open files
with the format's plugin class directly (which parses the header but decodes
nothing) and compare the size with our own MAX_PIXELS before any pixel is
decoded, so the limit holds whatever the rest of the process does.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

from PIL import GifImagePlugin, Image, ImageFile, JpegImagePlugin, PngImagePlugin, WebPImagePlugin

from sessionstudio.core.errors import MediaError
from sessionstudio.media.info import MediaInfo, mime_for

MAX_PIXELS = 180_000_000

_PLUGINS: dict[str, type[ImageFile.ImageFile]] = {
    "png": PngImagePlugin.PngImageFile,
    "jpg": JpegImagePlugin.JpegImageFile,
    "gif": GifImagePlugin.GifImageFile,
    "webp": WebPImagePlugin.WebPImageFile,
}

_EXT_BY_FORMAT = {plugin.format: ext for ext, plugin in _PLUGINS.items()}

# Everything Pillow raises on hostile or damaged input; at this boundary each of
# them means "this file cannot be read", never a bug to crash on.
PILLOW_FAILURES: tuple[type[BaseException], ...] = (
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    IndexError,
    TypeError,
    KeyError,
    struct.error,
    zlib.error,
    MemoryError,
    Image.DecompressionBombError,
)

EXIF_ORIENTATION_TAG = 0x0112
# EXIF orientations 5 to 8 turn the picture a quarter, swapping width and height.
QUARTER_TURN_ORIENTATIONS = {5, 6, 7, 8}


def sniff_image(head: bytes) -> str | None:
    """The canonical extension of an image whose first bytes are head, else None."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


def _webp_canvas_size(head: bytes) -> tuple[int, int] | None:
    # Pillow's WebP opener builds the decoder (and its canvas) while opening, so
    # the size has to come from the header before the plugin is even called.
    chunk = head[12:16]
    if chunk == b"VP8 " and len(head) >= 30 and head[23:26] == b"\x9d\x01\x2a":
        w, h = struct.unpack("<HH", head[26:30])
        return w & 0x3FFF, h & 0x3FFF
    if chunk == b"VP8X" and len(head) >= 30:
        w = int.from_bytes(head[24:27], "little") + 1
        h = int.from_bytes(head[27:30], "little") + 1
        return w, h
    if chunk == b"VP8L" and len(head) >= 25 and head[20] == 0x2F:
        bits = int.from_bytes(head[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    return None


def _megapixels(pixels: int) -> str:
    return f"{pixels / 1_000_000:.1f}".removesuffix(".0")


def refuse_if_too_big(name: str, size: tuple[int, int]) -> None:
    """Raise MediaError when an image of this size is over MAX_PIXELS."""
    width, height = size
    if width * height > MAX_PIXELS:
        raise MediaError(
            f"{name} is {width}×{height} pixels ({_megapixels(width * height)} MP), "
            f"larger than the {_megapixels(MAX_PIXELS)} MP Session Studio accepts"
        )


def describe_failure(exc: BaseException) -> str:
    """A short, readable reason for one of PILLOW_FAILURES."""
    detail = str(exc).strip()
    if isinstance(exc, Image.DecompressionBombError):
        return "image is too large to decode safely"
    if isinstance(exc, MemoryError):
        return "image is too large to decode with the memory available"
    if "truncated" in detail.lower():
        return "image data is truncated"
    return f"image data is corrupt ({detail})" if detail else "image data is corrupt"


def _read_head(path: Path, count: int) -> bytes:
    try:
        with path.open("rb") as fh:
            return fh.read(count)
    except FileNotFoundError:
        raise MediaError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise MediaError(f"{path}: is a folder, not a file") from None
    except OSError as exc:
        raise MediaError(f"{path}: cannot be read ({exc.strerror or exc})") from None


def open_image(path: str | Path) -> ImageFile.ImageFile:
    """Open an image for reading, refusing unknown formats and oversized images.

    Nothing is decoded yet; use the result as a context manager so the file is
    closed. Raises MediaError naming the file.
    """
    path = Path(path)
    head = _read_head(path, 32)
    ext = sniff_image(head)
    if ext is None:
        raise MediaError(f"{path.name}: not an image Session Studio can read")
    if ext == "webp" and (size := _webp_canvas_size(head)) is not None:
        refuse_if_too_big(path.name, size)
    try:
        image = _PLUGINS[ext](path)
    except PILLOW_FAILURES as exc:
        raise MediaError(f"{path.name}: {describe_failure(exc)}") from exc
    try:
        refuse_if_too_big(path.name, image.size)
    except MediaError:
        image.close()
        raise
    return image


def exif_orientation(image: Image.Image) -> int:
    """The EXIF orientation (1 to 8) of an open image; 1 when absent or unreadable.

    Reads only the EXIF block found while opening: Image.getexif() on a PNG
    decodes the whole image looking for a late eXIf chunk.
    """
    raw = image.info.get("exif")
    if not raw:
        return 1
    try:
        exif = Image.Exif()
        exif.load(raw)
        value = exif.get(EXIF_ORIENTATION_TAG, 1)
    except PILLOW_FAILURES:
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def has_alpha(image: Image.Image) -> bool:
    """Whether the image carries transparency (an alpha band or a transparent colour)."""
    return image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info


def _check_decodes(image: ImageFile.ImageFile) -> None:
    # The cheapest check that still reads every byte of the compressed data:
    # PNG verifies chunk CRCs through to IEND without inflating; JPEG decodes
    # at 1/8 scale via draft(); GIF and WebP decode their first frame.
    if image.format == "PNG":
        image.verify()
        return
    if image.format == "JPEG":
        image.draft(image.mode, (1, 1))
    image.load()


def probe_image(path: str | Path) -> MediaInfo:
    """Size, format and transparency of an image, after checking it decodes."""
    path = Path(path)
    with open_image(path) as image:
        width, height = image.size
        if exif_orientation(image) in QUARTER_TURN_ORIENTATIONS:
            width, height = height, width
        fmt = image.format or ""
        ext = _EXT_BY_FORMAT[fmt]
        alpha = has_alpha(image)
        try:
            _check_decodes(image)
        except PILLOW_FAILURES as exc:
            raise MediaError(f"{path.name}: {describe_failure(exc)}") from exc
    return MediaInfo(
        kind="image",
        mime=mime_for("image", ext),
        ext=ext,
        format=fmt,
        width=width,
        height=height,
        has_alpha=alpha,
    )
