"""Audio effects for voiceovers and music, as numpy functions on mono float32 arrays.

Everything is vectorised: recursive filters (combs, allpasses) run one delay-length
block at a time, because a block of D samples only depends on the block before it.
That keeps a 10 s voice well under 0.1 s per effect without scipy.
"""

from __future__ import annotations

import numpy as np

EFFECTS = ("none", "echo", "radio", "robot", "hall")

# Seconds of silence appended before an effect whose sound outlives the input,
# so repeats and reverb tails are heard rather than cut off.
TAIL = {"echo": 1.4, "hall": 2.2}


def _f32(x: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(x, dtype=np.float32)


def fft_filter(x: np.ndarray, sr: int, low: float = 0.0, high: float | None = None,
               edge: float = 0.25) -> np.ndarray:
    """Band-pass (or low/high-pass) by shaping the spectrum; edges are cosine ramps
    `edge` octaves wide, because brick-wall edges ring audibly."""
    x = _f32(x)
    if len(x) == 0:
        return x
    n = 1 << int(np.ceil(np.log2(len(x) + 1)))
    spec = np.fft.rfft(x, n)
    f = np.fft.rfftfreq(n, 1.0 / sr)
    gain = np.ones_like(f)
    oct_ = np.log2(np.maximum(f, 1e-3))
    if low > 0:
        t = np.clip((oct_ - (np.log2(low) - edge)) / edge, 0, 1)
        gain *= 0.5 - 0.5 * np.cos(np.pi * t)
    if high is not None and high < sr / 2:
        t = np.clip(((np.log2(high) + edge) - oct_) / edge, 0, 1)
        gain *= 0.5 - 0.5 * np.cos(np.pi * t)
    return np.fft.irfft(spec * gain, n)[: len(x)].astype(np.float32)


def fir_lowpass(x: np.ndarray, sr: int, cutoff: float, taps: int = 41) -> np.ndarray:
    """A short windowed-sinc low-pass: a gentle slope (warm, like tape or a cheap
    speaker) and much cheaper than an FFT of a whole song."""
    k = np.arange(taps) - (taps - 1) / 2
    h = np.sinc(2 * cutoff / sr * k) * np.hanning(taps)
    return np.convolve(_f32(x), (h / h.sum()).astype(np.float32), mode="same").astype(np.float32)


def _comb(x: np.ndarray, delay: int, g: float, damp: float = 0.0) -> np.ndarray:
    """Feedback comb y[n] = x[n] + g*((1-damp)*y[n-D] + damp*y[n-D-1]); the damping
    tap is a 2-point average that darkens each round trip like air and walls do."""
    pad = delay + 1
    y = np.zeros(len(x) + pad, dtype=np.float32)
    y[pad:] = x
    for s in range(pad, len(y), delay):
        e = min(s + delay, len(y))
        m = e - s
        fb = (1.0 - damp) * y[s - delay:s - delay + m] + damp * y[s - delay - 1:s - delay - 1 + m]
        y[s:e] += g * fb
    return y[pad:]


def _allpass(x: np.ndarray, delay: int, g: float) -> np.ndarray:
    """Schroeder allpass y[n] = -g*x[n] + x[n-D] + g*y[n-D]: diffuses echoes into a wash."""
    y = np.zeros(len(x) + delay, dtype=np.float32)
    xp = np.concatenate([np.zeros(delay, np.float32), x])
    for s in range(delay, len(y), delay):
        e = min(s + delay, len(y))
        m = e - s
        y[s:e] = -g * xp[s:e] + xp[s - delay:s - delay + m] + g * y[s - delay:s - delay + m]
    return y[delay:]


def hall(x: np.ndarray, sr: int, decay: float = 2.2, wet: float = 0.35,
         predelay: float = 0.02, spread: int = 0) -> np.ndarray:
    """Schroeder reverb: four damped parallel combs, then two series allpasses.
    `decay` is the RT60 in seconds; `spread` offsets the delays (in samples) so the
    left and right channels of a stereo mix get decorrelated tails."""
    x = _f32(x)
    scale = sr / 44100.0
    combs = [1557, 1617, 1491, 1422]
    out = np.zeros_like(x)
    for d in combs:
        d = int((d + spread) * scale)
        # Feedback gain that loses 60 dB after `decay` seconds.
        g = 10.0 ** (-3.0 * d / (decay * sr))
        out += _comb(x, d, g, damp=0.3)
    out *= 0.25
    for d, g in ((int((556 + spread) * scale), 0.5), (int((341 + spread // 2) * scale), 0.5)):
        out = _allpass(out, max(1, d), g)
    pd = int(predelay * sr)
    if pd:
        out = np.concatenate([np.zeros(pd, np.float32), out[:-pd]])
    return ((1.0 - wet) * x + wet * out).astype(np.float32)


def echo(x: np.ndarray, sr: int, delay: float = 0.3, feedback: float = 0.45,
         repeats: int = 5) -> np.ndarray:
    """Tape-style echo as a sum of delayed copies, each quieter and a little darker."""
    x = _f32(x)
    d = int(delay * sr)
    out = x.copy()
    tap = x
    for k in range(1, repeats + 1):
        if k * d >= len(x):
            break
        # A 3-point moving average per repeat mimics the high loss of a tape loop.
        tap = np.convolve(tap, np.full(3, 1 / 3, np.float32), mode="same").astype(np.float32)
        out[k * d:] += (feedback ** k) * tap[: len(x) - k * d]
    return out


def radio(x: np.ndarray, sr: int, low: float = 300.0, high: float = 3400.0,
          drive: float = 3.0, noise: float = 0.004) -> np.ndarray:
    """Telephone/AM radio: band-limited, gently saturated, with a faint hiss."""
    y = fft_filter(x, sr, low, high, edge=0.15)
    peak = float(np.max(np.abs(y))) or 1.0
    y = np.tanh(drive * y / peak) / np.tanh(drive) * peak
    hiss = np.random.default_rng(7).standard_normal(len(y)).astype(np.float32)
    y = y + noise * peak * fft_filter(hiss, sr, low, high, edge=0.15)
    # Re-band-limit so the saturation harmonics and hiss stay inside the band too.
    return fft_filter(y, sr, low, high, edge=0.15)


def _frames(x: np.ndarray, n: int, hop: int) -> tuple[np.ndarray, int]:
    pad = np.concatenate([np.zeros(n, np.float32), x, np.zeros(2 * n, np.float32)])
    count = (len(pad) - n) // hop + 1
    count -= count % (n // hop)
    view = np.lib.stride_tricks.sliding_window_view(pad, n)[::hop][:count]
    return view * np.hanning(n).astype(np.float32), len(x)


def _overlap_add(frames: np.ndarray, n: int, hop: int, length: int) -> np.ndarray:
    # With hop = n/k, frames k apart tile the signal end to end, so each of the k
    # phases is one reshape-and-add instead of a Python loop over frames.
    k = n // hop
    out = np.zeros(hop * len(frames) + n, np.float32)
    for i in range(k):
        chunk = frames[i::k].reshape(-1)
        out[i * hop:i * hop + len(chunk)] += chunk
    # Hann windows at hop n/4 sum to 2; analysis and synthesis windows make 1.5.
    return (out[n:n + length] / 1.5).astype(np.float32)


def _resynth(x: np.ndarray, sr: int, excitation: np.ndarray, smooth_hz: float) -> np.ndarray:
    """Channel vocoder: the voice's smoothed spectral envelope imposed on `excitation`.
    Smoothing wider than the voice's harmonic spacing removes its own pitch."""
    n, hop = 512, 128
    fx, length = _frames(_f32(x), n, hop)
    fe, _ = _frames(_f32(excitation[: len(x)]), n, hop)
    sx, se = np.fft.rfft(fx, axis=1), np.fft.rfft(fe, axis=1)
    width = max(1, int(smooth_hz / (sr / n)))
    kernel = np.ones(width, np.float32) / width

    def envelope(mag: np.ndarray) -> np.ndarray:
        c = np.cumsum(np.pad(mag, ((0, 0), (width // 2, width - width // 2)), mode="edge"), axis=1)
        return (c[:, width:] - c[:, :-width]) * kernel[0]

    env_x, env_e = envelope(np.abs(sx)), envelope(np.abs(se))
    out = se / np.maximum(env_e, 1e-6) * env_x
    frames = np.fft.irfft(out, n, axis=1).astype(np.float32) * np.hanning(n).astype(np.float32)
    return _overlap_add(frames, n, hop, length)


def whisper(x: np.ndarray, sr: int, keep: float = 0.12) -> np.ndarray:
    """Breathy whisper: the voice's envelope on white noise, plus a trace of the voice."""
    noise = np.random.default_rng(11).standard_normal(len(x)).astype(np.float32)
    y = _resynth(x, sr, noise, smooth_hz=400.0)
    y = fft_filter(y, sr, 250.0, None)
    rx, ry = np.sqrt(np.mean(x ** 2)) + 1e-9, np.sqrt(np.mean(y ** 2)) + 1e-9
    return (keep * x + (1 - keep) * y * (rx / ry)).astype(np.float32)


def robot(x: np.ndarray, sr: int, pitch: float = 110.0, ring_hz: float = 30.0) -> np.ndarray:
    """Monotone robot: the envelope on a fixed-pitch buzz, then a slow ring modulator."""
    t = np.arange(len(x), dtype=np.float32) / sr
    # One period of a band-limited pulse (sum of harmonics, so no aliasing), tiled:
    # the period is rounded to whole samples so the tiles join seamlessly.
    period = max(2, round(sr / pitch))
    tp = np.arange(period) / period
    cycle = sum(np.cos(2 * np.pi * k * tp) for k in range(1, period // 2))
    buzz = np.tile(cycle.astype(np.float32), len(x) // period + 1)[: len(x)]
    y = _resynth(x, sr, buzz, smooth_hz=300.0)
    ring = 0.7 + 0.3 * np.sin(2 * np.pi * ring_hz * t)
    rx, ry = np.sqrt(np.mean(x ** 2)) + 1e-9, np.sqrt(np.mean(y ** 2)) + 1e-9
    return (y * ring * (rx / ry)).astype(np.float32)


def apply_effect(name: str, x: np.ndarray, sr: int) -> np.ndarray:
    """Run one named effect; effects with tails get silence appended first."""
    if name not in EFFECTS:
        raise ValueError(f"unknown effect {name!r}")
    x = _f32(x)
    if name == "none":
        return x
    if name in TAIL:
        x = np.concatenate([x, np.zeros(int(TAIL[name] * sr), np.float32)])
    return {"echo": echo, "radio": radio, "robot": robot, "hall": hall}[name](x, sr)


def soft_limit(x: np.ndarray, peak: float = 0.95, out: np.ndarray | None = None) -> np.ndarray:
    """Round off peaks above ~0.7*peak with tanh instead of clipping them flat.
    Pass out=x to work in place (songs are long; copies are not free)."""
    knee = 0.7 * peak
    y = x.copy() if out is None else out
    over = np.abs(x) > knee
    v = y[over]
    y[over] = np.sign(v) * (knee + (peak - knee) * np.tanh((np.abs(v) - knee) / (peak - knee)))
    return y
