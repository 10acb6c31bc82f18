"""EXIF UserComment and XMP in JPEG and WebP, spliced in without touching the pixels.

Where the recipe goes (the same in both formats):
- EXIF UserComment (tag 0x9286 in the Exif IFD): the A1111 "parameters" text with the
  8-byte "UNICODE\\0" charset prefix and UTF-16BE text, as A1111 writes it through
  piexif, so A1111, Forge, Civitai and other readers show the prompt.
- XMP: our full recipe JSON in a `sessionstudio:recipe` property (plus the prompt as
  dc:description, which photo apps show). XMP rather than EXIF ImageDescription,
  because ImageDescription is the caption photo viewers display, and a JSON blob
  there would be noise to people.

JPEG: the APP1 segments are spliced into the marker stream before the scan data, so
the entropy-coded data is copied byte for byte. One segment holds at most 64 KiB;
what does not fit is left out and the caller falls back to a sidecar. Existing EXIF
tags are kept (merged through Pillow); an existing XMP packet is replaced by ours.
WebP: EXIF and "XMP " RIFF chunks are appended after the image data and the VP8X
header's flags are set (a simple VP8/VP8L file gets a VP8X header first). The
bitstream chunks are copied unchanged, lossy or lossless alike.
"""

from __future__ import annotations

import html
import json
import re
import struct
from typing import Any

from PIL import Image

from sessionstudio.core.errors import MediaError

USER_COMMENT = 0x9286
EXIF_IFD = 0x8769
UNICODE_PREFIX = b"UNICODE\x00"
ASCII_PREFIX = b"ASCII\x00\x00\x00"
XMP_NS = "https://sessionstudio.app/ns/1.0/"
JPEG_XMP_HEADER = b"http://ns.adobe.com/xap/1.0/\x00"
JPEG_EXIF_HEADER = b"Exif\x00\x00"
MAX_SEGMENT = 65533  # a JPEG segment's payload: a 16-bit length that counts itself


# -- UserComment ------------------------------------------------------------------------
def encode_user_comment(text: str) -> bytes:
    return UNICODE_PREFIX + text.encode("utf-16-be", errors="replace")


def decode_user_comment(value: Any) -> str | None:
    """The text of a UserComment value (bytes with a charset prefix, or a str as some
    writers store it). UTF-16 of either byte order is accepted: piexif writes
    big-endian, exiftool the file's byte order."""
    if isinstance(value, str):
        return value.strip("\x00 ") or None
    if not isinstance(value, (bytes, bytearray)):
        return None
    prefix, body = bytes(value[:8]), bytes(value[8:])
    if prefix == UNICODE_PREFIX:
        if body[:2] in (b"\xff\xfe", b"\xfe\xff"):
            text = body.decode("utf-16", errors="replace")
        elif b"\x00" not in body:
            text = body.decode("utf-8", errors="replace")  # mislabelled UTF-8
        else:
            # ASCII-range text in UTF-16BE has its zero bytes at even offsets.
            even, odd = body[0::2].count(0), body[1::2].count(0)
            text = body.decode("utf-16-be" if even >= odd else "utf-16-le", errors="replace")
    elif prefix == b"JIS\x00\x00\x00\x00\x00":
        text = body.decode("shift_jis", errors="replace")
    else:  # ASCII, undefined (all zeros) or no prefix at all
        text = (body if prefix in (ASCII_PREFIX, b"\x00" * 8) else bytes(value)).decode(
            "utf-8", errors="replace")
    return text.strip("\x00 ") or None


def exif_with_user_comment(existing: bytes | None, text: str) -> bytes:
    """EXIF bytes ("Exif\\0\\0" + TIFF) with UserComment set, keeping the tags of
    existing EXIF (orientation above all)."""
    exif = Image.Exif()
    if existing:
        exif.load(existing)  # raises on damaged EXIF: callers keep that as it is
    exif.get_ifd(EXIF_IFD)[USER_COMMENT] = encode_user_comment(text)
    return exif.tobytes()


# -- XMP --------------------------------------------------------------------------------
_XML_UNSAFE = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xmp_packet(recipe: dict, prompt: str) -> bytes:
    """An XMP packet with the recipe (ASCII JSON, so always valid XML) and the prompt."""
    value = html.escape(json.dumps(recipe, ensure_ascii=True, sort_keys=True, separators=(",", ":")))
    description = html.escape(_XML_UNSAFE.sub("", prompt))
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        f'<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        f'xmlns:sessionstudio="{XMP_NS}">'
        f'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{description}</rdf:li>'
        f'</rdf:Alt></dc:description><sessionstudio:recipe>{value}</sessionstudio:recipe>'
        '</rdf:Description></rdf:RDF></x:xmpmeta>\n<?xpacket end="w"?>'
    ).encode("utf-8")


_XMP_RECIPE = re.compile(r'sessionstudio:recipe(?:>([^<]*)</sessionstudio:recipe|\s*=\s*"([^"]*)")')


def recipe_from_xmp(xmp: Any) -> str | None:
    """Our recipe JSON from an XMP packet, as element or (after an XMP editor rewrote
    it) as attribute; None when absent."""
    if isinstance(xmp, (bytes, bytearray)):
        xmp = bytes(xmp).decode("utf-8", errors="replace")
    if not isinstance(xmp, str):
        return None
    found = _XMP_RECIPE.search(xmp)
    if found is None:
        return None
    return html.unescape(found.group(1) or found.group(2) or "") or None


