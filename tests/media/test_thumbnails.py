"""Thumbnails, waveform peaks and waveform JSON from real files."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image

from sessionstudio.core.errors import InvalidInput, MediaError
from sessionstudio.media import make_thumbnail, waveform_json, waveform_peaks
from sessionstudio.media.audio import _PeakAccumulator
from tests.mediafactory import gradient, make_jpeg, make_mp4, make_png, make_wav, write_wav


def _open_thumb(path) -> Image.Image:
    image = Image.open(path)
    image.load()
    assert image.format == "JPEG" and image.mode == "RGB"
    return image


def _leftovers(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.mark.parametrize(("w", "h", "expected"), [(2400, 1600, (256, 171)), (600, 1200, (128, 256)), (100, 50, (100, 50))])
def test_image_thumbnail_fits_and_keeps_aspect(tmp_path, w, h, expected):
    dest = tmp_path / "thumbs" / "t.jpg"
    size = make_thumbnail(make_png(tmp_path / "a.png", w, h), dest, "image")
    assert size == expected == _open_thumb(dest).size
    assert _leftovers(dest.parent) == []


def test_large_jpeg_thumbnail_uses_draft_and_is_correct(tmp_path):
    src = make_jpeg(tmp_path / "a.jpg", 3000, 2000)
    dest = tmp_path / "t.jpg"
    assert make_thumbnail(src, dest, "image", size=128) == (128, 85)
    thumb = _open_thumb(dest)
    assert thumb.getpixel((5, 40))[0] > 150 and thumb.getpixel((120, 40))[2] > 150  # red left, blue right


def test_exif_rotated_jpeg_is_thumbnailed_upright(tmp_path):
    # Stored 64x32, red left half; orientation 6 means "turn 90° clockwise to view",
    # so the viewer sees 32x64 with red on top.
    src = make_jpeg(tmp_path / "a.jpg", 640, 320, exif_orientation=6)
    dest = tmp_path / "t.jpg"
    assert make_thumbnail(src, dest, "image", size=64) == (32, 64)
    thumb = _open_thumb(dest)
    top, bottom = thumb.getpixel((16, 8)), thumb.getpixel((16, 56))
    assert top[0] > 150 and top[2] < 100 and bottom[2] > 150 and bottom[0] < 100


def test_alpha_is_composited_on_neutral_grey(tmp_path):
    src = make_png(tmp_path / "a.png", 64, 48, alpha=True)  # alpha 0 at the left edge
    dest = tmp_path / "t.jpg"
    make_thumbnail(src, dest, "image")
    left = _open_thumb(dest).getpixel((0, 24))
    assert all(abs(c - 128) <= 6 for c in left)


def _palette_gif_with_transparency(path):
    image = Image.fromarray(gradient(80, 40)).convert("P")
    image.save(path, "GIF", transparency=0)


def _cmyk_jpeg(path):
    Image.new("CMYK", (80, 40), (0, 255, 255, 0)).save(path, "JPEG")  # red in CMYK


def _sixteen_bit_png(path):
    Image.fromarray(np.full((40, 80), 40000, dtype=np.uint16)).save(path, "PNG")


def _one_bit_png(path):
    Image.new("1", (80, 40), 1).save(path, "PNG")


@pytest.mark.parametrize(
    ("make", "name", "check"),
    [
        (_palette_gif_with_transparency, "p.gif", lambda px: True),
        (_cmyk_jpeg, "c.jpg", lambda px: px[0] > 200 and px[1] < 60),
        (_sixteen_bit_png, "g.png", lambda px: abs(px[0] - 156) <= 3),  # 40000/65535 of white, not clipped
        (_one_bit_png, "b.png", lambda px: px[0] > 250),
    ],
)
def test_unusual_modes_become_rgb(tmp_path, make, name, check):
    src = tmp_path / name
    make(src)
    dest = tmp_path / "t.jpg"
    assert make_thumbnail(src, dest, "image", size=40) == (40, 20)
    assert check(_open_thumb(dest).getpixel((20, 10)))


def test_video_thumbnail(tmp_path):
    dest = tmp_path / "t.jpg"
    assert make_thumbnail(make_mp4(tmp_path / "a.mp4"), dest, "video", size=32) == (32, 24)
    _open_thumb(dest)


@pytest.mark.parametrize("kind", ["audio", "music", "voiceover"])
def test_audio_thumbnail_is_a_waveform_picture(tmp_path, kind):
    dest = tmp_path / "t.jpg"
    assert make_thumbnail(make_wav(tmp_path / "a.wav"), dest, kind) == (256, 128)
    thumb = _open_thumb(dest)
    assert thumb.getpixel((128, 64)) != thumb.getpixel((128, 2))  # a bar in the middle, background above


def test_broken_source_leaves_nothing_behind(tmp_path):
    src = tmp_path / "cut.png"
    whole = make_png(tmp_path / "a.png", 200, 150).read_bytes()
    src.write_bytes(whole[: len(whole) // 2])
    dest = tmp_path / "out" / "t.jpg"
    with pytest.raises(MediaError, match="cut.png"):
        make_thumbnail(src, dest, "image")
    assert not dest.exists() and _leftovers(dest.parent if dest.parent.exists() else tmp_path) == []


def test_existing_thumbnail_is_replaced_whole(tmp_path):
    dest = tmp_path / "t.jpg"
    dest.write_bytes(b"old")
    make_thumbnail(make_png(tmp_path / "a.png"), dest, "image")
    assert _open_thumb(dest).size == (64, 48)


def test_unknown_kind_and_bad_size(tmp_path):
    src = make_png(tmp_path / "a.png")
    with pytest.raises(InvalidInput):
        make_thumbnail(src, tmp_path / "t.jpg", "document")
    with pytest.raises(InvalidInput):
        make_thumbnail(src, tmp_path / "t.jpg", "image", size=0)


def _silent_then_loud(seconds=2.0, rate=8000, amplitude=0.8, channels=1):
    n = int(seconds * rate)
    tone = amplitude * np.sin(2 * np.pi * 300 * np.arange(n) / rate)
    tone[: n // 2] = 0.0
    return np.tile(tone, (channels, 1))


def test_waveform_peaks_follow_loudness(tmp_path):
    src = write_wav(tmp_path / "a.wav", _silent_then_loud(), 8000)
    peaks = waveform_peaks(src, buckets=64)
    assert len(peaks) == 64 and all(0.0 <= p <= 1.0 for p in peaks)
    assert max(peaks[:30]) < 0.01
    assert all(abs(p - 0.8) < 0.05 for p in peaks[34:])


def test_waveform_peaks_mix_channels_to_mono(tmp_path):
    planes = _silent_then_loud(channels=2)
    planes[1] = 0.0  # only the left channel sounds, so the mono mix peaks at half
    peaks = waveform_peaks(write_wav(tmp_path / "a.wav", planes, 8000), buckets=16)
    assert all(abs(p - 0.4) < 0.03 for p in peaks[9:])


def test_waveform_with_more_buckets_than_samples(tmp_path):
    peaks = waveform_peaks(write_wav(tmp_path / "a.wav", np.full((1, 100), 0.5), 8000), buckets=512)
    assert len(peaks) == 512 and all(abs(p - 0.5) < 0.01 for p in peaks)


def test_peak_accumulator_halves_when_a_file_runs_long():
    # Blocks sized for a short file, then ten times the samples: memory stays
    # under the limit and the loud second half still lands in the second half.
    accumulator = _PeakAccumulator(block=10, limit=64)
    signal = np.zeros(20000, dtype=np.float32)
    signal[10000:] = 0.9
    for start in range(0, len(signal), 333):
        accumulator.add(signal[start : start + 333])
        assert accumulator.count <= 64
    peaks = accumulator.peaks(8)
    assert peaks[:4] == [0.0] * 4 and peaks[4:] == [pytest.approx(0.9)] * 4


def test_waveform_json(tmp_path):
    src = write_wav(tmp_path / "a.wav", _silent_then_loud(), 8000)
    dest = tmp_path / "w" / "a.json"
    peaks = waveform_json(src, dest, buckets=32)
    assert json.loads(dest.read_text()) == {"buckets": 32, "peaks": peaks}
    assert _leftovers(dest.parent) == []


def test_waveform_of_a_file_without_sound(tmp_path):
    with pytest.raises(MediaError, match="no audio stream"):
        waveform_peaks(make_mp4(tmp_path / "silent.mp4"))
    with pytest.raises(InvalidInput):
        waveform_peaks(make_wav(tmp_path / "a.wav"), buckets=0)
