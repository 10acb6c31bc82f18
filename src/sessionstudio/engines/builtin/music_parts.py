"""Instruments for the built-in composer: numpy synthesis of one note at a time.

Pitched voices read band-limited single-cycle wavetables (additive recipes, fewer
harmonics for higher notes so nothing aliases), which costs a few array operations per
sample instead of one sine per harmonic. Timbre that changes over a note (a piano's
bright attack fading to a mellow tone) is two tables crossfaded by two envelopes.
Each renderer takes (frequency, note samples, sample rate, rng) and returns the note
plus its release tail, at unit velocity; the composer scales and caches them.
"""

from __future__ import annotations

import numpy as np

SR = 44100
_TABLE = 8192  # a power of two, so wrapping the phase is a bit mask
_TABLES: dict[tuple[str, int], np.ndarray] = {}

# Harmonic amplitude recipes: k -> amplitude (k = 1 is the fundamental).
_RECIPES = {
    "saw": lambda k: 1.0 / k,
    "warm": lambda k: 1.0 / k ** 1.6,
    "square": lambda k: (k % 2) / k,
    "soft": lambda k: 1.0 / k ** 2.5,
    "sine": lambda k: float(k == 1),
    "pluck": lambda k: abs(np.sin(np.pi * k * 0.18)) / k,  # string plucked near the bridge
    "bassy": lambda k: (1.0, 0.5, 0.25, 0.12, 0.06)[k - 1] if k <= 5 else 0.0,
    "reed": lambda k: (1.0 if k % 2 else 0.45) / k ** 1.2,
    "flute": lambda k: (1.0, 0.25, 0.1, 0.04)[k - 1] if k <= 4 else 0.0,
}


def _table(recipe: str, freq: float, sr: int, most: int = 40) -> np.ndarray:
    # Round the harmonic count down to a power of two so a handful of tables serve
    # every pitch; never exceed Nyquist.
    limit = max(1, min(most, int(sr / 2 / max(freq, 1.0))))
    nh = 1 << int(np.log2(limit))
    key = (recipe, nh)
    if key not in _TABLES:
        phase = np.arange(_TABLE) / _TABLE
        wave = sum(_RECIPES[recipe](k) * np.sin(2 * np.pi * k * phase) for k in range(1, nh + 1))
        _TABLES[key] = (wave / (np.max(np.abs(wave)) or 1.0)).astype(np.float32)
    return _TABLES[key]


def osc(recipe: str, freq: float, n: int, sr: int, phase: float = 0.0,
        vibrato: float = 0.0, most: int = 40) -> np.ndarray:
    """n samples of a wavetable oscillator; vibrato is depth as a fraction of freq.
    Nearest-sample lookup in an 8192-entry table: the error is below -60 dB and it
    halves the cost of interpolating."""
    table = _table(recipe, freq * (1 + vibrato), sr, most)
    if vibrato:
        t = np.arange(n) / sr
        # Vibrato fades in over 0.3 s, as players add it after the attack.
        inst = freq * (1 + vibrato * np.minimum(1, t / 0.3) * np.sin(2 * np.pi * 5.2 * t))
        idx = np.cumsum(inst * (_TABLE / sr))
    else:
        idx = np.arange(n, dtype=np.float64)
        idx *= freq * _TABLE / sr
    idx += phase * _TABLE
    return table[idx.astype(np.int64) & (_TABLE - 1)]


def adsr(n: int, total: int, sr: int, a: float, d: float, s: float, r: float) -> np.ndarray:
    """Attack-decay-sustain for n held samples, then a release to `total` samples."""
    t = np.arange(total) / sr
    env = np.where(t < a, t / max(a, 1e-4), s + (1 - s) * np.exp(-(t - a) / max(d, 1e-4)))
    held = n / sr
    level = env[min(n, total) - 1] if n > 0 else 0.0
    rel = level * np.exp(-(t - held) / max(r / 5, 1e-4))
    return np.where(t < held, env, rel).astype(np.float32)


def _len(n: int, release: float, sr: int) -> int:
    return n + int(release * sr)


# --- pitched instruments ---------------------------------------------------------

