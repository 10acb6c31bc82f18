"""Folders in the sidebar: nested, renamed, moved, trashed and restored."""

from ..core.changes import Changes
from ..core.errors import InvalidInput
from ..core.ids import now_ms, uuid7
from ..core.models import Folder
from .journal import Tx
from .library import Library
from .sessions import _clean_name, _restore_folder_chain, purge_session_rows


def list_folders(lib: Library, *, trashed: bool = False) -> list[Folder]:
    cond = "IS NOT NULL" if trashed else "IS NULL"
    return [Folder.from_row(r) for r in lib.query(
        f"SELECT * FROM folders WHERE trashed_at {cond} ORDER BY position, name COLLATE NOCASE")]


def create_folder(lib: Library, *, name: str, parent_id: str | None = None) -> Changes:
    name = _clean_name(name)

    def op(tx: Tx) -> None:
        if parent_id is not None:
            tx.row("folders", parent_id)
        now = now_ms()
        tx.insert("folders", {"id": uuid7(), "name": name, "parent_id": parent_id,
                              "created_at": now, "updated_at": now})
    return lib.write("New folder", op)


def rename_folder(lib: Library, *, folder_id: str, name: str) -> Changes:
    name = _clean_name(name)
    return lib.write("Rename folder", lambda tx: tx.update("folders", folder_id, name=name,
                                                             updated_at=now_ms()))


def _descendants(tx: Tx, folder_id: str) -> list[str]:
    rows = tx.conn.execute("""WITH RECURSIVE sub(id) AS (
        SELECT id FROM folders WHERE parent_id = ?
        UNION SELECT f.id FROM folders f JOIN sub ON f.parent_id = sub.id) SELECT id FROM sub""",
                           [folder_id]).fetchall()
    return [r[0] for r in rows]


def move_folder(lib: Library, *, folder_id: str, parent_id: str | None) -> Changes:
    def op(tx: Tx) -> None:
        folder = tx.row("folders", folder_id)
        if parent_id is not None:
            tx.row("folders", parent_id)
            if parent_id == folder_id or parent_id in _descendants(tx, folder_id):
                raise InvalidInput(f"The folder '{folder['name']}' cannot go inside itself.")
        tx.update("folders", folder_id, parent_id=parent_id, updated_at=now_ms())
    return lib.write("Move folder", op)


def set_folder_collapsed(lib: Library, *, folder_id: str, collapsed: bool) -> Changes:
    """View state, remembered but not undoable."""
    return lib.write("Collapse folder", lambda tx: tx.update("folders", folder_id,
                                                               collapsed=int(collapsed)),
                     undoable=False)


def trash_folder(lib: Library, *, folder_id: str) -> Changes:
    """The folder goes to the trash with its subfolders and sessions, all stamped with
    the same time so restoring brings back exactly what went with it."""
    now = now_ms()

    def op(tx: Tx) -> None:
        tx.row("folders", folder_id)
        for fid in [folder_id, *_descendants(tx, folder_id)]:
            if tx.row("folders", fid)["trashed_at"] is None:
                tx.update("folders", fid, trashed_at=now)
            for (sid,) in tx.conn.execute("SELECT id FROM sessions WHERE folder_id = ? "
                                          "AND trashed_at IS NULL", [fid]).fetchall():
                tx.update("sessions", sid, trashed_at=now)
    return lib.write("Move folder to trash", op)


def restore_folder(lib: Library, *, folder_id: str) -> Changes:
    def op(tx: Tx) -> None:
        stamp = tx.row("folders", folder_id)["trashed_at"]
        _restore_folder_chain(tx, folder_id)
        if stamp is None:
            return
        for fid in [folder_id, *_descendants(tx, folder_id)]:
            if tx.row("folders", fid)["trashed_at"] == stamp:
                tx.update("folders", fid, trashed_at=None)
            for (sid,) in tx.conn.execute("SELECT id FROM sessions WHERE folder_id = ? "
                                          "AND trashed_at = ?", [fid, stamp]).fetchall():
                tx.update("sessions", sid, trashed_at=None)
    return lib.write("Restore folder", op)


def purge_folder(lib: Library, *, folder_id: str) -> Changes:
    """Delete a folder, its subfolders and their sessions for good (journaled)."""
    def op(tx: Tx) -> None:
        folders = [folder_id, *_descendants(tx, folder_id)]
        for fid in folders:
            for (sid,) in tx.conn.execute("SELECT id FROM sessions WHERE folder_id = ?", [fid]).fetchall():
                purge_session_rows(tx, sid)
        for fid in reversed(folders):  # children before parents (foreign keys)
            tx.delete("folders", fid)
    return lib.write("Delete folder permanently", op)
