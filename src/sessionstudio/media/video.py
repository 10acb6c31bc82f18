"""Video via PyAV: probing (with integrity checks) and poster frames."""

from __future__ import annotations

from pathlib import Path

import av
from PIL import Image

from sessionstudio.core.errors import InvalidInput, MediaError
from sessionstudio.media.audio import (
    AV_FAILURES,
    DECODE_PACKET_BUDGET,
    audio_facts,
    check_reaches_end,
    duration_seconds,
    first_decodable_frame,
    open_container,
    require_decoder,
)
from sessionstudio.media.info import MediaInfo, mime_for

# Frames decoded forward from the keyframe before the poster's moment; with a
# long GOP we stop early and take the latest frame, close enough for a poster.
POSTER_FRAME_BUDGET = 120

# Pixel formats that carry an alpha plane (ProRes 4444, VP9 with alpha, PNG-in-MOV).
_ALPHA_PIX_FMT_PREFIXES = ("yuva", "rgba", "bgra", "argb", "abgr", "gbrap", "ya")

# Extensions that usually mean sound: failures are worded as audio, and an
# M4A that does hold pictures is reported as the MP4 it then is.
_MOSTLY_AUDIO = {"m4a", "ogg"}
_VIDEO_EXT = {"m4a": "mp4"}

# The display matrix says how far to turn the picture counter-clockwise.
_TURNS = {
    90: Image.Transpose.ROTATE_90,
    -270: Image.Transpose.ROTATE_90,
    180: Image.Transpose.ROTATE_180,
    -180: Image.Transpose.ROTATE_180,
    -90: Image.Transpose.ROTATE_270,
    270: Image.Transpose.ROTATE_270,
}


def picture_stream(container) -> av.video.stream.VideoStream | None:
    """The first real video stream; cover art in audio files does not count."""
    for stream in container.streams.video:
        if not stream.disposition & av.stream.Disposition.attached_pic:
            return stream
    return None


def _rotation(frame: av.VideoFrame) -> int:
    try:
        return int(frame.rotation)
    except AV_FAILURES:
        return 0


def _upright_size(frame: av.VideoFrame) -> tuple[int, int]:
    if _rotation(frame) in (90, -90, 270, -270):
        return frame.height, frame.width
    return frame.width, frame.height


def probe_video(path: str | Path, ext: str) -> MediaInfo | None:
    """Facts about a video, after checking a frame decodes and the data is whole.

    Returns None when the file has no video stream (an audio-only MP4 or WebM),
    so the caller can probe it as audio. ext is the sniffed canonical extension.
    """
    path = Path(path)
    what = "audio" if ext in _MOSTLY_AUDIO else "video"
    ext = _VIDEO_EXT.get(ext, ext)
    with open_container(path, what) as container:
        stream = picture_stream(container)
        if stream is None:
            return None
        codec = require_decoder(stream, path.name, what).codec_context
        seconds = duration_seconds(container, stream)
        rate = stream.average_rate or stream.guessed_rate or stream.base_rate
        audio = container.streams.best("audio")
        sample_rate, channels = audio_facts(audio) if audio is not None else (None, None)
        frame = first_decodable_frame(container, stream)
        if frame is None:
            raise MediaError(f"{path.name}: no frame of the video could be decoded")
        width, height = _upright_size(frame)
        check_reaches_end(container, stream, path.name, what)
        return MediaInfo(
            kind="video",
            mime=mime_for("video", ext),
            ext=ext,
            format=codec.codec.canonical_name,
            width=width,
            height=height,
            has_alpha=(codec.pix_fmt or "").startswith(_ALPHA_PIX_FMT_PREFIXES),
            duration_ms=round(seconds * 1000) if seconds is not None else None,
            fps=round(float(rate), 3) if rate else None,
            sample_rate=sample_rate,
            channels=channels,
            has_audio=audio is not None,
        )


def _frame_near(container, stream, target: float) -> av.VideoFrame | None:
    """The first frame at or after target seconds (or the latest within budget)."""
    latest = None
    try:
        container.seek(int(target / stream.time_base), stream=stream, backward=True)
        decoded = 0
        for count, packet in enumerate(container.demux(stream)):
            if count >= DECODE_PACKET_BUDGET:
                break
            try:
                frames = packet.decode()
            except AV_FAILURES:
                continue  # a damaged packet; the next one may decode
            for frame in frames:
                latest = frame
                decoded += 1
                if (frame.time is not None and frame.time >= target) or decoded >= POSTER_FRAME_BUDGET:
                    return frame
    except AV_FAILURES:
        pass  # the caller falls back to the first decodable frame
    return latest


def _to_image(frame: av.VideoFrame, max_size: int | None) -> Image.Image:
    width, height = frame.width, frame.height
    if max_size and max(width, height) > max_size:
        # Scaling in swscale, before the RGB conversion, keeps 4K posters cheap.
        scale = max_size / max(width, height)
        width, height = max(1, round(width * scale)), max(1, round(height * scale))
    image = frame.to_image(width=width, height=height)
    turn = _TURNS.get(_rotation(frame))
    return image.transpose(turn) if turn is not None else image


def _poster_at(path: Path, at: float, max_size: int | None) -> Image.Image | None:
    with open_container(path, "video") as container:
        stream = picture_stream(container)
        if stream is None:
            raise MediaError(f"{path.name}: has no video stream")
        require_decoder(stream, path.name, "video")
        seconds = duration_seconds(container, stream)
        if not seconds or at <= 0:
            return None
        start = float(stream.start_time * stream.time_base) if stream.start_time else 0.0
        frame = _frame_near(container, stream, start + seconds * at)
        return _to_image(frame, max_size) if frame is not None else None


def _first_poster(path: Path, max_size: int | None) -> Image.Image | None:
    with open_container(path, "video") as container:
        stream = picture_stream(container)
        if stream is None:
            return None
        frame = first_decodable_frame(container, require_decoder(stream, path.name, "video"))
        return _to_image(frame, max_size) if frame is not None else None


def poster_frame(path: str | Path, at: float = 0.1, max_size: int | None = None) -> Image.Image:
    """An upright RGB picture of the frame at fraction at of the video's duration.

    Falls back to the first decodable frame when seeking fails or the duration
    is unknown. With max_size, the longest side is scaled down to it while
    decoding. Raises MediaError when no frame decodes.
    """
    if not 0 <= at <= 1:
        raise InvalidInput(f"at must be a fraction of the duration between 0 and 1, not {at}")
    path = Path(path)
    image = _poster_at(path, at, max_size)
    if image is None:
        image = _first_poster(path, max_size)
    if image is None:
        raise MediaError(f"{path.name}: no frame of the video could be decoded")
    return image