def pad(f, n, sr, rng):
    m = _len(n, 1.2, sr)
    # Two voices detuned by +-6 cents beat slowly, which is what makes a pad "wide".
    w = osc("warm", f * 1.0035, m, sr, 0.1, most=12) + osc("warm", f / 1.0035, m, sr, 0.6, most=12)
    return 0.5 * w * adsr(n, m, sr, 0.6, 1.0, 0.8, 1.2)


def strings(f, n, sr, rng):
    m = _len(n, 0.5, sr)
    w = osc("saw", f * 1.003, m, sr, 0.0, vibrato=0.004, most=24)
    w += osc("saw", f / 1.003, m, sr, 0.4, vibrato=0.005, most=24)
    return 0.45 * w * adsr(n, m, sr, 0.25, 0.6, 0.85, 0.5)


def piano(f, n, sr, rng):
    m = _len(n, 0.25, sr)
    t = np.arange(m) / sr
    k = 1.0 + f / 500.0  # higher strings die away faster
    bright = osc("saw", f, m, sr, most=16) * np.exp(-t * 6 * k)
    body = osc("soft", f, m, sr) * np.exp(-t * 0.9 * k)
    return (0.5 * bright + 0.7 * body) * adsr(n, m, sr, 0.003, 10, 1.0, 0.25)


def epiano(f, n, sr, rng):
    # FM "tine" piano: modulation index falls over the note, so the bark fades to a sine.
    m = _len(n, 0.3, sr)
    t = np.arange(m) / sr
    index = 1.6 * np.exp(-t * 5) + 0.2
    w = np.sin(2 * np.pi * f * t + index * np.sin(2 * np.pi * f * t))
    w += 0.15 * np.sin(2 * np.pi * f * 14 * t) * np.exp(-t * 40)
    return (0.7 * w * np.exp(-t * 1.2) * adsr(n, m, sr, 0.002, 10, 1.0, 0.3)).astype(np.float32)


def guitar(f, n, sr, rng):
    m = _len(n, 0.3, sr)
    t = np.arange(m) / sr
    w = osc("pluck", f, m, sr, most=24) * np.exp(-t * 7) + osc("soft", f, m, sr) * np.exp(-t * 1.6)
    return 0.6 * w * adsr(n, m, sr, 0.002, 10, 1.0, 0.3)


def dist(f, n, sr, rng):
    # Power chord voice: root plus fifth through tanh drive, like an overdriven amp.
    m = _len(n, 0.08, sr)
    w = osc("saw", f, m, sr, most=10) + 0.8 * osc("saw", f * 1.4983, m, sr, 0.3, most=10)
    return 0.45 * np.tanh(3.0 * w) * adsr(n, m, sr, 0.004, 0.5, 0.7, 0.08)


def synth(f, n, sr, rng):
    m = _len(n, 0.15, sr)
    t = np.arange(m) / sr
    # Filter-envelope pluck: the bright table decays into the dull one.
    w = osc("saw", f, m, sr, most=32) * np.exp(-t * 9) + 0.5 * osc("warm", f * 1.003, m, sr, most=8)
    return 0.5 * w * adsr(n, m, sr, 0.003, 0.25, 0.5, 0.15)


def bass(f, n, sr, rng):
    m = _len(n, 0.08, sr)
    t = np.arange(m) / sr
    w = osc("bassy", f, m, sr) + 0.3 * osc("saw", f, m, sr, most=8) * np.exp(-t * 12)
    return 0.7 * w * adsr(n, m, sr, 0.005, 0.6, 0.65, 0.08)


def sub(f, n, sr, rng):
    # 808-style: a sine that starts a little sharp and settles, with a soft click.
    m = _len(n, 0.1, sr)
    t = np.arange(m) / sr
    ph = 2 * np.pi * np.cumsum(f * (1 + 0.5 * np.exp(-t * 40))) / sr
    return (0.9 * np.sin(ph) * adsr(n, m, sr, 0.004, 1.5, 0.6, 0.1)).astype(np.float32)


def upright(f, n, sr, rng):
    m = _len(n, 0.1, sr)
    t = np.arange(m) / sr
    w = osc("bassy", f, m, sr) * np.exp(-t * 2.5) + 0.2 * osc("pluck", f, m, sr, most=8) * np.exp(-t * 20)
    return 0.8 * w * adsr(n, m, sr, 0.004, 10, 1.0, 0.1)


