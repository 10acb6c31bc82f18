"""Audio via PyAV: probing, integrity checks and waveform peaks.

The container helpers here (open_container, first_decodable_frame,
check_reaches_end) are shared with video.py, since a video is an audio
container with pictures in it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import av
import numpy as np
from av.container import InputContainer

from sessionstudio.core.errors import InvalidInput, MediaError
from sessionstudio.media.info import MediaInfo, mime_for

# What PyAV raises on damaged input (FFmpegError is not an OSError subclass);
# at this boundary each means "this file cannot be read".
AV_FAILURES: tuple[type[BaseException], ...] = (av.FFmpegError, OSError, ValueError, MemoryError)

# Packets to read looking for a first frame; bounds the work on a file whose
# packets all fail to decode, so a hostile file cannot keep us busy.
DECODE_PACKET_BUDGET = 600
# Packets to read from the last second looking for the end of the data; a
# keyframe far before the end (long GOP) can exceed it, and then we give no verdict.
TAIL_PACKET_BUDGET = 3000
TAIL_SECONDS = 1.0

# Formats whose duration comes from a header or index, so a file that stops
# early is truncated. MP3 and Ogg durations are estimated from the data itself.
INDEXED_AUDIO = {"wav", "flac", "m4a", "webm", "mkv"}


def describe_av_failure(what: str, exc: BaseException) -> str:
    """A short, readable reason for one of AV_FAILURES."""
    if isinstance(exc, av.DecoderNotFoundError):
        return f"{what} uses a codec Session Studio cannot decode"
    if isinstance(exc, MemoryError):
        return f"{what} is too large to decode with the memory available"
    detail = getattr(exc, "strerror", None) or str(exc)
    return f"{what} data is corrupt or truncated ({detail})"


@contextmanager
def open_container(path: Path, what: str) -> Iterator[InputContainer]:
    """Open a media file with PyAV; every PyAV failure inside becomes a MediaError.

    what ("video", "audio") words the messages.
    """
    try:
        container = av.open(str(path), mode="r", metadata_errors="replace")
    except FileNotFoundError:
        raise MediaError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise MediaError(f"{path}: is a folder, not a file") from None
    except AV_FAILURES as exc:
        raise MediaError(f"{path.name}: {describe_av_failure(what, exc)}") from exc
    with container:
        try:
            yield container
        except AV_FAILURES as exc:
            raise MediaError(f"{path.name}: {describe_av_failure(what, exc)}") from exc


def require_decoder(stream: av.stream.Stream, name: str, what: str) -> av.stream.Stream:
    """The stream, if PyAV has a decoder for it (damaged headers can name none)."""
    if stream.codec_context is None:
        raise MediaError(f"{name}: {what} uses a codec Session Studio cannot decode")
    return stream


def duration_seconds(container: InputContainer, stream: av.stream.Stream) -> float | None:
    """The container's duration, else the stream's; None when neither is known."""
    if container.duration:
        return container.duration / av.time_base
    if stream.duration and stream.time_base:
        return float(stream.duration * stream.time_base)
    return None


def first_decodable_frame(container: InputContainer, stream: av.stream.Stream):
    """The first frame of stream that decodes, skipping damaged packets; else None."""
    for count, packet in enumerate(container.demux(stream)):
        if count >= DECODE_PACKET_BUDGET:
            break
        try:
            frames = packet.decode()
        except AV_FAILURES:
            continue
        if frames:
            return frames[0]
    return None


def check_reaches_end(container: InputContainer, anchor: av.stream.Stream, name: str, what: str) -> None:
    """Raise MediaError when the data stops before the duration the header declares.

    A file cut short (an interrupted download, say) often still opens and plays
    its beginning, so we seek (on the anchor stream) to the last second and read
    the packets of every stream up to the end.
    """
    if not container.duration:
        return
    start = (container.start_time or 0) / av.time_base
    expected_end = start + container.duration / av.time_base
    target = max(start, expected_end - TAIL_SECONDS)
    try:
        container.seek(int(target / anchor.time_base), stream=anchor, backward=True)
    except AV_FAILURES:
        return  # an unseekable file is not proof of damage
    truncated = MediaError(f"{name}: {what} data is truncated (it stops before its declared end)")
    last_end = None
    for count, packet in enumerate(container.demux()):
        if count >= TAIL_PACKET_BUDGET:
            return
        if packet.size == 0:
            continue
        if packet.is_corrupt:
            raise truncated
        stamp = packet.pts if packet.pts is not None else packet.dts
        if stamp is None or packet.time_base is None:
            continue
        end = float((stamp + (packet.duration or 0)) * packet.time_base)
        last_end = end if last_end is None else max(last_end, end)
    tolerance = max(0.5, 0.03 * (expected_end - start))
    if last_end is None or last_end < expected_end - tolerance:
        raise truncated


def audio_facts(stream: av.audio.stream.AudioStream) -> tuple[int | None, int | None]:
    """(sample_rate, channels) of an audio stream, None where unknown."""
    codec = stream.codec_context
    if codec is None:
        return None, None
    channels = codec.layout.nb_channels if codec.layout is not None else 0
    return codec.sample_rate or None, channels or None


def probe_audio(path: str | Path, ext: str) -> MediaInfo:
    """Duration, sample rate and channels of an audio file, after checking it decodes.

    ext is the canonical extension the caller sniffed from the content.
    """
    path = Path(path)
    with open_container(path, "audio") as container:
        stream = container.streams.best("audio")
        if stream is None:
            raise MediaError(f"{path.name}: has no audio stream")
        require_decoder(stream, path.name, "audio")
        seconds = duration_seconds(container, stream)
        sample_rate, channels = audio_facts(stream)
        if first_decodable_frame(container, stream) is None:
            raise MediaError(f"{path.name}: no audio in it could be decoded")
        if ext in INDEXED_AUDIO:
            check_reaches_end(container, stream, path.name, "audio")
        return MediaInfo(
            kind="audio",
            mime=mime_for("audio", ext),
            ext=ext,
            format=stream.codec_context.codec.canonical_name,
            duration_ms=round(seconds * 1000) if seconds is not None else None,
            sample_rate=sample_rate,
            channels=channels,
            has_audio=True,
        )


class _PeakAccumulator:
    """Max absolute amplitude per block of samples, in memory bounded by limit blocks.

    Blocks are sized from the declared duration; when a file turns out longer
    than declared, neighbouring blocks are merged and the block size doubled,
    so memory never grows with the file's length.
    """

    def __init__(self, block: int, limit: int) -> None:
        self.block = block
        self.limit = limit
        self.maxima: list[np.ndarray] = []
        self.count = 0
        self.carry = np.empty(0, dtype=np.float32)

    def add(self, mono: np.ndarray) -> None:
        samples = np.concatenate((self.carry, np.abs(mono)))
        whole = len(samples) // self.block
        if whole:
            blocks = samples[: whole * self.block].reshape(whole, self.block)
            self.maxima.append(blocks.max(axis=1))
            self.count += whole
        self.carry = samples[whole * self.block :]
        if self.count > self.limit:
            self._halve()

    def _halve(self) -> None:
        merged = np.concatenate(self.maxima)
        if len(merged) % 2:
            # The odd last block stands for a whole double block: a shift of
            # half a block in one place, far below one pixel of any waveform.
            merged = np.append(merged, merged[-1])
        merged = merged.reshape(-1, 2).max(axis=1)
        self.maxima, self.count, self.block = [merged], len(merged), self.block * 2

    def peaks(self, buckets: int) -> list[float]:
        parts = self.maxima + ([np.array([self.carry.max()])] if len(self.carry) else [])
        if not parts:
            return [0.0] * buckets
        maxima = np.concatenate(parts)
        starts = (np.arange(buckets) * len(maxima)) // buckets
        if len(maxima) >= buckets:
            result = np.maximum.reduceat(maxima, starts)
        else:
            result = maxima[starts]  # fewer blocks than buckets: repeat them
        return [round(float(v), 4) for v in np.clip(result, 0.0, 1.0)]


def _mono_mix(frame: av.AudioFrame) -> np.ndarray:
    planes = frame.to_ndarray()  # fltp: one row per channel, floats in -1..1
    return planes.mean(axis=0) if planes.shape[0] > 1 else planes[0]


def waveform_peaks(path: str | Path, buckets: int = 512) -> list[float]:
    """Max absolute amplitude (0..1) of the mono mix in each of buckets equal slices.

    Decodes frame by frame, so memory stays bounded for files of any length.
    """
    if buckets < 1:
        raise InvalidInput(f"buckets must be at least 1, not {buckets}")
    path = Path(path)
    with open_container(path, "audio") as container:
        stream = container.streams.best("audio")
        if stream is None:
            raise MediaError(f"{path.name}: has no audio stream")
        require_decoder(stream, path.name, "audio")
        seconds = duration_seconds(container, stream)
        rate = stream.codec_context.sample_rate
        expected = seconds * rate if seconds and rate else 0
        accumulator = _PeakAccumulator(
            block=max(1, int(expected // (buckets * 4))) if expected else 256,
            limit=buckets * 16,
        )
        # Only the sample format changes: planar floats, whatever the codec gives.
        resampler = av.AudioResampler(format="fltp")
        for frame in container.decode(stream):
            for converted in resampler.resample(frame):
                accumulator.add(_mono_mix(converted))
        for converted in resampler.resample(None):
            accumulator.add(_mono_mix(converted))
    return accumulator.peaks(buckets)
