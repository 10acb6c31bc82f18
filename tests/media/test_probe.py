"""probe() and poster_frame() on real files: right facts, clear refusals, no crashes."""

from __future__ import annotations

import random
import struct
import time
import tracemalloc
import zlib

import pytest
from PIL import Image

from sessionstudio.core.errors import MediaError
from sessionstudio.media import MAX_PIXELS, poster_frame, probe
from tests.mediafactory import make_encoded_audio, make_jpeg, make_mp4, make_png, make_wav


def _noise(count: int) -> bytes:
    return random.Random(count).randbytes(count)  # seeded: the same bytes every run


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _png_declaring(width: int, height: int) -> bytes:
    """A PNG whose header claims width x height but holds only a few bytes of data."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")


def _webp_declaring(width: int, height: int) -> bytes:
    """A WebP whose VP8X header claims a canvas of width x height."""
    vp8x = b"\x00\x00\x00\x00" + (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
    body = b"WEBP" + b"VP8X" + struct.pack("<I", len(vp8x)) + vp8x
    return b"RIFF" + struct.pack("<I", len(body)) + body


def _cut(path, fraction: float):
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * fraction)])
    return path


# --- images -----------------------------------------------------------------


def test_png_facts(tmp_path):
    info = probe(make_png(tmp_path / "a.png", 64, 48))
    assert (info.kind, info.ext, info.mime, info.format) == ("image", "png", "image/png", "PNG")
    assert (info.width, info.height, info.has_alpha) == (64, 48, False)
    assert probe(make_png(tmp_path / "b.png", 10, 20, alpha=True)).has_alpha


def test_jpeg_facts_and_exif_orientation_swaps_the_size(tmp_path):
    info = probe(make_jpeg(tmp_path / "a.jpg", 64, 32))
    assert (info.ext, info.mime, info.format, info.width, info.height) == ("jpg", "image/jpeg", "JPEG", 64, 32)
    turned = probe(make_jpeg(tmp_path / "b.jpg", 64, 32, exif_orientation=6))
    assert (turned.width, turned.height) == (32, 64)


@pytest.mark.parametrize(("fmt", "ext", "mode"), [("GIF", "gif", "P"), ("WEBP", "webp", "RGBA")])
def test_gif_and_webp_facts(tmp_path, fmt, ext, mode):
    path = tmp_path / f"x.{ext}"
    Image.new(mode, (30, 20)).save(path, fmt)
    info = probe(path)
    assert (info.kind, info.ext, info.format, info.width, info.height) == ("image", ext, fmt, 30, 20)


def test_content_decides_not_the_name(tmp_path):
    path = make_png(tmp_path / "misnamed.jpg")
    assert probe(path).ext == "png"
    audio = make_wav(tmp_path / "sound.png")
    assert probe(audio).kind == "audio"


@pytest.mark.parametrize(
    ("make", "fail_after_s"),
    [(lambda p: p.write_bytes(_png_declaring(30000, 30000)), 1.0),
     (lambda p: p.write_bytes(_webp_declaring(16000, 16000)), 1.0)],
)
def test_decompression_bomb_is_refused_before_decoding(tmp_path, make, fail_after_s):
    path = tmp_path / "photo.png"
    make(path)
    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(MediaError) as caught:
        probe(path)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert elapsed < fail_after_s and peak < 5_000_000
    message = str(caught.value)
    assert message.startswith("photo.png is ") and f"larger than the {MAX_PIXELS // 1_000_000} MP" in message


def test_bomb_message_gives_size_and_megapixels(tmp_path):
    path = tmp_path / "photo.png"
    path.write_bytes(_png_declaring(30000, 30000))
    with pytest.raises(MediaError, match="30000×30000 pixels \\(900 MP\\)"):
        probe(path)


def test_image_just_under_the_limit_is_not_called_a_bomb(tmp_path):
    # 13000 x 13000 = 169 MP: accepted by size, so what fails is the missing data.
    path = tmp_path / "big.png"
    path.write_bytes(_png_declaring(13000, 13000)[:-12])  # drop IEND: verify finds the end missing
    with pytest.raises(MediaError) as caught:
        probe(path)
    assert "larger than" not in str(caught.value)


def test_random_bytes_after_a_png_signature(tmp_path):
    path = tmp_path / "noise.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + _noise(2000))
    with pytest.raises(MediaError, match=r"^noise\.png: image data is corrupt"):
        probe(path)


def test_truncated_png_and_jpeg(tmp_path):
    png = _cut(make_png(tmp_path / "cut.png", 200, 150), 0.5)
    with pytest.raises(MediaError, match=r"^cut\.png: image data is truncated"):
        probe(png)
    jpeg = _cut(make_jpeg(tmp_path / "cut.jpg", 400, 300), 0.5)
    with pytest.raises(MediaError, match=r"^cut\.jpg: image data is truncated"):
        probe(jpeg)


# --- video ------------------------------------------------------------------


def test_mp4_facts(tmp_path):
    info = probe(make_mp4(tmp_path / "a.mp4", seconds=1.0, fps=12, w=64, h=48))
    assert (info.kind, info.ext, info.mime) == ("video", "mp4", "video/mp4")
    assert (info.width, info.height, info.fps, info.has_audio) == (64, 48, 12.0, False)
    assert abs(info.duration_ms - 1000) <= 50


def test_mp4_with_audio(tmp_path):
    info = probe(make_mp4(tmp_path / "a.mp4", with_audio=True))
    assert info.has_audio and info.sample_rate == 22050 and info.channels == 1


@pytest.mark.parametrize(("suffix", "ext", "mime"), [(".mov", "mov", "video/quicktime"), (".mkv", "mkv", "video/x-matroska"), (".webm", "webm", "video/webm")])
def test_other_video_containers(tmp_path, suffix, ext, mime):
    info = probe(make_mp4(tmp_path / f"a{suffix}", w=32, h=24))
    assert (info.kind, info.ext, info.mime, info.width, info.height) == ("video", ext, mime, 32, 24)


def test_mp4_cut_in_half_is_refused(tmp_path):
    path = _cut(make_mp4(tmp_path / "cut.mp4", seconds=2), 0.5)
    with pytest.raises(MediaError, match=r"^cut\.mp4: video data is"):
        probe(path)


def test_faststart_mp4_cut_short_is_refused(tmp_path):
    # The index sits at the front, so the file still opens: only the tail shows it.
    path = _cut(make_mp4(tmp_path / "cut.mp4", seconds=3, faststart=True), 0.7)
    with pytest.raises(MediaError, match="truncated"):
        probe(path)


def test_random_bytes_with_an_mp4_header(tmp_path):
    path = tmp_path / "noise.mp4"
    path.write_bytes(b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isommp41" + _noise(4000))
    with pytest.raises(MediaError, match=r"^noise\.mp4: "):
        probe(path)


def test_poster_frame_is_near_ten_percent_and_falls_back_to_the_first(tmp_path):
    path = make_mp4(tmp_path / "a.mp4", seconds=1.0, fps=12)
    # Frame i is grey level 10 + 20 i; 10% of 1 s is frame 2 (level 50).
    assert abs(poster_frame(path).getpixel((50, 40))[0] - 50) <= 8
    assert abs(poster_frame(path, at=0.5).getpixel((50, 40))[0] - 130) <= 8
    assert abs(poster_frame(path, at=0).getpixel((50, 40))[0] - 10) <= 8
    assert poster_frame(path, max_size=32).size == (32, 24)


def test_rotated_video_is_reported_and_shown_upright(tmp_path):
    # Stored 64x48 with the marker top-left; turned 90° counter-clockwise for
    # display it is 48x64 with the marker bottom-left.
    path = make_mp4(tmp_path / "phone.mp4", w=64, h=48, rotation=90)
    info = probe(path)
    assert (info.width, info.height) == (48, 64)
    poster = poster_frame(path)
    assert poster.size == (48, 64)
    assert poster.getpixel((4, 60))[0] > 240 and poster.getpixel((4, 4))[0] < 200


def test_poster_frame_of_a_broken_file(tmp_path):
    path = tmp_path / "noise.mp4"
    path.write_bytes(b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isommp41" + _noise(4000))
    with pytest.raises(MediaError):
        poster_frame(path)


# --- audio ------------------------------------------------------------------


def test_wav_facts(tmp_path):
    info = probe(make_wav(tmp_path / "a.wav", seconds=1.5, rate=16000, channels=2))
    assert (info.kind, info.ext, info.mime, info.format) == ("audio", "wav", "audio/wav", "pcm_s16le")
    assert (info.duration_ms, info.sample_rate, info.channels) == (1500, 16000, 2)


@pytest.mark.parametrize(
    ("name", "ext", "mime"),
    [("a.mp3", "mp3", "audio/mpeg"), ("a.flac", "flac", "audio/flac"), ("a.ogg", "ogg", "audio/ogg"),
     ("a.m4a", "m4a", "audio/mp4"), ("audio-only.mp4", "m4a", "audio/mp4")],
)
def test_encoded_audio_facts(tmp_path, name, ext, mime):
    info = probe(make_encoded_audio(tmp_path / name, seconds=1.0))
    assert (info.kind, info.ext, info.mime, info.channels) == ("audio", ext, mime, 1)
    assert abs(info.duration_ms - 1000) <= 60


def test_cover_art_does_not_make_audio_a_video(tmp_path):
    info = probe(make_encoded_audio(tmp_path / "song.mp3", cover_art=True))
    assert (info.kind, info.ext) == ("audio", "mp3")


def test_truncated_wav_is_refused(tmp_path):
    path = _cut(make_wav(tmp_path / "cut.wav", seconds=4), 0.5)
    with pytest.raises(MediaError, match="truncated"):
        probe(path)


# --- not media at all -------------------------------------------------------


def test_random_bytes(tmp_path):
    path = tmp_path / "noise.bin"
    path.write_bytes(_noise(4096).replace(b"\xff", b"\x00"))
    with pytest.raises(MediaError, match=r"^noise\.bin: not an image, video or audio file Session Studio can read$"):
        probe(path)


def test_empty_file(tmp_path):
    path = tmp_path / "empty.png"
    path.write_bytes(b"")
    with pytest.raises(MediaError, match=r"^empty\.png: the file is empty$"):
        probe(path)


def test_missing_file_and_folder(tmp_path):
    missing = tmp_path / "gone.png"
    with pytest.raises(MediaError, match="no such file") as caught:
        probe(missing)
    assert str(missing) in str(caught.value)
    with pytest.raises(MediaError, match="is a folder"):
        probe(tmp_path)
