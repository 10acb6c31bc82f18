"""Item operations: add from a file or bytes, rename, favorite, move, copy, trash, purge."""

import json
from collections.abc import Callable
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.changes import Changes
from ..core.errors import InvalidInput, MediaError
from ..core.ids import now_ms, uuid7
from ..core.models import AUDIO_KINDS, INPUT_ROLES, KINDS
from .journal import Tx
from .library import Library
from .naming import name_from_prompt
from .recipe_import import file_recipe
from .sessions import _clean_name, _label, _restore_folder_chain, purge_item_rows


@dataclass
class InputRef:
    """A reference image, start/end frame or source audio of a generated item."""
    role: str
    asset_hash: str | None = None
    source_item_id: str | None = None


def _kind_for(info_kind: str, wanted: str | None, path_name: str) -> str:
    if wanted is not None and wanted not in KINDS:
        raise InvalidInput(f"Unknown kind '{wanted}': use one of {', '.join(KINDS)}.")
    if info_kind == "audio":
        if wanted is None:
            return "music"
        if wanted in AUDIO_KINDS:
            return wanted
    elif wanted is None or wanted == info_kind:
        return info_kind
    raise InvalidInput(f"{path_name} is {'an' if info_kind[0] in 'aeiou' else 'a'} {info_kind} "
                       f"file, not {wanted}.")


def add_item(lib: Library, *, session_id: str, source: str | Path | bytes,
             kind: str | None = None, name: str | None = None, prompt: str = "",
             settings: dict[str, Any] | None = None, engine: str = "import",
             action: str = "import", seed: int | None = None, parent_id: str | None = None,
             inputs: list[InputRef] = (), filename: str | None = None,
             label: str | None = None, within: Callable[[Tx], None] | None = None) -> Changes:
    """Probe the media, store its bytes content-addressed, then record the item with its
    recipe in one transaction. The asset is written first so an item never points at
    a file that is not there."""
    for ref in inputs:
        if ref.role not in INPUT_ROLES:
            raise InvalidInput(f"Unknown input role '{ref.role}': use one of {', '.join(INPUT_ROLES)}.")
    if isinstance(source, (bytes, bytearray)):
        lib.paths.tmp_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=lib.paths.tmp_dir, delete=False,
                                         suffix=".incoming") as tmp:
            tmp.write(source)
        path = Path(tmp.name)
        file_label = filename or "data"
    else:
        path = Path(source)
        file_label = path.name
        if not path.is_file():
            raise MediaError(f"{path}: no such file")
    from ..media import probe  # Pillow/PyAV load only when media is actually added

    try:
        info = probe(path)
        # An import with no recipe given takes the one the file carries: another tool's
        # prompt and settings, or a Session Studio download's full recipe (recipe_import.py).
        found = (file_recipe(path, info.kind)
                 if engine == "import" and not prompt and settings is None else None)
        if found is not None:
            prompt, settings, engine = found.prompt, found.settings, found.engine
            action = found.action or action
            seed = found.seed if seed is None else seed
            name = found.name if name is None else name
            kind = kind or found.kind
        item_kind = _kind_for(info.kind, kind, file_label)
        digest, size = lib.store.put_file(path)
    finally:
        if isinstance(source, (bytes, bytearray)):
            path.unlink(missing_ok=True)
    if name is None:
        stem = Path(filename or file_label).stem if not isinstance(source, (bytes, bytearray)) or filename else ""
        name = stem or name_from_prompt(prompt) or item_kind.capitalize()
    now = now_ms()
    row = {
        "id": uuid7(), "session_id": session_id, "kind": item_kind, "name": _clean_name(name),
        "prompt": prompt or "", "settings": json.dumps(settings or {}, sort_keys=True),
        "engine": engine, "action": action, "seed": seed, "parent_id": parent_id,
        "asset_hash": digest, "mime": info.mime, "size": size, "width": info.width,
        "height": info.height, "duration_ms": info.duration_ms, "favorite": 0,
        "created_at": now, "updated_at": now,
    }

    def op(tx: Tx) -> None:
        session = tx.row("sessions", session_id)
        if session["trashed_at"] is not None:
            raise InvalidInput(f"The session '{session['name']}' is in the trash; restore it first.")
        if prompt and session["auto_named"] and tx.conn.execute(
                "SELECT 1 FROM items WHERE session_id = ? AND prompt != '' LIMIT 1",
                [session_id]).fetchone() is None:
            # The first prompt names an auto-named session, as chat apps do.
            tx.update("sessions", session_id, name=name_from_prompt(prompt) or session["name"])
        tx.insert("items", row)
        for pos, ref in enumerate(inputs):
            tx.insert("item_inputs", {"id": uuid7(), "item_id": row["id"], "role": ref.role,
                                      "asset_hash": ref.asset_hash,
                                      "source_item_id": ref.source_item_id, "position": pos})
        tx.update("sessions", session_id, updated_at=now)
        if within is not None:   # e.g. the job that made this item is marked done atomically
            within(tx)
    changes = lib.write(label or f"Add {item_kind}", op)
    if lib.thumbnailer is not None:
        try:
            lib.thumbnailer.request(digest, item_kind)
        except RuntimeError:   # shutting down: the thumbnail is made on demand later
            pass
    return changes


