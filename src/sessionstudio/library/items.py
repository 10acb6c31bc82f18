"""Item operations: rename, favorite, move, copy, trash, purge (adding: item_add.py)."""

from ..core.changes import Changes
from ..core.errors import InvalidInput
from ..core.ids import now_ms, uuid7
from .journal import Tx
from .library import Library
from .sessions import _clean_name, _label, _restore_folder_chain, purge_item_rows


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
