"""PNG text chunks (tEXt, zTXt, iTXt), read and written without touching the pixels.

Writing only splices chunks into the byte stream before the first IDAT, so the
compressed image data is copied byte for byte.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator

from sessionstudio.core.errors import InvalidInput, MediaError

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
TEXT_CHUNK_TYPES = (b"tEXt", b"zTXt", b"iTXt")
# A compressed text chunk may not inflate past this: a zTXt "zip bomb" is
# skipped instead of filling memory. Real prompts are a few kilobytes.
MAX_INFLATED_TEXT = 8 * 1024 * 1024


class _Truncated(Exception):
    pass


def _require_png(data: bytes) -> None:
    if not data.startswith(PNG_SIGNATURE):
        raise MediaError("not a PNG image (the PNG signature is missing)")


def _chunks(data: bytes) -> Iterator[tuple[bytes, bytes, int, int]]:
    """(type, body, start, end) of each chunk after the signature, up to IEND."""
    pos = len(PNG_SIGNATURE)
    while pos < len(data):
        if pos + 12 > len(data):
            raise _Truncated
        length, chunk_type = struct.unpack(">I4s", data[pos : pos + 8])
        end = pos + 12 + length
        if end > len(data):
            raise _Truncated
        yield chunk_type, data[pos + 8 : pos + 8 + length], pos, end
        pos = end
        if chunk_type == b"IEND":
            return


def _chunk(chunk_type: bytes, body: bytes) -> bytes:
    crc = zlib.crc32(chunk_type + body) & 0xFFFFFFFF
    return struct.pack(">I", len(body)) + chunk_type + body + struct.pack(">I", crc)


def _check_keyword(keyword: str) -> bytes:
    # The PNG spec: 1 to 79 printable Latin-1 characters, no leading, trailing
    # or doubled spaces.
    try:
        encoded = keyword.encode("latin-1")
    except UnicodeEncodeError:
        raise InvalidInput(f"PNG text keyword {keyword!r} must be Latin-1") from None
    printable = all(32 <= b <= 126 or 161 <= b <= 255 for b in encoded)
    if not 1 <= len(encoded) <= 79 or not printable or keyword != keyword.strip() or "  " in keyword:
        raise InvalidInput(
            f"PNG text keyword {keyword!r} must be 1 to 79 printable Latin-1 characters "
            "without leading, trailing or double spaces"
        )
    return encoded


def _text_chunk(keyword: str, value: str) -> bytes:
    name = _check_keyword(keyword)
    if "\x00" in value:
        raise InvalidInput(f"PNG text {keyword!r} cannot contain a NUL character")
    try:
        return _chunk(b"tEXt", name + b"\x00" + value.encode("latin-1"))
    except UnicodeEncodeError:
        # iTXt: no compression, empty language tag and translated keyword.
        return _chunk(b"iTXt", name + b"\x00\x00\x00\x00\x00" + value.encode("utf-8"))


def add_png_text(data: bytes, entries: dict[str, str]) -> bytes:
    """The PNG with these text entries before its first IDAT.

    Existing text chunks with the same keywords are dropped; values that fit
    Latin-1 go in tEXt, others in uncompressed UTF-8 iTXt.
    """
    _require_png(data)
    new_chunks = b"".join(_text_chunk(key, value) for key, value in entries.items())
    replaced = {_check_keyword(key) for key in entries}
    out = [PNG_SIGNATURE]
    inserted = False
    end = len(PNG_SIGNATURE)
    try:
        for chunk_type, body, start, end in _chunks(data):
            if chunk_type in TEXT_CHUNK_TYPES and body.split(b"\x00", 1)[0] in replaced:
                continue
            if chunk_type == b"IDAT" and not inserted:
                out.append(new_chunks)
                inserted = True
            out.append(data[start:end])
    except _Truncated:
        raise MediaError("PNG data is truncated (a chunk runs past the end)") from None
    if not inserted:
        raise MediaError("PNG data has no image data (IDAT chunk)")
    out.append(data[end:])  # anything after IEND is kept as it was
    return b"".join(out)


def _inflate(blob: bytes) -> bytes:
    inflater = zlib.decompressobj()
    text = inflater.decompress(blob, MAX_INFLATED_TEXT)
    if inflater.unconsumed_tail or not inflater.eof:
        raise ValueError("compressed text is oversized or incomplete")
    return text


def _decode_text_chunk(chunk_type: bytes, body: bytes) -> tuple[str, str]:
    keyword, sep, rest = body.partition(b"\x00")
    if not sep:
        raise ValueError("no keyword separator")
    if chunk_type == b"tEXt":
        text = rest.decode("latin-1")
    elif chunk_type == b"zTXt":
        text = _inflate(rest[1:]).decode("latin-1")  # rest[0]: method, always zlib
    else:
        compressed, rest = rest[0], rest[2:]
        _language, _, rest = rest.partition(b"\x00")
        _translated, _, raw = rest.partition(b"\x00")
        text = (_inflate(raw) if compressed else raw).decode("utf-8", errors="replace")
    return keyword.decode("latin-1"), text


def read_png_text(data: bytes) -> dict[str, str]:
    """Every tEXt, zTXt and iTXt entry of a PNG, keyword to text.

    Reading is lenient, as metadata should never block an import: damaged text
    chunks are skipped, a truncated file yields what came before the damage,
    and when a keyword repeats the last one wins.
    """
    _require_png(data)
    found: dict[str, str] = {}
    try:
        for chunk_type, body, _start, _end in _chunks(data):
            if chunk_type not in TEXT_CHUNK_TYPES:
                continue
            try:
                keyword, text = _decode_text_chunk(chunk_type, body)
            except (ValueError, IndexError, zlib.error):
                continue
            found[keyword] = text
    except _Truncated:
        pass
    return found


def read_png_text_file(path, *, max_chunk: int = MAX_INFLATED_TEXT) -> dict[str, str]:
    """read_png_text() for a file on disk, reading only the text chunks.

    Image data is skipped with seek() rather than read, so a huge PNG costs a few
    small reads; a text chunk longer than max_chunk is skipped unread (a hostile
    or broken file must not fill memory). Never raises for damaged data; a file
    that is not a PNG gives {}.
    """
    found: dict[str, str] = {}
    with open(path, "rb") as fh:
        if fh.read(len(PNG_SIGNATURE)) != PNG_SIGNATURE:
            return found
        while True:
            header = fh.read(8)
            if len(header) < 8:
                return found
            length, chunk_type = struct.unpack(">I4s", header)
            if chunk_type in TEXT_CHUNK_TYPES and length <= max_chunk:
                body = fh.read(length)
                if len(body) < length:
                    return found
                try:
                    keyword, text = _decode_text_chunk(chunk_type, body)
                except (ValueError, IndexError, zlib.error):
                    keyword = None
                if keyword is not None:
                    found[keyword] = text
                fh.seek(4, 1)  # CRC
            else:
                fh.seek(length + 4, 1)
            if chunk_type == b"IEND":
                return found
