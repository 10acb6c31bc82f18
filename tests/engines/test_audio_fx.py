"""Voice effects: each one measurably does what its name says, and fast."""

import time

import numpy as np
import pytest

from sessionstudio.engines.builtin import audio_fx as fx
from tests.engines.audio_checks import band_db, f0

SR = 22050


def noise(seconds: float, seed: int = 0) -> np.ndarray:
    return (np.random.default_rng(seed).standard_normal(int(seconds * SR)) * 0.1).astype(np.float32)


def gliding_voice(seconds: float = 2.0) -> np.ndarray:
    """A buzzy 'voice' whose pitch glides 150 -> 250 Hz, like intonation."""
    t = np.arange(int(seconds * SR)) / SR
    pitch = 150 + 50 * t
    phase = 2 * np.pi * np.cumsum(pitch) / SR
    return (sum(np.sin(k * phase) / k for k in range(1, 20)) * 0.2).astype(np.float32)


def test_effect_names_and_none_is_identity():
    assert fx.EFFECTS == ("none", "echo", "radio", "robot", "hall")
    x = noise(0.5)
    assert np.array_equal(fx.apply_effect("none", x, SR), x)
    with pytest.raises(ValueError):
        fx.apply_effect("flanger", x, SR)


@pytest.mark.parametrize("name", ["echo", "radio", "robot", "hall"])
def test_every_effect_changes_the_signal(name):
    x = gliding_voice(1.0)
    y = fx.apply_effect(name, x, SR)
    assert y.dtype == np.float32 and np.all(np.isfinite(y))
    assert len(y) >= len(x)
    diff = np.sqrt(np.mean((y[: len(x)] - x) ** 2)) / np.sqrt(np.mean(x ** 2))
    assert diff > 0.1


def test_radio_removes_lows_and_highs():
    x = noise(2.0)
    y = fx.radio(x, SR)
    # Measured against the speech band (radio also compresses, so levels shift),
    # below 300 Hz and above 3.4 kHz lose more than 20 dB.
    def below(s, lo, hi):
        return band_db(s, SR, 800, 2500) - band_db(s, SR, lo, hi)
    assert below(y, 20, 250) - below(x, 20, 250) > 20
    assert below(y, 5000, 11000) - below(x, 5000, 11000) > 20


def test_echo_repeats_at_its_delay():
    x = np.zeros(int(1.5 * SR), np.float32)
    x[:2000] = noise(2000 / SR)[:2000]
    y = fx.echo(x, SR, delay=0.3)
    ac = np.correlate(y, y[:4000], "valid")
    lag = int(np.argmax(ac[1000:])) + 1000
    assert abs(lag - int(0.3 * SR)) < 10


def decay_time(x: np.ndarray, floor_db: float = -40) -> float:
    """Seconds until the 10 ms energy envelope falls below floor_db for good."""
    frames = x[: len(x) // 220 * 220].reshape(-1, 220)
    db = 10 * np.log10(np.mean(frames ** 2, axis=1) + 1e-20)
    loud = np.nonzero(db > db.max() + floor_db)[0]
    return (loud[-1] + 1) * 220 / SR


def test_hall_lengthens_the_tail():
    x = np.zeros(int(0.5 * SR), np.float32)
    x[:1100] = noise(0.05)[:1100]
    dry = decay_time(x)
    wet = decay_time(fx.apply_effect("hall", x, SR))
    assert dry < 0.1
    assert wet > 0.8


def test_robot_flattens_the_pitch():
    x = gliding_voice(2.0)
    pitch, spread = f0(x, SR)
    assert spread > 40  # the input glides
    pitch, spread = f0(fx.robot(x, SR, pitch=110.0), SR)
    assert abs(pitch - 110) < 5 and spread < 5


def test_whisper_removes_the_voicing():
    x = gliding_voice(2.0)
    y = fx.whisper(x, SR)
    voiced = lambda s: len([1 for i in range(0, len(s) - 882, 441)  # noqa: E731
                            if _periodic(s[i:i + 882])])
    assert voiced(y) < voiced(x) * 0.3


def _periodic(frame: np.ndarray) -> bool:
    frame = frame - frame.mean()
    ac = np.correlate(frame, frame, "full")[len(frame) - 1:]
    return ac[44 + int(np.argmax(ac[44:367]))] > 0.5 * ac[0]


def test_soft_limit_keeps_peaks_under_the_ceiling():
    x = np.linspace(-3, 3, 1000).astype(np.float32)
    y = fx.soft_limit(x, 0.95)
    assert np.max(np.abs(y)) < 0.95
    assert np.all(np.diff(y) >= 0)  # monotonic: no fold-over distortion
    assert np.allclose(y[np.abs(x) < 0.6], x[np.abs(x) < 0.6])


def test_effects_are_fast():
    x = noise(10.0)
    for name in fx.EFFECTS:
        start = time.perf_counter()
        fx.apply_effect(name, x, SR)
        assert time.perf_counter() - start < 0.3, name
