"""PNG text chunks: written without touching pixels, read from every text chunk type."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, PngImagePlugin

from sessionstudio.core.errors import InvalidInput, MediaError
from sessionstudio.media import add_png_text, read_png_text
from tests.mediafactory import make_png


def _chunk_types(data: bytes) -> list[bytes]:
    types, pos = [], 8
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        types.append(kind)
        pos += 12 + length
    return types


def _idat(data: bytes) -> bytes:
    out, pos = b"", 8
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        if kind == b"IDAT":
            out += data[pos + 8 : pos + 8 + length]
        pos += 12 + length
    return out


def _pixels(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as image:
        return image.convert("RGBA").tobytes()


@pytest.fixture
def png(tmp_path) -> bytes:
    return make_png(tmp_path / "a.png", 40, 30, alpha=True).read_bytes()


def test_round_trip_latin1_and_beyond(png):
    entries = {"parameters": "a cat, café\nSteps: 20", "Comment": "日本語の猫 🐈", "empty": ""}
    out = add_png_text(png, entries)
    assert read_png_text(out) == entries
    types = _chunk_types(out)
    assert types.count(b"tEXt") == 2 and types.count(b"iTXt") == 1
    assert types.index(b"iTXt") < types.index(b"IDAT")


def test_pixels_and_image_data_are_untouched(png):
    out = add_png_text(png, {"parameters": "x", "prompt": "ünïcödé ☃"})
    assert _idat(out) == _idat(png)
    assert _pixels(out) == _pixels(png)


def test_pillow_reads_our_chunks_and_crcs_verify(png):
    out = add_png_text(png, {"parameters": "plain", "note": "雪だるま ☃"})
    with Image.open(io.BytesIO(out)) as image:
        image.verify()  # checks every chunk's CRC
    with Image.open(io.BytesIO(out)) as image:
        assert image.text == {"parameters": "plain", "note": "雪だるま ☃"}


def test_existing_keywords_are_replaced_whatever_their_chunk_type(png):
    with Image.open(io.BytesIO(png)) as image:
        info = PngImagePlugin.PngInfo()
        info.add_text("parameters", "old compressed", zip=True)  # zTXt
        info.add_itxt("note", "old ☃", zip=True)  # compressed iTXt
        info.add_text("keep", "me")
        buffer = io.BytesIO()
        image.save(buffer, "PNG", pnginfo=info)
    original = buffer.getvalue()
    assert read_png_text(original) == {"parameters": "old compressed", "note": "old ☃", "keep": "me"}
    out = add_png_text(original, {"parameters": "new", "note": "new ☃"})
    assert read_png_text(out) == {"parameters": "new", "note": "new ☃", "keep": "me"}
    assert b"zTXt" not in _chunk_types(out)
    twice = add_png_text(out, {"parameters": "newer"})
    assert read_png_text(twice)["parameters"] == "newer"
    assert _chunk_types(twice).count(b"tEXt") == 2  # "keep" and one "parameters"


def test_not_a_png():
    for call in (lambda: add_png_text(b"GIF89a....", {"a": "b"}), lambda: read_png_text(b"\xff\xd8\xff")):
        with pytest.raises(MediaError, match="not a PNG"):
            call()


def test_truncated_png(png):
    with pytest.raises(MediaError, match="truncated"):
        add_png_text(png[: len(png) // 2], {"a": "b"})
    # Reading is lenient: what precedes the damage is still returned.
    tagged = add_png_text(png, {"a": "b"})
    assert read_png_text(tagged[: len(tagged) - 20]) == {"a": "b"}


@pytest.mark.parametrize("keyword", ["", " lead", "trail ", "double  space", "x" * 80, "snow☃", "nul\x00"])
def test_bad_keywords(png, keyword):
    with pytest.raises(InvalidInput):
        add_png_text(png, {keyword: "v"})


def test_nul_in_value_is_refused(png):
    with pytest.raises(InvalidInput):
        add_png_text(png, {"k": "a\x00b"})


def test_ztxt_bomb_is_skipped_not_inflated(png):
    body = b"bomb\x00\x00" + zlib.compress(b"A" * 20_000_000, 9)
    bomb = struct.pack(">I", len(body)) + b"zTXt" + body + struct.pack(">I", zlib.crc32(b"zTXt" + body))
    data = png[:33] + bomb + png[33:]  # right after the 13-byte IHDR chunk
    assert read_png_text(add_png_text(data, {"fine": "yes"})) == {"fine": "yes"}


_keywords = st.text(
    alphabet=st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=79
)
_values = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=200)


@settings(max_examples=60, deadline=None, database=None)
@given(entries=st.dictionaries(_keywords, _values, max_size=5))
def test_any_text_round_trips(entries):
    png = _TINY_PNG
    out = add_png_text(png, entries)
    assert read_png_text(out) == entries
    assert _idat(out) == _idat(png)


def _tiny_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), (1, 2, 3)).save(buffer, "PNG")
    return buffer.getvalue()


_TINY_PNG = _tiny_png()
