"""Real, small media files for tests: images with Pillow, video and audio with PyAV.

Every function writes the file and returns its Path. Content is deterministic,
so tests can check what they get back (brightness, colours, loudness).
"""

from __future__ import annotations

import io
import wave
from pathlib import Path

import av
import numpy as np
from PIL import Image


def _encoder(preferred: str, fallback: str) -> str:
    try:
        av.Codec(preferred, "w")
        return preferred
    except Exception:  # noqa: BLE001 - PyAV raises several kinds for a missing codec
        return fallback


# Which video encoder each container gets; libx264 is present in PyAV's wheels,
# mpeg4 (always built in) covers builds without it.
_H264 = _encoder("libx264", "mpeg4")
_VIDEO_CODEC_BY_SUFFIX = {".webm": "libvpx-vp9", ".mkv": _H264, ".mov": _H264, ".mp4": _H264}


def gradient(w: int, h: int) -> np.ndarray:
    """An RGB gradient, so that scaled or rotated copies can be told apart."""
    x = np.linspace(0, 255, w, dtype=np.float32)[None, :]
    y = np.linspace(0, 255, h, dtype=np.float32)[:, None]
    rgb = np.stack([np.broadcast_to(x, (h, w)), np.broadcast_to(y, (h, w)), np.full((h, w), 96.0)], axis=2)
    return rgb.astype(np.uint8)


def make_png(path: str | Path, w: int = 64, h: int = 48, alpha: bool = False) -> Path:
    """An RGB (or RGBA, alpha rising left to right) gradient PNG."""
    path = Path(path)
    image = Image.fromarray(gradient(w, h), "RGB")
    if alpha:
        mask = np.broadcast_to(np.linspace(0, 255, w, dtype=np.uint8)[None, :], (h, w))
        image.putalpha(Image.fromarray(np.ascontiguousarray(mask), "L"))
    image.save(path, "PNG", compress_level=1)
    return path


