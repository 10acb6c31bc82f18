"""Frame and audio plumbing shared by the built-in video effects (PyAV, no Qt).

Readers yield upright RGB frames; ClipWriter encodes frames (and optional
audio) to MP4 through a ".part.mp4" file that only becomes `out` when the
whole clip is written, so a cancelled or failed effect leaves nothing behind.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from PIL import Image

from sessionstudio.core.errors import Cancelled, InvalidInput, MediaError, StoreError
from sessionstudio.media.audio import AV_FAILURES, duration_seconds, open_container
from sessionstudio.media.probe import probe
from sessionstudio.media.video import picture_stream

Progress = Callable[[float, str], None]
IsCancelled = Callable[[], bool]

# AAC only takes these sample rates; anything else is resampled to 48 kHz.
_AAC_RATES = {96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000}
_AAC_FRAME = 1024
# The display matrix says how far to turn the picture counter-clockwise.
_TURNS = {90: Image.Transpose.ROTATE_90, -270: Image.Transpose.ROTATE_90, 180: Image.Transpose.ROTATE_180,
          -180: Image.Transpose.ROTATE_180, -90: Image.Transpose.ROTATE_270, 270: Image.Transpose.ROTATE_270}
# Rates outside this range are container noise (VFR guesses), not a real frame rate.
_SANE_FPS = (1, 120)


def no_progress(fraction: float, message: str) -> None:
    """The default progress callback: report nowhere."""


def never_cancelled() -> bool:
    """The default cancelled callback: never stop."""
    return False


def _pick_codec() -> str:
    # libx264 ships in PyAV's wheels; mpeg4 is always built in, for other builds.
    try:
        av.Codec("libx264", "w")
        return "libx264"
    except Exception:  # noqa: BLE001 - PyAV raises several kinds for a missing codec
        return "mpeg4"


VIDEO_CODEC = _pick_codec()


class Ticker:
    """Checks cancelled() on every step and reports progress every 2% (at most)."""

    def __init__(self, progress: Progress, cancelled: IsCancelled, total: int, message: str,
                 start: float = 0.0, end: float = 1.0) -> None:
        self.progress, self.cancelled = progress, cancelled
        self.total, self.message = max(1, total), message
        self.start, self.end = start, end
        self.last = -1.0

    def step(self, index: int) -> None:
        if self.cancelled():
            raise Cancelled()
        # Totals from headers are estimates, so never claim more than 99% here.
        fraction = self.start + (self.end - self.start) * min(0.99, index / self.total)
        if fraction - self.last >= 0.02 or self.last < 0:
            self.progress(fraction, self.message)
            self.last = fraction


def check_fps(fps) -> int:
    """fps as an int, if it is a whole number of frames from 1 to 60 a second."""
    try:
        whole = float(fps).is_integer() and 1 <= fps <= 60
    except (TypeError, ValueError):
        whole = False
    if not whole:
        raise InvalidInput(f"Frame rate must be a whole number from 1 to 60, not {fps}")
    return int(fps)


def even_size(width: int, height: int) -> tuple[int, int]:
    """The size rounded down to even numbers (yuv420p needs them), at least 2x2."""
    return max(2, width - width % 2), max(2, height - height % 2)


def capped_size(width: int, height: int, long_side: int) -> tuple[int, int]:
    """The size scaled down (never up) so its long side is at most long_side, even."""
    scale = min(1.0, long_side / max(width, height))
    return even_size(round(width * scale), round(height * scale))


def upright(frame: av.VideoFrame) -> Image.Image:
    """The decoded frame as an RGB picture, turned as its display matrix says."""
    image = frame.to_image()
    try:
        turn = _TURNS.get(int(frame.rotation))
    except AV_FAILURES:
        turn = None
    return image.transpose(turn) if turn is not None else image


def iter_decoded(container, stream) -> Iterator[av.VideoFrame]:
    """Decoded frames of stream from the container's position, skipping damaged packets
    (one bad packet should not sink a whole effect)."""
    for packet in container.demux(stream):
        try:
            frames = packet.decode()
        except AV_FAILURES:
            continue
        yield from frames


class ClipFacts:
    """What an effect needs to know about a source video before reading its frames."""

    def __init__(self, src: Path) -> None:
        # probe() judges by content and checks the file is whole; FFmpeg alone would
        # happily read a PNG as a one-frame video.
        kind = probe(src).kind
        if kind != "video":
            raise InvalidInput(f"{src.name}: is {'an' if kind == 'image' else 'a'} {kind} file, not a video")
        with open_container(src, "video") as container:
            stream = picture_stream(container)
            if stream is None:
                raise MediaError(f"{src.name}: has no video stream")
            rate = stream.average_rate or stream.guessed_rate or stream.base_rate
            if not rate or not _SANE_FPS[0] <= float(rate) <= _SANE_FPS[1]:
                rate = Fraction(30)
            self.fps = Fraction(rate).limit_denominator(1001)
            self.duration = duration_seconds(container, stream) or 0.0
            self.frames = int(stream.frames or round(self.duration * self.fps)) or 1
            self.has_audio = bool(container.streams.audio)


def iter_frames(src: Path) -> Iterator[Image.Image]:
    """Every frame of the video, upright RGB, in order; damaged packets are skipped."""
    with open_container(src, "video") as container:
        stream = picture_stream(container)
        if stream is None:
            raise MediaError(f"{src.name}: has no video stream")
        stream.thread_type = "AUTO"
        count = 0
        for frame in iter_decoded(container, stream):
            count += 1
            yield upright(frame)
        if count == 0:
            raise MediaError(f"{src.name}: no frame of the video could be decoded")


def read_audio(src: Path) -> tuple[np.ndarray, int] | None:
    """The first audio stream as float32 planes (channels, samples) and its rate; None without one."""
    with open_container(src, "audio") as container:
        if not container.streams.audio:
            return None
        stream = container.streams.audio[0]
        channels = stream.codec_context.layout.nb_channels if stream.codec_context.layout else 1
        rate = stream.codec_context.sample_rate or 48000
        rate = rate if rate in _AAC_RATES else 48000
        layout = "mono" if channels == 1 else "stereo"
        resampler = av.AudioResampler(format="fltp", layout=layout, rate=rate)
        chunks = []
        for packet in container.demux(stream):
            try:
                frames = packet.decode()
            except AV_FAILURES:
                continue
            for frame in frames:
                chunks.extend(f.to_ndarray() for f in resampler.resample(frame))
        chunks.extend(f.to_ndarray() for f in resampler.resample(None))
        width = 1 if layout == "mono" else 2
        planes = np.concatenate(chunks, axis=1) if chunks else np.zeros((width, 0), np.float32)
        if stream.duration and stream.time_base:
            # Decoders keep the encoder's padding of the last frame; the declared
            # duration does not, and each re-encode would otherwise add up to a frame.
            planes = planes[:, : round(float(stream.duration * stream.time_base) * rate)]
        return planes.astype(np.float32, copy=False), rate


def fit_audio(audio: tuple[np.ndarray, int], seconds: float, fade: float = 0.03) -> tuple[np.ndarray, int]:
    """The audio trimmed or padded with silence to seconds; a short fade where it is cut avoids a click."""
    planes, rate = audio
    want = max(1, round(seconds * rate))
    if planes.shape[1] >= want:
        out = planes[:, :want].copy()
    else:
        out = np.zeros((planes.shape[0], want), np.float32)
        out[:, : planes.shape[1]] = planes
    cut = min(planes.shape[1], want)
    ramp = min(cut, int(fade * rate))
    if ramp and (planes.shape[1] != want):
        out[:, cut - ramp : cut] *= np.linspace(1.0, 0.0, ramp, dtype=np.float32)
    return out, rate


class ClipWriter:
    """An MP4 being written: H.264 (or MPEG-4) yuv420p video, AAC audio.

    The frame size is fixed by the first frame (rounded down to even); later
    frames of another size are cropped (one stray pixel) or resized. Audio is
    encoded alongside the frames so the file is interleaved. Use as a context
    manager: on success the part file becomes out, on any error it is removed.
    """

    def __init__(self, out: Path, fps: float | Fraction, audio: tuple[np.ndarray, int] | None = None) -> None:
        self.out = Path(out)
        self.part = self.out.with_suffix(".part.mp4")
        self.fps = Fraction(fps).limit_denominator(1001)
        self.audio = audio
        self.size: tuple[int, int] | None = None
        self.count = 0
        self._container = self._video = self._sound = None
        self._sent = 0  # audio samples already handed to the encoder

    def __enter__(self) -> ClipWriter:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self._finish()
        else:
            self._discard()

    def _open(self, size: tuple[int, int]) -> None:
        try:
            self._container = av.open(str(self.part), "w", format="mp4", options={"movflags": "faststart"})
        except AV_FAILURES as error:
            raise StoreError(f"{self.out.name}: cannot be written ({error})") from error
        video = self._container.add_stream(VIDEO_CODEC, rate=self.fps)
        video.width, video.height = size
        video.pix_fmt = "yuv420p"
        video.codec_context.time_base = 1 / self.fps
        if VIDEO_CODEC == "libx264":
            video.options = {"preset": "veryfast", "crf": "18"}
        else:  # mpeg4 has no quality knob through PyAV's options; give it bits instead
            video.bit_rate = max(1_000_000, int(size[0] * size[1] * float(self.fps) * 0.25))
        self._video = video
        if self.audio is not None:
            planes, rate = self.audio
            self._sound = self._container.add_stream("aac", rate=rate)
            self._sound.layout = "mono" if planes.shape[0] == 1 else "stereo"
        self.size = size

    def write(self, image: Image.Image | np.ndarray) -> None:
        """Append one RGB frame (a PIL image or an HxWx3 uint8 array)."""
        if isinstance(image, np.ndarray):
            image = Image.fromarray(image, "RGB")
        image = image.convert("RGB") if image.mode != "RGB" else image
        if self.size is None:
            self._open(even_size(*image.size))
        if image.size != self.size:
            w, h = image.size
            if 0 <= w - self.size[0] <= 1 and 0 <= h - self.size[1] <= 1:
                image = image.crop((0, 0, *self.size))
            else:
                image = image.resize(self.size, Image.Resampling.LANCZOS)
        frame = av.VideoFrame.from_image(image)
        frame.pts = self.count
        frame.time_base = 1 / self.fps
        self._mux(self._video.encode(frame))
        self.count += 1
        self._send_audio(self.count / self.fps, final=False)

    def _mux(self, packets) -> None:
        for packet in packets:
            self._container.mux(packet)

    def _send_audio(self, until: float | Fraction, final: bool) -> None:
        if self._sound is None:
            return
        planes, rate = self.audio
        end = planes.shape[1] if final else min(planes.shape[1], int(until * rate))
        layout = self._sound.layout.name
        while end - self._sent >= _AAC_FRAME or (final and end > self._sent):
            stop = min(end, self._sent + _AAC_FRAME)  # only the last frame may be short
            chunk = np.ascontiguousarray(planes[:, self._sent : stop])
            frame = av.AudioFrame.from_ndarray(chunk, format="fltp", layout=layout)
            frame.sample_rate, frame.pts = rate, self._sent
            self._mux(self._sound.encode(frame))
            self._sent = stop

    def _finish(self) -> None:
        try:
            if self._container is None:
                raise MediaError(f"{self.out.name}: no frames to write")
            self._mux(self._video.encode())
            if self._sound is not None:
                self._send_audio(0, final=True)
                self._mux(self._sound.encode())
            self._container.close()
            self._container = None
            os.replace(self.part, self.out)
        except BaseException as error:
            self._discard()
            if isinstance(error, AV_FAILURES):
                raise StoreError(f"{self.out.name}: cannot be written ({error})") from error
            raise

    def _discard(self) -> None:
        if self._container is not None:
            try:
                self._container.close()
            except AV_FAILURES:
                pass  # the file goes anyway
            self._container = None
        self.part.unlink(missing_ok=True)
