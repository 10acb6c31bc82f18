"""What Session Studio knows about one media file after probing it."""

from __future__ import annotations

from dataclasses import dataclass

IMAGE_MIME = {
    "png": "image/png",
    "jpg": "image/jpeg",
    "webp": "image/webp",
    "gif": "image/gif",
}

VIDEO_MIME = {
    "mp4": "video/mp4",
    "mov": "video/quicktime",
    "webm": "video/webm",
    "mkv": "video/x-matroska",
    "ogg": "video/ogg",
}

# Audio-only files in a container that usually carries video (webm, mkv) keep
# that container's extension but get the audio MIME type.
AUDIO_MIME = {
    "wav": "audio/wav",
    "mp3": "audio/mpeg",
    "ogg": "audio/ogg",
    "flac": "audio/flac",
    "m4a": "audio/mp4",
    "webm": "audio/webm",
    "mkv": "audio/x-matroska",
}

MIME_BY_KIND = {"image": IMAGE_MIME, "video": VIDEO_MIME, "audio": AUDIO_MIME}


def mime_for(kind: str, ext: str) -> str:
    """The MIME type of a file of this kind and canonical extension."""
    return MIME_BY_KIND[kind].get(ext, "application/octet-stream")


@dataclass
class MediaInfo:
    """The facts a library needs about a media file, read from its content.

    kind is "image", "video" or "audio" (the library later tells music from
    voiceover). ext is the canonical extension without the dot, chosen from the
    content, not from the file's name. format is Pillow's format name for images
    ("PNG", "JPEG", ...) and the main stream's codec for video and audio
    ("h264", "vp9", "mp3", "pcm_s16le", ...). width and height are as displayed,
    that is after EXIF orientation (images) or the rotation matrix (videos).
    """

    kind: str
    mime: str
    ext: str
    format: str
    width: int | None = None
    height: int | None = None
    has_alpha: bool = False
    duration_ms: int | None = None
    fps: float | None = None
    sample_rate: int | None = None
    channels: int | None = None
    has_audio: bool = False
