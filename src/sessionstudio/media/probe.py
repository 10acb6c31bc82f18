"""probe(): what a media file is, judged by its content, never by its name."""

from __future__ import annotations

from pathlib import Path

from sessionstudio.core.errors import MediaError
from sessionstudio.media.audio import probe_audio
from sessionstudio.media.images import probe_image, sniff_image
from sessionstudio.media.info import MediaInfo
from sessionstudio.media.video import probe_video

# Enough for every signature below, including Matroska's DocType element.
HEAD_BYTES = 64

# QuickTime files from before the ftyp box start straight with one of these.
_QUICKTIME_LEADING_ATOMS = {b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"}

# Containers that may hold pictures or only sound; their streams decide.
_MAY_HOLD_VIDEO = {"mp4", "mov", "m4a", "webm", "mkv", "ogg"}


def _is_mpeg_audio_frame(head: bytes) -> bool:
    # An MPEG audio frame header: 11 sync bits, then no reserved values. Layer
    # bits 00 (reserved here) are what ADTS AAC uses, so AAC is not taken for MP3.
    if len(head) < 3 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return False
    version, layer = (head[1] >> 3) & 3, (head[1] >> 1) & 3
    bitrate, rate = head[2] >> 4, (head[2] >> 2) & 3
    return version != 1 and layer != 0 and bitrate != 15 and rate != 3


def sniff_audio_video(head: bytes) -> str | None:
    """The canonical extension of an audio or video file starting with head, else None."""
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand == b"qt  ":
            return "mov"
        if brand in (b"M4A ", b"M4B ", b"M4P "):
            return "m4a"
        return "mp4"
    if head[4:8] in _QUICKTIME_LEADING_ATOMS:
        return "mov"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "webm" if b"webm" in head else "mkv"
    if head[:4] in (b"RIFF", b"RF64") and head[8:12] == b"WAVE":
        return "wav"
    if head.startswith(b"fLaC"):
        return "flac"
    if head.startswith(b"OggS"):
        return "ogg"
    if head.startswith(b"ID3") or _is_mpeg_audio_frame(head):
        return "mp3"
    return None


def _read_head(path: Path) -> bytes:
    try:
        with path.open("rb") as fh:
            return fh.read(HEAD_BYTES)
    except FileNotFoundError:
        raise MediaError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise MediaError(f"{path}: is a folder, not a file") from None
    except OSError as exc:
        raise MediaError(f"{path}: cannot be read ({exc.strerror or exc})") from None


def probe(path: str | Path) -> MediaInfo:
    """Recognise a file by its content and read its facts, checking it decodes.

    Raises MediaError, naming the file, for a missing, empty, unknown, corrupt,
    truncated or oversized file.
    """
    path = Path(path)
    head = _read_head(path)
    if not head:
        raise MediaError(f"{path.name}: the file is empty")
    if sniff_image(head) is not None:
        return probe_image(path)
    ext = sniff_audio_video(head)
    if ext is None:
        raise MediaError(f"{path.name}: not an image, video or audio file Session Studio can read")
    if ext in _MAY_HOLD_VIDEO:
        info = probe_video(path, ext)
        if info is not None:
            return info
        return probe_audio(path, "m4a" if ext in ("mp4", "mov") else ext)
    return probe_audio(path, ext)
