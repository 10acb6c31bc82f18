"""Download: copy one item's file out of the library under a readable name, with its recipe.

PNGs carry the recipe inside the file (an A1111-style `parameters` text chunk that other
tools read, plus a `sessionstudio` chunk with the full recipe as JSON; pixels untouched).
Every other type gets a sidecar `<file name>.json` with the same JSON. Files are written
to a temp name in the destination and renamed into place, and never overwrite anything.
"""

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from ..media.info import MIME_BY_KIND
from ..core.errors import InvalidInput, StudioError
from ..core.models import Item
from ..media import add_png_text, format_parameters
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
    row = lib.reader().execute("SELECT name FROM sessions WHERE id = ?", [item.session_id]).fetchone()
    return {**item.recipe(), "id": item.id, "created_at": item.created_at,
            "session": {"id": item.session_id, "name": row[0] if row else None}}


def missing_asset_error(item: Item) -> StudioError:
    return StudioError(f"The file for '{export_name(item)}' is missing from the library "
                       "(run `sessionstudio verify`).")


def export_item(lib: Library, *, item_id: str, dest_dir: str | Path) -> Path:
    """Copy the item's file into dest_dir; returns the path written."""
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
    recipe = json.dumps(recipe_json(lib, item), ensure_ascii=False, indent=2, sort_keys=True)
    embed = ext == "png"
    target = _free_target(dest_dir, safe_filename(export_name(item), ext), sidecar=not embed)
    source = lib.store.path(item.asset_hash)
    if embed:
        settings = dict(item.settings or {})
        negative = settings.pop("negative_prompt", None) or ""  # its own line, not a pair
        params = format_parameters(item.prompt or "", str(negative), {
            **settings, "seed": item.seed, "width": item.width, "height": item.height,
            "model": settings.get("model") or item.engine})
        data = add_png_text(source.read_bytes(), {"parameters": params, "sessionstudio": recipe})
        _write_atomic(target, lambda f: f.write(data))
    else:
        def copy(f) -> None:
            with lib.store.open(item.asset_hash) as src:
                shutil.copyfileobj(src, f, 1 << 20)
        _write_atomic(target, copy)
        sidecar = target.with_name(target.name + ".json")
        try:
            _write_atomic(sidecar, lambda f: f.write(recipe.encode("utf-8") + b"\n"))
        except BaseException:
            target.unlink(missing_ok=True)
            raise
    return target


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


def _write_atomic(target: Path, write) -> None:
    """Write through a temp file beside target, then rename it into place."""
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".ss-", suffix=".partial")
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise StudioError(f"Could not write {target}: {exc.strerror or exc}.") from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
