"""Download: copy one item's file out of the library under a readable name, with its recipe.

The recipe travels inside the file wherever the format allows (media/recipes_write.py):
an A1111-style `parameters` line that other tools read, plus our full recipe as JSON
(PNG text chunks; JPEG/WebP EXIF UserComment + XMP; MP4/MOV/M4A/MKV/WebM container
tags by remuxing; MP3 ID3; FLAC/Ogg Vorbis comments). Pixels and samples are never
re-encoded. Formats that cannot carry it (GIF, WAV whose ID3 chunk few programs read,
a JPEG whose recipe outgrows its 64 KiB segment) also get a sidecar `<file name>.json`.
Importing such a download again restores the full recipe (media/recipes_read.py).
Files are written to a temp name in the destination and renamed into place, and
never overwrite anything.
"""

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from ..core.errors import InvalidInput, MediaError, StudioError
from ..core.models import Item
from ..media import format_parameters, probe
from ..media.info import MIME_BY_KIND
from ..media.recipes_write import can_embed, embed_recipe
from .item_queries import get_item
from .library import Library
from .naming import name_from_prompt, safe_filename

# One table, kept by media/ (which assigns the MIME types when probing), read backwards.
EXT_FOR_MIME = {mime: ext for table in MIME_BY_KIND.values() for ext, mime in table.items()}
EXT_FOR_MIME["audio/x-wav"] = "wav"


def ext_for_mime(mime: str | None) -> str:
    """The usual file extension for a MIME type; "bin" for anything unknown."""
    return EXT_FOR_MIME.get((mime or "").split(";")[0].strip().lower(), "bin")


def export_name(item: Item) -> str:
    """What a person would call the file: the item's name, else its prompt, else its kind."""
    return (item.name or "").strip() or name_from_prompt(item.prompt or "") or item.kind


def recipe_json(lib: Library, item: Item) -> dict[str, Any]:
    """The item's recipe plus where it came from (embedded in downloads and bundles)."""
    rows = lib.query("SELECT name FROM sessions WHERE id = ?", [item.session_id])
    row = rows[0] if rows else None
    return {**item.recipe(), "id": item.id, "created_at": item.created_at,
            "session": {"id": item.session_id, "name": row[0] if row else None}}


def missing_asset_error(item: Item) -> StudioError:
    return StudioError(f"The file for '{export_name(item)}' is missing from the library "
                       "(run `sessionstudio verify`).")


def export_item(lib: Library, *, item_id: str, dest_dir: str | Path,
                audio_format: str | None = None) -> Path:
    """Copy the item's file into dest_dir; returns the path written. audio_format ("mp3",
    "ogg") re-encodes a track or voiceover for players that do not take WAV."""
    item = get_item(lib, item_id)
    dest_dir = Path(dest_dir)
    if dest_dir.exists() and not dest_dir.is_dir():
        raise InvalidInput(f"Cannot download into {dest_dir}: it is a file, not a folder.")
    if not lib.store.has(item.asset_hash):
        raise missing_asset_error(item)
    try:
        dest_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StudioError(f"Cannot create the folder {dest_dir}: {exc.strerror or exc}.") from exc

    ext = ext_for_mime(item.mime)
    recipe = recipe_json(lib, item)
    source = lib.store.path(item.asset_hash)
    converted = None
    if audio_format and item.kind in ("music", "voiceover") and audio_format != ext:
        from ..media.transcode import transcode_audio
        # Converted beside the download (not in the library: exports run read-only).
        # A unique name: two downloads of the same track may run at once.
        fd, name = tempfile.mkstemp(prefix=".converting-", suffix=f".{audio_format}", dir=dest_dir)
        os.close(fd)
        converted = Path(name)
        source = transcode_audio(source, converted, audio_format)
        ext = audio_format
    try:
        return _export(lib, item, dest_dir, ext, recipe, source)
    finally:
        if converted is not None:
            converted.unlink(missing_ok=True)


def _export(lib: Library, item: Item, dest_dir: Path, ext: str, recipe: dict,
            source: Path) -> Path:
    target = _free_target(dest_dir, safe_filename(export_name(item), ext), sidecar=ext != "png")
    embedded = False

    def write(tmp: Path) -> None:
        nonlocal embedded
        if can_embed(ext):
            try:
                embedded = embed_recipe(source, tmp, ext, recipe=recipe,
                                        parameters=parameters_line(item), prompt=item.prompt or "",
                                        title=export_name(item))
                probe(tmp)  # never hand out a file the tagging broke
                return
            except MediaError:
                embedded = False  # tags are a bonus: fall back to a plain copy + sidecar
        with source.open("rb") as src, tmp.open("wb") as f:
            shutil.copyfileobj(src, f, 1 << 20)

    write_atomic(target, write)
    if not embedded:
        text = json.dumps(recipe, ensure_ascii=False, indent=2, sort_keys=True)
        sidecar = target.with_name(target.name + ".json")
        try:
            write_atomic(sidecar, lambda tmp: tmp.write_bytes(text.encode("utf-8") + b"\n"))
        except BaseException:
            target.unlink(missing_ok=True)
            raise
    return target


def parameters_line(item: Item) -> str:
    """The A1111 "parameters" text for an item (prompt, negative prompt, settings)."""
    settings = dict(item.settings or {})
    negative = settings.pop("negative_prompt", None) or ""  # its own line, not a pair
    return format_parameters(item.prompt or "", str(negative), {
        **settings, "seed": item.seed if item.seed is not None else settings.get("seed"), "width": item.width, "height": item.height,
        "model": settings.get("model") or item.engine})


def _free_target(directory: Path, filename: str, *, sidecar: bool) -> Path:
    """directory/filename, else "name (2).ext" and so on (as naming.unique_path does), such
    that neither the file nor, when one is written, its sidecar exists yet."""
    stem, dot, ext = filename.rpartition(".")
    if not dot:
        stem, ext = filename, ""
    n = 1
    while True:
        name = filename if n == 1 else (f"{stem} ({n}).{ext}" if ext else f"{stem} ({n})")
        candidate = directory / name
        if not candidate.exists() and not (sidecar and candidate.with_name(name + ".json").exists()):
            return candidate
        n += 1


def write_atomic(target: Path, write, *, what: str = "") -> None:
    """write(tmp) fills a temp file beside target, which is then synced and renamed
    into place; on any failure the temp file is removed. `what` names the file in the
    error ("the bundle ")."""
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".ss-", suffix=".partial")
    except OSError as exc:
        raise StudioError(f"Cannot write {what}{target}: {exc.strerror or exc}.") from exc
    os.close(fd)
    try:
        write(Path(tmp))
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise StudioError(f"Could not write {what}{target}: {exc.strerror or exc}.") from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