def lead(f, n, sr, rng):
    m = _len(n, 0.12, sr)
    w = osc("saw", f, m, sr, vibrato=0.006, most=20) + 0.5 * osc("square", f * 0.5, m, sr, most=10)
    return 0.35 * w * adsr(n, m, sr, 0.01, 0.3, 0.7, 0.12)


def flute(f, n, sr, rng):
    m = _len(n, 0.12, sr)
    t = np.arange(m) / sr
    breath = rng.standard_normal(m).astype(np.float32) * 0.06 * np.exp(-t * 12)
    w = osc("flute", f, m, sr, vibrato=0.007) + breath
    return 0.6 * w * adsr(n, m, sr, 0.05, 0.3, 0.85, 0.12)


def bell(f, n, sr, rng):
    # FM with an inharmonic 3.5 ratio: the classic bell/celesta partials.
    m = _len(n, 1.5, sr)
    t = np.arange(m) / sr
    w = np.sin(2 * np.pi * f * t + 2.0 * np.exp(-t * 3) * np.sin(2 * np.pi * 3.5 * f * t))
    return (0.45 * w * np.exp(-t * 1.8) * np.minimum(1, t / 0.002)).astype(np.float32)


def chip(f, n, sr, rng):
    m = _len(n, 0.03, sr)
    return 0.3 * osc("square", f, m, sr, most=16) * adsr(n, m, sr, 0.002, 0.2, 0.6, 0.03)


def brass(f, n, sr, rng):
    m = _len(n, 0.2, sr)
    t = np.arange(m) / sr
    # Brass brightens as it swells: the bright table fades in over the attack.
    swell = 1 - np.exp(-t * 6)
    w = osc("reed", f, m, sr, vibrato=0.004, most=6) * (1 - 0.6 * swell)
    w += osc("saw", f, m, sr, vibrato=0.004, most=20) * 0.6 * swell
    return 0.45 * w * adsr(n, m, sr, 0.08, 0.6, 0.85, 0.2)


# --- drums (pitch is ignored except for the tuned timpani and toms) ---------------

def _noise(m: int, rng, hp: int = 0) -> np.ndarray:
    x = rng.standard_normal(m + hp).astype(np.float32)
    for _ in range(hp):
        x = np.diff(x)  # each difference is a gentle high-pass: hats need several
    return x / (np.max(np.abs(x)) or 1.0)


def kick(f, n, sr, rng):
    m = int(0.45 * sr)
    t = np.arange(m) / sr
    # The falling pitch (150 Hz to 48 Hz) is what makes a sine sound like a kick.
    ph = 2 * np.pi * np.cumsum(48 + 100 * np.exp(-t * 35)) / sr
    return (np.sin(ph) * np.exp(-t * 6) + 0.3 * _noise(m, rng, 1) * np.exp(-t * 300)).astype(np.float32)


def snare(f, n, sr, rng):
    m = int(0.3 * sr)
    t = np.arange(m) / sr
    tone = np.sin(2 * np.pi * 185 * t) * np.exp(-t * 25)
    return (0.5 * tone + 0.7 * _noise(m, rng, 1) * np.exp(-t * 16)).astype(np.float32)


def clap(f, n, sr, rng):
    m = int(0.25 * sr)
    t = np.arange(m) / sr
    # Three quick bursts then a tail: hands never clap in perfect unison.
    env = sum(np.exp(-np.maximum(t - d, 0) * 120) * (t >= d) for d in (0.0, 0.011, 0.022))
    return (0.8 * _noise(m, rng, 2) * (env + 0.5 * np.exp(-t * 18) * (t >= 0.03))).astype(np.float32)


def hat(f, n, sr, rng):
    m = int(0.08 * sr)
    t = np.arange(m) / sr
    return (0.5 * _noise(m, rng, 4) * np.exp(-t * 50)).astype(np.float32)


def ohat(f, n, sr, rng):
    m = int(0.45 * sr)
    t = np.arange(m) / sr
    return (0.4 * _noise(m, rng, 4) * np.exp(-t * 8)).astype(np.float32)


