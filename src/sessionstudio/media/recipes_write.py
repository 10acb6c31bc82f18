"""Writing a recipe into a copy of a media file, in the file's own metadata.

Each format gets the A1111 "parameters" line where other tools look for it, and our
full recipe JSON where recipes_read.py finds it again:

    PNG          text chunks `parameters` and `sessionstudio` (png_text.py)
    JPEG, WebP   EXIF UserComment + XMP `sessionstudio:recipe` (exif_write.py)
    MP4, MOV, M4A, MKV, WebM   container tags prompt, comment, title, sessionstudio,
                 by remuxing packet by packet (no re-encode, like `ffmpeg -c copy`)
    MP3, WAV     ID3 TXXX:sessionstudio, COMM, TIT2 (WAV: in its RIFF "id3 " chunk)
    FLAC, Ogg    Vorbis comments SESSIONSTUDIO, COMMENT, PROMPT, TITLE

Pixels and samples are never decoded or re-encoded. embed_recipe() says whether the
full recipe made it in; when it did not (a JPEG segment holds 64 KiB; WAV tags are
read by few programs) the caller writes a JSON sidecar as well.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

from sessionstudio.core.errors import MediaError
from sessionstudio.media import exif_write as X
from sessionstudio.media.png_text import add_png_text

# The muxer for each container we can re-tag by remuxing.
_AV_FORMATS = {"mp4": "mp4", "mov": "mov", "m4a": "ipod", "mkv": "matroska", "webm": "webm"}
# Demuxer facts that are not tags: never copied back as tags.
_NOT_TAGS = {"major_brand", "minor_version", "compatible_brands", "encoder", "duration"}


def _compact(recipe: dict) -> str:
    return json.dumps(recipe, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _png(source: Path, dest: Path, recipe: dict, parameters: str, prompt: str, title: str) -> bool:
    full = json.dumps(recipe, ensure_ascii=False, indent=2, sort_keys=True)
    dest.write_bytes(add_png_text(source.read_bytes(), {"parameters": parameters, "sessionstudio": full}))
    return True


def _user_comment_exif(existing: bytes | None, parameters: str) -> bytes | None:
    """EXIF with the UserComment; None when existing EXIF cannot be read (it is then
    kept as it is rather than lose the orientation)."""
    if existing:
        try:
            from PIL import Image
            Image.Exif().load(existing)
        except Exception:  # noqa: BLE001 - Pillow raises many kinds on damaged EXIF
            return None
    return X.exif_with_user_comment(existing, parameters) if parameters else None


def _jpeg(source: Path, dest: Path, recipe: dict, parameters: str, prompt: str, title: str) -> bool:
    data = source.read_bytes()
    exif = _user_comment_exif(X.jpeg_exif(data), parameters)
    if exif is not None and not X.jpeg_fits(exif):
        exif = None  # the A1111 line is too long for one segment; the recipe is in XMP
    xmp = X.xmp_packet(recipe, prompt)
    if not X.jpeg_fits(xmp, X.JPEG_XMP_HEADER):
        xmp = None
    dest.write_bytes(X.jpeg_with_metadata(data, exif=exif, xmp=xmp))
    return xmp is not None


def _webp(source: Path, dest: Path, recipe: dict, parameters: str, prompt: str, title: str) -> bool:
    data = source.read_bytes()
    exif = _user_comment_exif(X.webp_exif(data), parameters)
    if exif is not None and exif.startswith(X.JPEG_EXIF_HEADER):
        exif = exif[len(X.JPEG_EXIF_HEADER):]  # WebP's EXIF chunk is bare TIFF
    dest.write_bytes(X.webp_with_metadata(data, exif=exif, xmp=X.xmp_packet(recipe, prompt)))
    return True


def _remux_as(fmt: str) -> Callable[..., bool]:
    def remux(source: Path, dest: Path, recipe: dict, parameters: str, prompt: str, title: str) -> bool:
        import av

        tags = {"title": title, "comment": parameters, "prompt": prompt, "sessionstudio": _compact(recipe)}
        # use_metadata_tags: MP4/MOV keep any tag name (ComfyUI reads and writes "prompt" and
        # "workflow" this way); Matroska keeps any tag anyway.
        options = {"movflags": "use_metadata_tags"} if fmt in ("mp4", "mov", "ipod") else {}
        with av.open(str(source), metadata_errors="ignore") as src, \
                av.open(str(dest), "w", format=fmt, options=options) as out:
            out.metadata.update({k: v for k, v in src.metadata.items() if k not in _NOT_TAGS})
            out.metadata.update({k: v for k, v in tags.items() if v})
            streams = {}
            for stream in src.streams:
                copy = out.add_stream_from_template(stream)
                copy.metadata.update(stream.metadata)
                copy.disposition = stream.disposition
                streams[stream.index] = copy
            for packet in src.demux():
                if packet.dts is None:  # the demuxer's end-of-stream marker, not data
                    continue
                packet.stream = streams[packet.stream.index]
                out.mux(packet)
        return True
    return remux


def _id3(source: Path, dest: Path, recipe: dict, parameters: str, prompt: str, title: str) -> bool:
    from mutagen.id3 import COMM, TIT2, TXXX
    from mutagen.mp3 import MP3
    from mutagen.wave import WAVE

    shutil.copyfile(source, dest)
    with source.open("rb") as fh:
        riff = fh.read(4) in (b"RIFF", b"RF64")
    audio = (WAVE if riff else MP3)(dest)
    if audio.tags is None:
        audio.add_tags()
    audio.tags.add(TXXX(encoding=3, desc="sessionstudio", text=[_compact(recipe)]))
    if parameters:
        audio.tags.add(COMM(encoding=3, lang="eng", desc="", text=[parameters]))
    if title:
        audio.tags.add(TIT2(encoding=3, text=[title]))
    audio.save()
    # WAV players rarely read ID3: the sidecar stays the WAV's readable copy.
    return isinstance(audio, MP3)


def _vorbis(source: Path, dest: Path, recipe: dict, parameters: str, prompt: str, title: str) -> bool:
    import mutagen
    from mutagen.flac import FLAC
    from mutagen.oggflac import OggFLAC
    from mutagen.oggopus import OggOpus
    from mutagen.oggspeex import OggSpeex
    from mutagen.oggtheora import OggTheora
    from mutagen.oggvorbis import OggVorbis

    shutil.copyfile(source, dest)
    # Explicit classes: the temp file's name says nothing about its type.
    audio = mutagen.File(dest, options=[FLAC, OggVorbis, OggOpus, OggFLAC, OggSpeex, OggTheora])
    if audio is None:
        raise MediaError("not a FLAC or Ogg file mutagen can tag")
    if audio.tags is None:
        audio.add_tags()
    for key, value in (("SESSIONSTUDIO", _compact(recipe)), ("COMMENT", parameters),
                       ("PROMPT", prompt), ("TITLE", title)):
        if value:
            audio.tags[key] = [value]
    audio.save()
    return True


_WRITERS: dict[str, Callable[..., bool]] = {
    "png": _png, "jpg": _jpeg, "webp": _webp, "mp3": _id3, "wav": _id3,
    "flac": _vorbis, "ogg": _vorbis, **{ext: _remux_as(fmt) for ext, fmt in _AV_FORMATS.items()},
}


def can_embed(ext: str) -> bool:
    return ext in _WRITERS


def embed_recipe(source: Path, dest: Path, ext: str, *, recipe: dict, parameters: str,
                 prompt: str = "", title: str = "") -> bool:
    """Write source to dest (which may exist, empty) with the recipe in its metadata.

    Returns True when the full recipe JSON is inside dest, False when a sidecar is
    still needed. Raises MediaError when the file could not be tagged; dest is then
    incomplete and the caller copies the file plainly instead.
    """
    writer = _WRITERS.get(ext)
    if writer is None:
        raise MediaError(f".{ext} files cannot carry a recipe")
    try:
        return writer(Path(source), Path(dest), recipe, parameters, prompt, title)
    except MediaError:
        raise
    except Exception as exc:  # noqa: BLE001 - PyAV, mutagen and Pillow raise their own kinds
        raise MediaError(f"could not write the recipe into the .{ext} file ({exc})") from exc
