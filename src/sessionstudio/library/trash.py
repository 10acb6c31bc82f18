"""Emptying the trash, and giving disk space back for files nothing refers to any more."""

import re

from ..core.changes import Changes
from ..core.ids import now_ms
from .folders import _descendants
from .journal import Tx
from .library import Library
from .artboards import purge_artboard_rows
from .sessions import purge_item_rows, purge_session_rows

_HASH = re.compile(r"\b[0-9a-f]{64}\b")


def empty_trash(lib: Library, *, older_than_days: float | None = None) -> Changes:
    """Purge what is in the trash (only what was trashed before the cutoff, if given):
    items, sessions with their items, folders with their contents, boards. One undoable step."""
    cutoff = now_ms() if older_than_days is None else now_ms() - int(older_than_days * 86_400_000)

    def op(tx: Tx) -> None:
        conn = tx.conn
        for (fid,) in conn.execute("SELECT id FROM folders WHERE trashed_at IS NOT NULL AND "
                                   "trashed_at <= ? AND (parent_id IS NULL OR parent_id NOT IN "
                                   "(SELECT id FROM folders WHERE trashed_at IS NOT NULL))",
                                   [cutoff]).fetchall():
            folders = [fid, *_descendants(tx, fid)]
            for sub in folders:
                for (sid,) in conn.execute("SELECT id FROM sessions WHERE folder_id = ?", [sub]).fetchall():
                    purge_session_rows(tx, sid)
            for sub in reversed(folders):
                tx.delete("folders", sub)
        for (sid,) in conn.execute("SELECT id FROM sessions WHERE trashed_at IS NOT NULL "
                                   "AND trashed_at <= ?", [cutoff]).fetchall():
            purge_session_rows(tx, sid)
        for (iid,) in conn.execute("SELECT id FROM items WHERE trashed_at IS NOT NULL "
                                   "AND trashed_at <= ?", [cutoff]).fetchall():
            purge_item_rows(tx, iid)
        for (aid,) in conn.execute("SELECT id FROM artboards WHERE trashed_at IS NOT NULL "
                                   "AND trashed_at <= ?", [cutoff]).fetchall():
            purge_artboard_rows(tx, aid)
    return lib.write("Empty trash", op)


def referenced_hashes(lib: Library) -> set[str]:
    """Every asset hash the catalog or its undo history can still point at."""
    used = {r[0] for r in lib.query("SELECT DISTINCT asset_hash FROM items")}
    used |= {r[0] for r in lib.query("SELECT DISTINCT asset_hash FROM item_inputs "
                                     "WHERE asset_hash IS NOT NULL")}
    # Undo can bring back purged items, so files named in the history stay.
    for before, after in lib.query("SELECT before, after FROM op_rows "
                                   "WHERE tbl IN ('items', 'item_inputs')"):
        for text in (before, after):
            if text:
                used.update(_HASH.findall(text))
    return used


def collect_garbage(lib: Library) -> dict:
    """Delete stored files that no item, input or undo step refers to."""
    lib._check_writable()
    used = referenced_hashes(lib)
    removed, freed = 0, 0
    for digest in lib.store.stored_hashes():
        if digest not in used:
            size = lib.store.path(digest).stat().st_size
            if lib.store.remove(digest):
                removed += 1
                freed += size
    lib.store.cleanup_tmp()
    return {"removed": removed, "bytes": freed}