def make_jpeg(path: str | Path, w: int = 64, h: int = 48, exif_orientation: int | None = None) -> Path:
    """A JPEG whose left half is red and right half blue, with an optional EXIF orientation."""
    path = Path(path)
    pixels = np.zeros((h, w, 3), dtype=np.uint8)
    pixels[:, : w // 2] = (220, 20, 20)
    pixels[:, w // 2 :] = (20, 20, 220)
    image = Image.fromarray(pixels, "RGB")
    options = {}
    if exif_orientation is not None:
        exif = Image.Exif()
        exif[0x0112] = exif_orientation
        options["exif"] = exif.tobytes()
    image.save(path, "JPEG", quality=90, **options)
    return path


def _sine(seconds: float, rate: int, channels: int, freq: float, amplitude: float) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    tone = (amplitude * np.sin(2 * np.pi * freq * t)).astype(np.float32)
    return np.tile(tone, (channels, 1))


def _encode_audio(container, stream, planes: np.ndarray, rate: int) -> None:
    layout = "mono" if planes.shape[0] == 1 else "stereo"
    for start in range(0, planes.shape[1], 1024):
        chunk = np.ascontiguousarray(planes[:, start : start + 1024])
        frame = av.AudioFrame.from_ndarray(chunk, format="fltp", layout=layout)
        frame.sample_rate, frame.pts = rate, start
        for packet in stream.encode(frame):
            container.mux(packet)
    for packet in stream.encode():
        container.mux(packet)


def make_mp4(
    path: str | Path,
    seconds: float = 1.0,
    fps: int = 12,
    w: int = 64,
    h: int = 48,
    with_audio: bool = False,
    faststart: bool = False,
    rotation: int = 0,
    metadata: dict[str, str] | None = None,
) -> Path:
    """A video whose frame i is grey at level 10 + 20 * i (capped at 250), with a
    white marker over the top-left quarter (w/4 by h/4) to show orientation.

    The container follows the suffix (.mp4, .mov, .mkv, .webm); w and h must be
    even for yuv420p. faststart puts the index (moov) before the data; rotation
    (degrees counter-clockwise) is written as the display matrix. metadata becomes
    container tags, any name kept (MP4: movflags use_metadata_tags, as ComfyUI writes).
    """
    path = Path(path)
    flags = (["faststart"] if faststart else []) + (["use_metadata_tags"] if metadata else [])
    options = {"movflags": "+".join(flags)} if flags else {}
    with av.open(str(path), "w", options=options) as container:
        container.metadata.update(metadata or {})
        video = container.add_stream(_VIDEO_CODEC_BY_SUFFIX.get(path.suffix, _H264), rate=fps)
        video.width, video.height, video.pix_fmt = w, h, "yuv420p"
        if rotation:
            video.set_display_rotation(rotation)
        if video.codec_context.name == "libx264":
            video.options = {"preset": "ultrafast"}
        audio = None
        if with_audio:
            audio = container.add_stream("aac", rate=22050)
            audio.layout = "mono"
        for i in range(round(seconds * fps)):
            level = min(250, 10 + 20 * i)
            pixels = np.full((h, w, 3), level, np.uint8)
            pixels[: h // 4, : w // 4] = 255
            frame = av.VideoFrame.from_ndarray(pixels, format="rgb24")
            for packet in video.encode(frame):
                container.mux(packet)
        for packet in video.encode():
            container.mux(packet)
        if audio is not None:
            _encode_audio(container, audio, _sine(seconds, 22050, 1, 440, 0.5), 22050)
    return path


def write_wav(path: str | Path, planes: np.ndarray, rate: int) -> Path:
    """A 16-bit PCM WAV of float samples in -1..1, shaped (channels, samples)."""
    path = Path(path)
    pcm = (np.clip(planes, -1, 1) * 32767).astype("<i2").T  # interleave the channels
    with wave.open(str(path), "wb") as out:
        out.setnchannels(planes.shape[0])
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(pcm.tobytes())
    return path


def make_wav(
    path: str | Path, seconds: float = 1.0, rate: int = 22050, channels: int = 1, freq: float = 440
) -> Path:
    """A sine tone at half amplitude, in every channel."""
    return write_wav(path, _sine(seconds, rate, channels, freq, 0.5), rate)


_AUDIO_CODEC_BY_SUFFIX = {".mp3": "libmp3lame", ".flac": "flac", ".ogg": "libopus", ".m4a": "aac", ".mp4": "aac"}


def _add_cover_art(container) -> None:
    # Cover art is a one-packet video stream marked as an attached picture.
    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), (200, 30, 30)).save(buffer, "JPEG")
    cover = container.add_stream("mjpeg")
    cover.width, cover.height, cover.pix_fmt = 32, 32, "yuvj420p"
    cover.disposition = av.stream.Disposition.attached_pic
    packet = av.Packet(buffer.getvalue())
    packet.stream, packet.pts, packet.dts = cover, 0, 0
    container.mux(packet)


def make_encoded_audio(
    path: str | Path, seconds: float = 1.0, channels: int = 1, cover_art: bool = False
) -> Path:
    """A sine tone encoded after the suffix: .mp3, .flac, .ogg (Opus), .m4a or .mp4 (AAC).

    cover_art (MP3 and FLAC) adds a JPEG as an attached picture, as taggers do.
    """
    path = Path(path)
    rate = 48000 if path.suffix == ".ogg" else 22050  # Opus only takes 48 kHz and a few others
    with av.open(str(path), "w") as container:
        stream = container.add_stream(_AUDIO_CODEC_BY_SUFFIX[path.suffix], rate=rate)
        stream.layout = "mono" if channels == 1 else "stereo"
        if cover_art:
            _add_cover_art(container)
        _encode_audio(container, stream, _sine(seconds, rate, channels, 440, 0.5), rate)
    return path