def ride(f, n, sr, rng):
    m = int(1.2 * sr)
    t = np.arange(m) / sr
    metal = sum(np.sign(np.sin(2 * np.pi * p * t)) for p in (321, 467, 583, 711, 853, 1011))
    hiss = _noise(m, rng, 4)
    return ((0.05 * metal * np.exp(-t * 9) + 0.25 * hiss * np.exp(-t * 4)) * 0.8).astype(np.float32)


def crash(f, n, sr, rng):
    m = int(2.0 * sr)
    t = np.arange(m) / sr
    return (0.45 * _noise(m, rng, 3) * np.exp(-t * 2.2)).astype(np.float32)


def shaker(f, n, sr, rng):
    m = int(0.1 * sr)
    t = np.arange(m) / sr
    return (0.3 * _noise(m, rng, 3) * np.minimum(1, t / 0.015) * np.exp(-t * 40)).astype(np.float32)


def rim(f, n, sr, rng):
    m = int(0.06 * sr)
    t = np.arange(m) / sr
    w = np.sin(2 * np.pi * 1700 * t) + 0.6 * np.sin(2 * np.pi * 520 * t)
    return (0.5 * w * np.exp(-t * 90)).astype(np.float32)


def tom(f, n, sr, rng):
    m = int(0.7 * sr)
    t = np.arange(m) / sr
    ph = 2 * np.pi * np.cumsum(f * (1 + 0.6 * np.exp(-t * 20))) / sr
    return (np.sin(ph) * np.exp(-t * 5) + 0.2 * _noise(m, rng, 1) * np.exp(-t * 40)).astype(np.float32)


def timpani(f, n, sr, rng):
    m = int(1.8 * sr)
    t = np.arange(m) / sr
    w = np.sin(2 * np.pi * f * t) + 0.5 * np.sin(2 * np.pi * f * 1.5 * t) * np.exp(-t * 3)
    return (w * np.exp(-t * 2.2) + 0.3 * _noise(m, rng, 1) * np.exp(-t * 30)).astype(np.float32)


def crackle(f, n, sr, rng):
    # Vinyl surface: faint hiss plus sparse clicks (about 6 a second) of random size.
    x = 0.05 * _noise(n, rng, 2)
    clicks = rng.random(n) < 6.0 / sr
    x[clicks] += rng.uniform(-1, 1, int(clicks.sum())).astype(np.float32)
    return x.astype(np.float32)


# name -> (renderer, gain, pan -1..1, reverb send, is drum). Gains balance the mix.
INSTRUMENTS = {
    "pad": (pad, 0.22, 0.0, 0.6, False), "strings": (strings, 0.22, -0.2, 0.5, False),
    "piano": (piano, 0.3, 0.15, 0.3, False), "epiano": (epiano, 0.3, -0.1, 0.25, False),
    "guitar": (guitar, 0.28, -0.25, 0.25, False), "dist": (dist, 0.24, -0.3, 0.12, False),
    "synth": (synth, 0.25, 0.25, 0.3, False), "bass": (bass, 0.34, 0.0, 0.05, False),
    "sub": (sub, 0.34, 0.0, 0.0, False), "upright": (upright, 0.4, 0.05, 0.1, False),
    "lead": (lead, 0.42, 0.1, 0.3, False), "flute": (flute, 0.4, 0.2, 0.35, False),
    "bell": (bell, 0.42, 0.3, 0.5, False), "chip": (chip, 0.22, 0.0, 0.15, False),
    "brass": (brass, 0.4, 0.1, 0.35, False),
    "kick": (kick, 0.55, 0.0, 0.05, True), "snare": (snare, 0.6, 0.05, 0.2, True),
    "clap": (clap, 0.7, 0.0, 0.25, True), "hat": (hat, 0.4, 0.3, 0.05, True),
    "ohat": (ohat, 0.28, 0.3, 0.1, True), "ride": (ride, 0.35, -0.35, 0.15, True),
    "crash": (crash, 0.3, -0.3, 0.2, True), "shaker": (shaker, 0.45, 0.4, 0.1, True),
    "rim": (rim, 0.35, 0.1, 0.15, True), "tom": (tom, 0.4, -0.1, 0.3, True),
    "timpani": (timpani, 0.35, 0.0, 0.45, True), "crackle": (crackle, 0.15, 0.0, 0.0, True),
}
