"""Global motion between two frames, by phase correlation (numpy FFT only).

Used by extend_video to carry a clip's last camera move on past its end.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

# Frames are compared at this long side: plenty for a global estimate, and cheap.
_TRACK_SIDE = 256
# Below this correlation peak the two frames share too little to trust a shift
# (a flat picture, a cut); motion is then taken as none.
_MIN_PEAK = 0.04
# A plausible camera move per frame; beyond it the estimate is more likely wrong.
_MAX_SHIFT = 0.04
_MAX_ZOOM = 0.02


def _grey(image: Image.Image, side: int) -> tuple[np.ndarray, float]:
    w, h = image.size
    scale = min(1.0, side / max(w, h))
    small = image.convert("L").resize((max(8, round(w * scale)), max(8, round(h * scale))), Image.Resampling.BOX)
    return np.asarray(small, dtype=np.float32), small.size[0] / w


def _subpixel(left: float, mid: float, right: float) -> float:
    # Vertex of the parabola through the peak and its two neighbours.
    denom = left - 2 * mid + right
    return 0.0 if abs(denom) < 1e-9 else float(np.clip(0.5 * (left - right) / denom, -0.5, 0.5))


def phase_shift(before: np.ndarray, after: np.ndarray) -> tuple[float, float, float]:
    """(dx, dy, peak): how far the content moved from before to after, in pixels.

    after(x) ~ before(x - (dx, dy)); peak (0..1) says how clearly the frames agree.
    """
    h, w = before.shape
    window = np.outer(np.hanning(h), np.hanning(w)).astype(np.float32)  # no wrap-around edges
    fa = np.fft.fft2((before - before.mean()) * window)
    fb = np.fft.fft2((after - after.mean()) * window)
    cross = fb * np.conj(fa)
    cross /= np.abs(cross) + 1e-9
    surface = np.fft.ifft2(cross).real
    py, px = np.unravel_index(int(np.argmax(surface)), surface.shape)
    dy = py + _subpixel(surface[py - 1, px], surface[py, px], surface[(py + 1) % h, px])
    dx = px + _subpixel(surface[py, px - 1], surface[py, px], surface[py, (px + 1) % w])
    dx = dx - w if dx > w / 2 else dx  # the surface wraps: big shifts are negative ones
    dy = dy - h if dy > h / 2 else dy
    return float(dx), float(dy), float(surface[py, px])


def estimate_motion(before: Image.Image, after: Image.Image) -> tuple[float, float, float]:
    """(dx, dy, zoom) per frame between two frames, in full-size pixels.

    Zoom comes from how the halves move apart: with after ~ before magnified by
    z about the centre, the right half's content moves (z - 1) * w/2 further
    right than the left half's (likewise top and bottom).
    """
    a, scale = _grey(before, _TRACK_SIDE)
    b, _ = _grey(after, _TRACK_SIDE)
    if a.std() < 1.0 or b.std() < 1.0:
        return 0.0, 0.0, 1.0  # a flat picture carries no motion information
    dx, dy, peak = phase_shift(a, b)
    if peak < _MIN_PEAK:
        return 0.0, 0.0, 1.0
    h, w = a.shape
    left, right = phase_shift(a[:, : w // 2], b[:, : w // 2]), phase_shift(a[:, w // 2 :], b[:, w // 2 :])
    top, bottom = phase_shift(a[: h // 2], b[: h // 2]), phase_shift(a[h // 2 :], b[h // 2 :])
    zooms = []
    if min(left[2], right[2]) >= _MIN_PEAK:
        zooms.append(1 + (right[0] - left[0]) / (w / 2))
    if min(top[2], bottom[2]) >= _MIN_PEAK:
        zooms.append(1 + (bottom[1] - top[1]) / (h / 2))
    zoom = float(np.clip(np.mean(zooms), 1 - _MAX_ZOOM, 1 + _MAX_ZOOM)) if zooms else 1.0
    limit_x, limit_y = _MAX_SHIFT * w, _MAX_SHIFT * h
    return float(np.clip(dx, -limit_x, limit_x)) / scale, float(np.clip(dy, -limit_y, limit_y)) / scale, zoom


def carry_on(last: Image.Image, motion: tuple[float, float, float], travelled: float) -> Image.Image:
    """The last frame moved on by travelled frames' worth of motion, always filling the frame.

    A shift or zoom-out would bare the frame's edges, so it is zoomed in just
    enough to keep them covered (starting from none, so there is no jump).
    """
    dx, dy, zoom = motion
    w, h = last.size
    tx, ty, z = dx * travelled, dy * travelled, zoom**travelled
    z = max(z, 1 + 2 * abs(tx) / w, 1 + 2 * abs(ty) / h)
    cx, cy = w / 2, h / 2
    # Output pixel x shows source point c + (x - c - t) / z.
    data = (1 / z, 0, cx - (cx + tx) / z, 0, 1 / z, cy - (cy + ty) / z)
    return last.transform(last.size, Image.Transform.AFFINE, data, Image.Resampling.BICUBIC)