# -- JPEG -------------------------------------------------------------------------------
def _jpeg_segments(data: bytes) -> tuple[list[tuple[int, bytes]], int]:
    """(marker, whole segment) for each segment before the scan, and where the scan starts."""
    if not data.startswith(b"\xff\xd8"):
        raise MediaError("not a JPEG image (no start-of-image marker)")
    segments, pos = [], 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            raise MediaError("JPEG data is corrupt (a marker is missing)")
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker in (0xDA, 0xD9):  # start of scan / end of image: the rest is copied as is
            return segments, pos
        length = struct.unpack(">H", data[pos + 2 : pos + 4])[0]
        if length < 2 or pos + 2 + length > len(data):
            raise MediaError("JPEG data is truncated")
        segments.append((marker, data[pos : pos + 2 + length]))
        pos += 2 + length
    raise MediaError("JPEG data is truncated (no image data)")


def jpeg_exif(data: bytes) -> bytes | None:
    """The payload ("Exif\\0\\0" + TIFF) of the first EXIF APP1 segment."""
    for marker, segment in _jpeg_segments(data)[0]:
        if marker == 0xE1 and segment[4:10] == JPEG_EXIF_HEADER:
            return segment[4:]
    return None


def _app1(payload: bytes) -> bytes:
    if len(payload) > MAX_SEGMENT:
        raise MediaError("metadata too large for a JPEG segment")
    return b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload


def jpeg_with_metadata(data: bytes, *, exif: bytes | None = None, xmp: bytes | None = None) -> bytes:
    """The JPEG with its EXIF and/or XMP segment replaced by these (given ones only)."""
    segments, scan = _jpeg_segments(data)

    def replaced(marker: int, segment: bytes) -> bool:
        return marker == 0xE1 and ((exif is not None and segment[4:10] == JPEG_EXIF_HEADER) or (
            xmp is not None and segment[4:4 + len(JPEG_XMP_HEADER)] == JPEG_XMP_HEADER))

    kept = [(m, s) for m, s in segments if not replaced(m, s)]
    # After a leading JFIF APP0 (readers expect it first), before everything else.
    lead = 1 if kept and kept[0][0] == 0xE0 else 0
    ours = ([_app1(exif)] if exif is not None else []) + (
        [_app1(JPEG_XMP_HEADER + xmp)] if xmp is not None else [])
    return b"".join([b"\xff\xd8", *(s for _, s in kept[:lead]), *ours,
                     *(s for _, s in kept[lead:]), data[scan:]])


def jpeg_fits(payload: bytes, header: bytes = b"") -> bool:
    return len(header) + len(payload) <= MAX_SEGMENT


# -- WebP -------------------------------------------------------------------------------
def _webp_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        raise MediaError("not a WebP image (no RIFF WEBP header)")
    chunks, pos = [], 12
    end = min(len(data), 8 + struct.unpack("<I", data[4:8])[0])
    while pos + 8 <= end:
        fourcc, size = data[pos : pos + 4], struct.unpack("<I", data[pos + 4 : pos + 8])[0]
        if pos + 8 + size > end:
            raise MediaError("WebP data is truncated")
        chunks.append((fourcc, data[pos + 8 : pos + 8 + size]))
        pos += 8 + size + (size & 1)
    return chunks


def webp_exif(data: bytes) -> bytes | None:
    return next((body for fourcc, body in _webp_chunks(data) if fourcc == b"EXIF"), None)


def _vp8x_for(fourcc: bytes, body: bytes) -> bytes:
    """A VP8X header for a simple-format file: canvas size and alpha from the bitstream."""
    alpha = False
    if fourcc == b"VP8 " and len(body) >= 10 and body[3:6] == b"\x9d\x01\x2a":
        width, height = (v & 0x3FFF for v in struct.unpack("<HH", body[6:10]))
    elif fourcc == b"VP8L" and len(body) >= 5 and body[0] == 0x2F:
        bits = int.from_bytes(body[1:5], "little")
        width, height = (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
        alpha = bool((bits >> 28) & 1)
    else:
        raise MediaError("WebP image data is not VP8 or VP8L")
    return (bytes([0x10 if alpha else 0, 0, 0, 0]) + (width - 1).to_bytes(3, "little")
            + (height - 1).to_bytes(3, "little"))


def webp_with_metadata(data: bytes, *, exif: bytes | None = None, xmp: bytes | None = None) -> bytes:
    """The WebP with EXIF (TIFF bytes, no "Exif\\0\\0") and/or XMP chunks replaced."""
    chunks = _webp_chunks(data)
    if not chunks:
        raise MediaError("WebP data has no image")
    if chunks[0][0] != b"VP8X":
        chunks.insert(0, (b"VP8X", _vp8x_for(*chunks[0])))
    flags = chunks[0][1][0] | (0x08 if exif is not None else 0) | (0x04 if xmp is not None else 0)
    chunks[0] = (b"VP8X", bytes([flags]) + chunks[0][1][1:])
    drop = {b"EXIF"} if exif is not None else set()
    drop |= {b"XMP "} if xmp is not None else set()
    chunks = [c for c in chunks if c[0] not in drop]
    chunks += ([(b"EXIF", exif)] if exif is not None else []) + ([(b"XMP ", xmp)] if xmp is not None else [])
    body = b"".join(fourcc + struct.pack("<I", len(payload)) + payload + b"\x00" * (len(payload) & 1)
                    for fourcc, payload in chunks)
    return b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WEBP" + body
