"""Audio re-encoding for downloads: voiceovers and tracks are stored as WAV (lossless,
what the engines make) and can be handed out as MP3 or Ogg (Opus) instead."""

from pathlib import Path

import av

from ..core.errors import InvalidInput, MediaError

AUDIO_FORMATS = ("mp3", "ogg")
_CODEC = {"mp3": ("libmp3lame", "mp3", 192_000), "ogg": ("libopus", "ogg", 128_000)}
_OPUS_RATE = 48_000          # Opus only takes 48 kHz (and a few lower rates)


def transcode_audio(src: Path, dest: Path, fmt: str) -> Path:
    """Re-encode src's first audio stream into dest as fmt ("mp3" or "ogg")."""
    if fmt not in _CODEC:
        raise InvalidInput(f"Audio can be downloaded as {' or '.join(AUDIO_FORMATS)}, not {fmt!r}.")
    codec, container_format, bit_rate = _CODEC[fmt]
    try:
        with av.open(str(src)) as inp:
            if not inp.streams.audio:
                raise MediaError(f"{src.name}: has no sound to convert")
            stream = inp.streams.audio[0]
            with av.open(str(dest), "w", format=container_format) as out:
                rate = _OPUS_RATE if fmt == "ogg" else (stream.rate or 44_100)
                layout = "stereo" if (stream.channels or 1) > 1 else "mono"
                enc = out.add_stream(codec, rate=rate)
                enc.layout = layout
                enc.bit_rate = bit_rate
                resampler = av.AudioResampler(format=enc.format.name, layout=layout, rate=rate)
                for frame in inp.decode(stream):
                    frame.pts = None
                    for part in resampler.resample(frame):
                        out.mux(enc.encode(part))
                for part in resampler.resample(None):
                    out.mux(enc.encode(part))
                out.mux(enc.encode(None))
    except (av.error.FFmpegError, ValueError) as exc:
        raise MediaError(f"{src.name}: could not be converted to {fmt.upper()} ({exc})") from exc
    return dest
