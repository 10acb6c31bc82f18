"""Bulk import: many sessions and items in one transaction (migrations from other tools,
big bundles, the scale benchmark).

Rows are bound into an index-free temporary staging table (cheap per row from Python),
then copied with one INSERT ... SELECT so index upkeep and journaling run inside SQLite.
The full-text triggers are dropped meanwhile and the new rows indexed in one pass after."""

from collections.abc import Iterable, Sequence

from ..catalog.migrations import (FTS_TRIGGER_NAMES, FTS_TRIGGERS, SESSION_FTS_TRIGGER_NAMES,
                                  SESSION_FTS_TRIGGERS, run_script)
from ..core.changes import Changes
from .journal import Tx
from .library import Library

SESSION_COLUMNS = ["id", "name", "auto_named", "folder_id", "created_at", "updated_at"]
ITEM_COLUMNS = ["id", "session_id", "kind", "name", "prompt", "settings", "engine", "action",
                "seed", "parent_id", "asset_hash", "mime", "size", "width", "height",
                "duration_ms", "favorite", "created_at", "updated_at"]


def bulk_insert(lib: Library, *, sessions: Sequence[tuple] = (),
                items: Iterable[Sequence[tuple]] = (), label: str = "Import") -> Changes:
    """Insert session rows (SESSION_COLUMNS order) and batches of item rows (ITEM_COLUMNS
    order) as one undoable operation. Assets must already be in the store.
    The returned Changes lists the sessions; items are summarised by session."""
    def op(tx: Tx) -> None:
        conn = tx.conn
        first = conn.execute("SELECT coalesce(max(rowid), 0) FROM items").fetchone()[0]
        first_session = conn.execute("SELECT coalesce(max(rowid), 0) FROM sessions").fetchone()[0]
        for name in (*FTS_TRIGGER_NAMES, *SESSION_FTS_TRIGGER_NAMES):
            conn.execute(f"DROP TRIGGER {name}")
        if sessions:
            tx.insert_many("sessions", SESSION_COLUMNS, list(sessions))
        conn.execute(f"CREATE TEMP TABLE bulk_items ({', '.join(ITEM_COLUMNS)})")
        try:
            marks = ", ".join("?" for _ in ITEM_COLUMNS)
            for batch in items:
                conn.executemany(f"INSERT INTO bulk_items VALUES ({marks})", batch)
            cols = ", ".join(ITEM_COLUMNS)
            tx.insert_select("items", ITEM_COLUMNS, f"SELECT {cols} FROM temp.bulk_items")
            tx.changes.session_contents.update(
                r[0] for r in conn.execute("SELECT DISTINCT session_id FROM temp.bulk_items"))
            conn.execute("INSERT INTO items_fts(rowid, name, prompt) "
                         "SELECT rowid, name, prompt FROM items WHERE rowid > ?", [first])
            conn.execute("INSERT INTO sessions_fts(rowid, name) "
                         "SELECT rowid, name FROM sessions WHERE rowid > ?", [first_session])
            run_script(lib.db, SESSION_FTS_TRIGGERS + FTS_TRIGGERS)
        finally:
            conn.execute("DROP TABLE IF EXISTS temp.bulk_items")
    return lib.write(label, op)