def rename_item(lib: Library, *, item_id: str, name: str) -> Changes:
    name = _clean_name(name)
    return lib.write("Rename item", lambda tx: tx.update("items", item_id, name=name, updated_at=now_ms()))


def set_favorite(lib: Library, *, item_ids: list[str], favorite: bool = True) -> Changes:
    def op(tx: Tx) -> None:
        for iid in item_ids:
            tx.update("items", iid, favorite=int(favorite))
    return lib.write(_label("Favorite" if favorite else "Unfavorite", item_ids), op)


def trash_items(lib: Library, *, item_ids: list[str]) -> Changes:
    now = now_ms()

    def op(tx: Tx) -> None:
        for iid in item_ids:
            if tx.row("items", iid)["trashed_at"] is None:
                tx.update("items", iid, trashed_at=now)
    return lib.write(_label("Move item to trash", item_ids), op)


def restore_items(lib: Library, *, item_ids: list[str]) -> Changes:
    def op(tx: Tx) -> None:
        for iid in item_ids:
            item = tx.row("items", iid)
            tx.update("items", iid, trashed_at=None)
            session = tx.row("sessions", item["session_id"])
            tx.update("sessions", session["id"], trashed_at=None)  # visible again
            _restore_folder_chain(tx, session["folder_id"])
    return lib.write(_label("Restore item", item_ids), op)


def purge_items(lib: Library, *, item_ids: list[str]) -> Changes:
    def op(tx: Tx) -> None:
        for iid in item_ids:
            purge_item_rows(tx, iid)
    return lib.write(_label("Delete item permanently", item_ids), op)


def move_items(lib: Library, *, item_ids: list[str], session_id: str) -> Changes:
    def op(tx: Tx) -> None:
        _live_session(tx, session_id)
        for iid in item_ids:
            tx.update("items", iid, session_id=session_id, updated_at=now_ms())
        tx.update("sessions", session_id, updated_at=now_ms())
    return lib.write(_label("Move item", item_ids), op)


def copy_items(lib: Library, *, item_ids: list[str], session_id: str) -> Changes:
    def op(tx: Tx) -> None:
        _live_session(tx, session_id)
        for iid in item_ids:
            copy_item_rows(tx, iid, session_id)
        tx.update("sessions", session_id, updated_at=now_ms())
    return lib.write(_label("Copy item", item_ids), op)


def _live_session(tx: Tx, session_id: str) -> dict:
    session = tx.row("sessions", session_id)
    if session["trashed_at"] is not None:
        raise InvalidInput(f"The session '{session['name']}' is in the trash; restore it first.")
    return session


def copy_item_rows(tx: Tx, item_id: str, session_id: str, *, keep_time: bool = False) -> str:
    """Copy an item row and its inputs into a session; the asset is shared, not copied."""
    src = tx.row("items", item_id)
    row = {k: v for k, v in src.items() if k != "_rowid"}
    now = now_ms()
    row.update(id=uuid7(), session_id=session_id, updated_at=now,
               created_at=src["created_at"] if keep_time else now)
    tx.insert("items", row)
    for inp in tx.conn.execute("SELECT * FROM item_inputs WHERE item_id = ? ORDER BY position",
                               [item_id]).fetchall():
        tx.insert("item_inputs", {**dict(inp), "id": uuid7(), "item_id": row["id"]})
    return row["id"]
