"""Thumbnails (JPEG) and waveform JSON, written atomically next to their final name."""

from __future__ import annotations

import contextlib
import json
import math
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

import numpy as np
from PIL import Image, ImageDraw

from sessionstudio.core.errors import InvalidInput, MediaError, StoreError
from sessionstudio.media.audio import waveform_peaks
from sessionstudio.media.images import PILLOW_FAILURES, describe_failure, exif_orientation, has_alpha, open_image
from sessionstudio.media.video import poster_frame

JPEG_QUALITY = 85
# Transparent pixels land on mid grey: readable on light and dark themes alike.
NEUTRAL_BACKGROUND = (128, 128, 128)
WAVEFORM_BACKGROUND = (28, 30, 34)
WAVEFORM_COLOUR = (122, 170, 255)
AUDIO_KINDS = {"audio", "music", "voiceover"}

# How to turn a picture upright for each EXIF orientation (as ImageOps.exif_transpose
# does); applied after shrinking so the turn costs next to nothing.
_ORIENTATION_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def write_atomically(dest_path: str | Path, write: Callable[[BinaryIO], object]) -> None:
    """Write a file through a temporary sibling and os.replace it into place.

    A crash mid-write leaves at most a stray ".tmp" file, never a half-written
    file under the final name. No fsync: thumbnails can always be rebuilt.
    """
    dest = Path(dest_path)
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".tmp")
    except OSError as exc:
        raise StoreError(f"{dest}: cannot be written ({exc.strerror or exc})") from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
        os.replace(temp, dest)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        if isinstance(exc, OSError):
            raise StoreError(f"{dest}: cannot be written ({exc.strerror or exc})") from exc
        raise


def _sixteen_bit_to_grey(image: Image.Image) -> Image.Image:
    # Pillow's own conversion clips 16-bit values to 255 instead of scaling them.
    values = np.clip(np.asarray(image, dtype=np.int64), 0, 65535) >> 8
    return Image.fromarray(values.astype(np.uint8), "L")


def _reducible(image: Image.Image) -> Image.Image:
    """The image in a mode Image.reduce() can average (palette indices cannot be)."""
    if image.mode in ("P", "PA"):
        return image.convert("RGBA" if has_alpha(image) else "RGB")
    if image.mode == "1":
        return image.convert("L")
    if image.mode.startswith("I;16") or image.mode == "I":
        return _sixteen_bit_to_grey(image)
    return image


def _flattened(image: Image.Image) -> Image.Image:
    """RGB, with any transparency composited on the neutral background."""
    if has_alpha(image):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, NEUTRAL_BACKGROUND)
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image if image.mode == "RGB" else image.convert("RGB")


def _shrink(image: Image.Image, size: int) -> Image.Image:
    if image.format == "JPEG":
        # Decode at 1/2, 1/4 or 1/8 scale when that still covers the thumbnail. Ask for
        # the thumbnail's own box (256x192 for 4:3), not a square: draft() keeps both
        # sides at least as big as asked, so a square would stop at half the scale.
        w, h = image.size
        scale = size / max(w, h)
        image.draft("RGB", (max(1, math.ceil(w * scale)), max(1, math.ceil(h * scale))))
    # Decode now, while the file is open and failures are still ours to word.
    image.load()
    orientation = exif_orientation(image)
    picture = _reducible(image)
    # reduce() averages whole pixel blocks (an area filter, so no aliasing), far cheaper
    # than resampling the full image; the final resample covers the remaining fraction.
    factor = max(picture.size) // size
    if factor >= 2:
        picture = picture.reduce(factor)
    picture = _flattened(picture)
    if orientation in _ORIENTATION_TRANSPOSE:
        picture = picture.transpose(_ORIENTATION_TRANSPOSE[orientation])
    picture.thumbnail((size, size), Image.Resampling.LANCZOS, reducing_gap=None)
    return picture


def _image_thumbnail(path: Path, size: int) -> Image.Image:
    with open_image(path) as image:
        try:
            return _shrink(image, size)
        except PILLOW_FAILURES as exc:
            raise MediaError(f"{path.name}: {describe_failure(exc)}") from exc


def _video_thumbnail(path: Path, size: int) -> Image.Image:
    # The poster is scaled while decoding to twice the target, then resampled.
    picture = poster_frame(path, max_size=size * 2).convert("RGB")
    picture.thumbnail((size, size), Image.Resampling.LANCZOS, reducing_gap=None)
    return picture


def _waveform_picture(path: Path, size: int) -> Image.Image:
    width, height = size, max(2, size // 2)
    peaks = waveform_peaks(path, buckets=width)
    picture = Image.new("RGB", (width, height), WAVEFORM_BACKGROUND)
    draw = ImageDraw.Draw(picture)
    middle = (height - 1) / 2
    for x, peak in enumerate(peaks):
        reach = max(0.5, peak * middle)  # silence still shows as a thin line
        draw.line([(x, middle - reach), (x, middle + reach)], fill=WAVEFORM_COLOUR)
    return picture


def make_thumbnail(src_path: str | Path, dest_path: str | Path, kind: str, size: int = 256) -> tuple[int, int]:
    """Write a JPEG thumbnail whose longest side is at most size; returns its (w, h).

    kind is "image", "video" or "audio" ("music" and "voiceover" count as audio,
    which gets a picture of its waveform). Raises MediaError for unreadable
    sources and StoreError when the thumbnail cannot be written.
    """
    if size < 1:
        raise InvalidInput(f"thumbnail size must be at least 1 pixel, not {size}")
    src = Path(src_path)
    if kind == "image":
        picture = _image_thumbnail(src, size)
    elif kind == "video":
        picture = _video_thumbnail(src, size)
    elif kind in AUDIO_KINDS:
        picture = _waveform_picture(src, size)
    else:
        raise InvalidInput(f"cannot make a thumbnail for kind {kind!r}; expected image, video or audio")
    write_atomically(dest_path, lambda fh: picture.save(fh, "JPEG", quality=JPEG_QUALITY))
    return picture.size


def waveform_json(src_path: str | Path, dest_path: str | Path, buckets: int = 512) -> list[float]:
    """Write {"buckets": n, "peaks": [...]} for an audio file atomically; returns the peaks."""
    peaks = waveform_peaks(src_path, buckets=buckets)
    payload = json.dumps({"buckets": len(peaks), "peaks": peaks}, separators=(",", ":"))
    write_atomically(dest_path, lambda fh: fh.write(payload.encode("utf-8")))
    return peaks
