"""Measurements the audio tests share: read a WAV back, estimate pitch, tempo, bands."""

import wave
from pathlib import Path

import numpy as np


def read_wav(path: Path) -> tuple[np.ndarray, int, int]:
    """(samples as float (frames, channels), sample rate, sample width) of a PCM WAV."""
    with wave.open(str(path)) as w:
        raw = w.readframes(w.getnframes())
        x = np.frombuffer(raw, "<i2").astype(np.float32) / 32768.0
        return x.reshape(-1, w.getnchannels()), w.getframerate(), w.getsampwidth()


def f0(x: np.ndarray, sr: int, fmin: float = 60.0, fmax: float = 500.0) -> tuple[float, float]:
    """(median, spread) of the pitch over voiced frames, by autocorrelation."""
    x = x.reshape(-1) if x.ndim == 1 else x.mean(axis=1)
    n = int(0.04 * sr)
    level = np.sqrt(np.mean(x ** 2))
    found = []
    for s in range(0, len(x) - n, n // 2):
        frame = x[s:s + n] - x[s:s + n].mean()
        if np.sqrt(np.mean(frame ** 2)) < 0.5 * level:
            continue
        ac = np.correlate(frame, frame, "full")[n - 1:]
        lo, hi = int(sr / fmax), int(sr / fmin)
        k = lo + int(np.argmax(ac[lo:hi]))
        if ac[k] > 0.5 * ac[0]:  # clearly periodic: a voiced frame
            found.append(sr / k)
    if not found:
        return 0.0, 0.0
    return float(np.median(found)), float(np.percentile(found, 90) - np.percentile(found, 10))


def voiced_fraction(x: np.ndarray, sr: int) -> float:
    """Share of 40 ms frames that are clearly periodic (voiced, not noise or silence)."""
    x = x.reshape(-1) if x.ndim == 1 else x.mean(axis=1)
    n = int(0.04 * sr)
    hits = []
    for s in range(0, len(x) - n, n // 2):
        frame = x[s:s + n] - x[s:s + n].mean()
        ac = np.correlate(frame, frame, "full")[n - 1:]
        lo, hi = int(sr / 500), int(sr / 60)
        hits.append(ac[0] > 0 and ac[lo + int(np.argmax(ac[lo:hi]))] > 0.5 * ac[0])
    return float(np.mean(hits))


def band_db(x: np.ndarray, sr: int, lo: float, hi: float) -> float:
    """Energy between lo and hi Hz, in dB."""
    mono = x.reshape(-1) if x.ndim == 1 else x.mean(axis=1)
    power = np.abs(np.fft.rfft(mono)) ** 2
    f = np.fft.rfftfreq(len(mono), 1 / sr)
    return float(10 * np.log10(power[(f >= lo) & (f < hi)].sum() + 1e-12))


def flux(x: np.ndarray, sr: int, hop: int = 256) -> np.ndarray:
    """Spectral flux: how much new energy arrives each hop (peaks are note onsets)."""
    mono = x.reshape(-1) if x.ndim == 1 else x.mean(axis=1)
    n = 1024
    frames = np.lib.stride_tricks.sliding_window_view(mono, n)[::hop] * np.hanning(n)
    spec = np.log1p(100 * np.abs(np.fft.rfft(frames, axis=1)))
    return np.maximum(np.diff(spec, axis=0), 0).sum(axis=1)


def tempo(x: np.ndarray, sr: int) -> float:
    """Beats per minute (60-200) from the autocorrelation of the spectral flux."""
    hop = 256
    fl = flux(x, sr, hop)
    fl = fl - fl.mean()
    ac = np.correlate(fl, fl, "full")[len(fl) - 1:]
    fps = sr / hop
    lags = np.arange(1, len(ac))
    bpm = 60 * fps / lags
    ok = (bpm >= 60) & (bpm <= 200)
    return float(60 * fps / lags[ok][np.argmax(ac[1:][ok])])


def onset_rate(x: np.ndarray, sr: int) -> float:
    """Onsets per second: local flux peaks well above the median."""
    fl = flux(x, sr, 512)
    thr = np.median(fl) + 0.5 * fl.std()
    peaks = (fl[1:-1] > fl[:-2]) & (fl[1:-1] >= fl[2:]) & (fl[1:-1] > thr)
    return float(peaks.sum() / (len(x) / sr))

