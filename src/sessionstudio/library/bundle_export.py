"""Export: write a session's live items, their files and recipes to one bundle zip.

The layout and manifest are described in bundle_format.py; bundle_import.py reads it
back. The zip is written to a temp name beside dest and renamed into place, so a failed
export leaves no half-written bundle behind.
"""

import json
import shutil
import stat
import zipfile
from pathlib import Path
from typing import Any

from ..core.errors import MediaError, StudioError
from ..core.ids import now_ms
from ..core.models import Item, ItemInput
from ..media import probe
from .bundle_format import SHA256_HEX, CHUNK, FORMAT, MANIFEST, VERSION
from .export import ext_for_mime, missing_asset_error, write_atomic
from .library import Library
from .naming import safe_filename, unique_path
from .sessions import get_session

_FIXED_TIME = (2020, 1, 1, 0, 0, 0)


def export_bundle(lib: Library, *, session_id: str, dest: str | Path) -> Path:
    """Write the session's live (non-trashed) items to a zip at dest; returns its path.

    If dest is an existing folder the zip is named after the session inside it."""
    session = get_session(lib, session_id)
    items = _session_items(lib, session_id)
    dest = Path(dest)
    if dest.is_dir():
        dest = unique_path(dest, safe_filename(session.name, "zip"))
    for item in items:
        if not lib.store.has(item.asset_hash):
            raise missing_asset_error(item)

    media: dict[str, dict[str, Any]] = {}  # asset -> {"file", "mime", "size"}
    for item in items:
        if item.asset_hash not in media:
            media[item.asset_hash] = {"file": f"media/{item.asset_hash}.{ext_for_mime(item.mime)}",
                                      "mime": item.mime,
                                      "size": lib.store.path(item.asset_hash).stat().st_size}
    for item in items:
        for inp in item.inputs:
            h = inp.asset_hash
            if h and h not in media and SHA256_HEX.fullmatch(h) and lib.store.has(h):
                entry = _input_media(lib, h)
                if entry is not None:
                    media[h] = entry

    manifest = {
        "format": FORMAT, "version": VERSION, "exported_at": now_ms(),
        "session": {"name": session.name, "created_at": session.created_at,
                    "settings": session.settings},
        "items": [_manifest_item(item, media) for item in items],
        "media": [{"asset": h, **m} for h, m in media.items()],
    }

    def write(tmp: Path) -> None:
        with zipfile.ZipFile(tmp, "w", allowZip64=True) as zf:
            _write_bytes(zf, MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
            for item in items:
                _write_bytes(zf, f"recipes/{item.id}.json",
                             json.dumps(item.recipe(), ensure_ascii=False, indent=2))
            for h, m in media.items():
                _write_file(zf, m["file"], lib.store.path(h), m["size"])
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StudioError(f"Cannot write {dest}: {exc.strerror or exc}.") from exc
    write_atomic(dest, write, what="the bundle ")
    return dest


def _session_items(lib: Library, session_id: str) -> list[Item]:
    with lib.reading() as conn:
        rows = conn.execute("SELECT * FROM items WHERE session_id = ? AND trashed_at IS NULL "
                            "ORDER BY created_at, id", [session_id]).fetchall()
        inputs = conn.execute("SELECT ii.* FROM item_inputs ii JOIN items i ON i.id = "
                              "ii.item_id WHERE i.session_id = ? AND i.trashed_at IS NULL "
                              "ORDER BY ii.item_id, ii.position", [session_id]).fetchall()
    items = [Item.from_row(r) for r in rows]
    by_id = {i.id: i for i in items}
    for r in inputs:
        by_id[r["item_id"]].inputs.append(
            ItemInput(r["role"], r["asset_hash"], r["source_item_id"], r["position"]))
    return items


def _input_media(lib: Library, h: str) -> dict[str, Any] | None:
    """An input file (reference image, mask...) to carry along; None if it is not media
    the importer could accept."""
    path = lib.store.path(h)
    try:
        info = probe(path)
    except (MediaError, OSError):
        return None
    return {"file": f"media/{h}.{ext_for_mime(info.mime)}", "mime": info.mime,
            "size": path.stat().st_size}


def _manifest_item(item: Item, media: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": item.id, "kind": item.kind, "name": item.name, "prompt": item.prompt,
        "settings": item.settings, "engine": item.engine, "action": item.action,
        "seed": item.seed, "parent_id": item.parent_id, "asset": item.asset_hash,
        "file": media[item.asset_hash]["file"], "mime": item.mime, "size": item.size,
        "width": item.width, "height": item.height, "duration_ms": item.duration_ms,
        "favorite": item.favorite, "created_at": item.created_at,
        "inputs": [{"role": i.role, "asset": i.asset_hash, "source_item_id": i.source_item_id,
                    "position": i.position} for i in item.inputs],
    }


def _zinfo(name: str, compress: int) -> zipfile.ZipInfo:
    zi = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
    zi.compress_type = compress
    zi.external_attr = (stat.S_IFREG | 0o644) << 16
    return zi


def _write_bytes(zf: zipfile.ZipFile, name: str, text: str) -> None:
    zf.writestr(_zinfo(name, zipfile.ZIP_DEFLATED), text.encode("utf-8"))


def _write_file(zf: zipfile.ZipFile, name: str, path: Path, size: int) -> None:
    # Media are stored, not deflated: images, video and compressed audio do not shrink,
    # and deflating WAV (little gain on real audio) could make near-silent files look like
    # zip bombs (> 200:1) to the importer.
    zi = _zinfo(name, zipfile.ZIP_STORED)
    zi.file_size = size  # lets zipfile choose zip64 up front for big files
    with open(path, "rb") as src, zf.open(zi, "w", force_zip64=size > (2 << 30)) as out:
        shutil.copyfileobj(src, out, CHUNK)
