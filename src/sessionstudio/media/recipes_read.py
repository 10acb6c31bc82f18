"""read_recipe(): how a media file was generated, from the metadata it carries.

This module finds the metadata blocks in each container; recipes_parse.py tells which
tool wrote them and reads them (recipes_comfy.py for ComfyUI graphs):

    PNG          text chunks (tEXt, zTXt, iTXt), read without loading the image data
    JPEG, WebP   EXIF UserComment (A1111, Forge, Fooocus), XMP (our recipe), comment
    MP4, MOV, M4A, WebM, MKV   container tags via PyAV (ComfyUI: prompt, workflow)
    MP3, WAV     ID3: TXXX frames by description, COMM, TIT2 (via mutagen)
    FLAC, Ogg    Vorbis comments: PROMPT, COMMENT, DESCRIPTION, SESSIONSTUDIO, ...

and, beside any file, a Session Studio download's JSON sidecar `<file name>.json`.
Nothing here raises for a hostile or damaged file: the answer is then None, or what
could be read.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from sessionstudio.media.exif_write import EXIF_IFD, USER_COMMENT, decode_user_comment, recipe_from_xmp
from sessionstudio.media.images import open_image, sniff_image
from sessionstudio.media.png_text import read_png_text_file
from sessionstudio.media.probe import sniff_audio_video
from sessionstudio.media.recipes_parse import MAX_BLOCK, Recipe, recipe_from_blocks

__all__ = ["Recipe", "read_blocks", "read_recipe", "sidecar_path"]

_AV_CONTAINERS = {"mp4", "mov", "m4a", "webm", "mkv"}
_MUTAGEN_FORMATS = {"mp3", "wav", "flac", "ogg"}
_MAKERNOTE = 0x927C  # Fooocus writes its metadata scheme here: "fooocus" or "a1111"


def sidecar_path(path: Path) -> Path:
    """Where a download's recipe sidecar sits: `<file name>.json` beside the file."""
    return path.with_name(path.name + ".json")


def read_recipe(path: str | Path) -> Recipe | None:
    """The recipe inside (or beside) the file at path; None when it carries none."""
    path = Path(path)
    try:
        blocks = read_blocks(path)
    except Exception:  # noqa: BLE001 - a file we cannot parse simply has no recipe
        blocks = {}
    if "sessionstudio" not in blocks:
        sidecar = _read_sidecar(path)
        if sidecar is not None:
            blocks["sessionstudio"] = sidecar
    return recipe_from_blocks(blocks)


def read_blocks(path: Path) -> dict[str, str]:
    """Every metadata text block of the file, by lower-cased name."""
    with path.open("rb") as fh:
        head = fh.read(64)
    ext = sniff_image(head) or sniff_audio_video(head)
    if ext == "png":
        blocks = read_png_text_file(path, max_chunk=MAX_BLOCK)
    elif ext in ("jpg", "webp", "gif"):
        blocks = _image_blocks(path)
    elif ext in _AV_CONTAINERS:
        blocks = _av_blocks(path)
    elif ext in _MUTAGEN_FORMATS:
        blocks = _mutagen_blocks(path, ext)
    else:
        blocks = {}
    return {k.lower(): v for k, v in blocks.items() if isinstance(v, str) and len(v) <= MAX_BLOCK}


def _read_sidecar(path: Path) -> str | None:
    sidecar = sidecar_path(path)
    try:
        if sidecar.is_file() and sidecar.stat().st_size <= MAX_BLOCK:
            return sidecar.read_text(encoding="utf-8", errors="replace")
    except OSError:
        pass
    return None


def _text(value: object) -> str | None:
    if isinstance(value, (bytes, bytearray)):
        value = bytes(value).decode("utf-8", errors="replace")
    return value.strip("\x00") if isinstance(value, str) else None


def _image_blocks(path: Path) -> dict[str, str]:
    with open_image(path) as image:  # headers only: no pixel is decoded
        info = dict(image.info)
    blocks: dict[str, str] = {}
    if info.get("exif"):
        try:
            blocks.update(_exif_blocks(info["exif"]))
        except Exception:  # noqa: BLE001 - damaged EXIF: the XMP and comment may still be fine
            pass
    recipe = recipe_from_xmp(info.get("xmp"))
    if recipe:
        blocks["sessionstudio"] = recipe
    comment = _text(info.get("comment"))  # a JPEG COM segment or GIF comment
    if comment:
        blocks["comment"] = comment
    return blocks


def _exif_blocks(raw: bytes) -> dict[str, str]:
    exif = Image.Exif()
    exif.load(raw)
    blocks = {}
    # A1111 and piexif put UserComment in the Exif IFD; Fooocus puts it in IFD0.
    comment = (decode_user_comment(exif.get_ifd(EXIF_IFD).get(USER_COMMENT))
               or decode_user_comment(exif.get(USER_COMMENT)))
    if comment:
        blocks["usercomment"] = comment
    scheme = (_text(exif.get(_MAKERNOTE)) or "")[:16].strip().lower()
    if scheme in ("fooocus", "a1111"):
        blocks["makernote"] = scheme
    return blocks


def _av_blocks(path: Path) -> dict[str, str]:
    import av  # loaded only when a video or audio file is imported

    with av.open(str(path), metadata_errors="ignore") as container:
        tags = dict(container.metadata)
        for stream in container.streams:  # some writers tag the stream instead
            for key, value in stream.metadata.items():
                tags.setdefault(key, value)
    return tags


def _mutagen_blocks(path: Path, ext: str) -> dict[str, str]:
    import mutagen
    from mutagen.flac import FLAC
    from mutagen.id3 import ID3
    from mutagen.mp3 import MP3
    from mutagen.wave import WAVE

    # The class from the sniffed type: mutagen's own guess also weighs the file name,
    # and an imported temp file's name says nothing.
    if ext in ("mp3", "wav", "flac"):
        audio = {"mp3": MP3, "wav": WAVE, "flac": FLAC}[ext](path)
    else:
        audio = mutagen.File(path)
    tags = audio.tags if audio is not None else None
    blocks: dict[str, str] = {}
    if isinstance(tags, ID3):  # MP3, and WAV's "id3 " chunk
        for frame in tags.getall("TXXX"):
            blocks.setdefault(frame.desc.lower(), "\n".join(map(str, frame.text)))
        comments = sorted(tags.getall("COMM"), key=lambda f: f.desc != "")  # the plain one first
        if comments:
            blocks["comment"] = "\n".join(map(str, comments[0].text))
        if tags.getall("TIT2"):
            blocks["title"] = "\n".join(map(str, tags.getall("TIT2")[0].text))
    elif tags is not None:  # Vorbis comments: (name, value) pairs, names case-insensitive
        for key, value in tags:
            blocks.setdefault(key.lower(), value)
    return blocks
