"""Writing through a journal: every row an operation touches is logged so it can be undone.

At do-time only what would otherwise be lost is stored: nothing for an insert, the
changed fields' old values for an update, the whole row for a delete. The other side
is captured when the step is undone (the current state then *is* the after-state), so
undo and redo are one symmetric swap and a bulk insert costs one small row per item.
"""

import json
import sqlite3
from typing import Any

from ..core.changes import Changes
from ..core.errors import NotFound, NothingToUndo
from ..core.ids import now_ms, uuid7

_TABLES = {"folders", "sessions", "items", "item_inputs", "artboards", "artboard_elements"}


def _row(conn: sqlite3.Connection, table: str, pk: str) -> dict[str, Any] | None:
    r = conn.execute(f"SELECT rowid AS _rowid, * FROM {table} WHERE id = ?", [pk]).fetchone()
    return dict(r) if r is not None else None


def _insert_row(conn: sqlite3.Connection, table: str, row: dict[str, Any]) -> None:
    row = dict(row)
    rowid = row.pop("_rowid", None)
    if rowid is not None and conn.execute(
            f"SELECT 1 FROM {table} WHERE rowid = ?", [rowid]).fetchone() is None:
        row["rowid"] = rowid  # same rowid again: keeps "newest first" order after undo
    cols = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    conn.execute(f"INSERT INTO {table} ({cols}) VALUES ({marks})", list(row.values()))


def _set_fields(conn: sqlite3.Connection, table: str, pk: str, fields: dict[str, Any]) -> None:
    assigns = ", ".join(f"{k} = ?" for k in fields)
    conn.execute(f"UPDATE {table} SET {assigns} WHERE id = ?", [*fields.values(), pk])


class Tx:
    """One operation's writes. Use only inside Library.write()."""

    def __init__(self, conn: sqlite3.Connection, label: str):
        self.conn = conn
        self.label = label
        self.changes = Changes(label=label)
        self._log: list[tuple[str, str, str, str | None]] = []

    def _touch(self, table: str, row: dict[str, Any]) -> None:
        self.changes.touch(table, row["id"])
        if table == "items" and row.get("session_id"):
            self.changes.session_contents.add(row["session_id"])
        elif table == "artboard_elements" and row.get("artboard_id"):
            self.changes.artboards.add(row["artboard_id"])   # an element changed: its board did

    def row(self, table: str, pk: str) -> dict[str, Any]:
        r = _row(self.conn, table, pk)
        if r is None:
            raise NotFound(f"No {table[:-1].replace('_', ' ')} with id {pk}")
        return r

    def insert(self, table: str, row: dict[str, Any]) -> str:
        assert table in _TABLES
        row = dict(row)
        row.setdefault("id", uuid7())
        _insert_row(self.conn, table, row)
        self._log.append((table, row["id"], "i", None))
        self._touch(table, row)
        self.changes.created.append(row["id"])
        return row["id"]

    def insert_many(self, table: str, columns: list[str], rows: list[tuple]) -> None:
        """Bulk insert; `columns` must start with "id". Journals one small row per insert."""
        assert table in _TABLES and columns[0] == "id"
        marks = ", ".join("?" for _ in columns)
        self.conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)
        self._log.extend((table, r[0], "i", None) for r in rows)
        if table == "items" and "session_id" in columns:
            at = columns.index("session_id")
            self.changes.session_contents.update(r[at] for r in rows)
        self.changes.touch_many(table, (r[0] for r in rows))

    def insert_select(self, table: str, columns: list[str], select_sql: str) -> int:
        """Bulk insert done inside SQLite (INSERT ... SELECT from a staging table): Python
        binds no rows, so index upkeep runs at C speed. Journaled as one rowid range
        (action "r"), whose rows are captured only if it is ever undone."""
        assert table in _TABLES and columns[0] == "id"
        first = self.conn.execute(f"SELECT coalesce(max(rowid), 0) FROM {table}").fetchone()[0]
        cur = self.conn.execute(f"INSERT INTO {table} ({', '.join(columns)}) {select_sql}")
        last = self.conn.execute(f"SELECT coalesce(max(rowid), 0) FROM {table}").fetchone()[0]
        if last > first:
            self._log.append((table, f"{first + 1}-{last}", "r", None))
        return cur.rowcount

    def update(self, table: str, pk: str, **fields: Any) -> bool:
        """Set fields; journals the old values of those that really change."""
        current = self.row(table, pk)
        diff = {k: v for k, v in fields.items() if current[k] != v}
        if not diff:
            return False
        _set_fields(self.conn, table, pk, diff)
        self._log.append((table, pk, "u", json.dumps({k: current[k] for k in diff})))
        self._touch(table, current)
        if table == "items" and "session_id" in diff:
            self.changes.session_contents.add(diff["session_id"])
        return True

    def delete(self, table: str, pk: str) -> None:
        current = self.row(table, pk)
        self.conn.execute(f"DELETE FROM {table} WHERE id = ?", [pk])
        self._log.append((table, pk, "d", json.dumps(current)))
        self._touch(table, current)

    def record(self, *, undoable: bool) -> None:
        """Write the operations-log entry (same transaction as the changes)."""
        if not self._log:
            return
        state = "done" if undoable else None
        if undoable:
            # A new change ends the redo chain, as in every editor.
            self.conn.execute("UPDATE ops SET state = 'dropped' WHERE state = 'undone'")
        cur = self.conn.execute(
            "INSERT INTO ops (id, label, kind, undoable, state, created_at, changes) "
            "VALUES (?, ?, 'do', ?, ?, ?, ?)",
            [uuid7(), self.label, int(undoable), state, now_ms(), json.dumps(self.changes.as_dict(max_ids=1000))])
        seq = cur.lastrowid
        self.conn.executemany(
            "INSERT INTO op_rows (op_seq, n, tbl, pk, action, before) VALUES (?, ?, ?, ?, ?, ?)",
            [(seq, n, t, pk, a, b) for n, (t, pk, a, b) in enumerate(self._log)])
        self.changes.op_seq = seq
        self.changes.undoable = undoable


def _swap_step(tx: Tx, tbl: str, pk: str, action: str, stored: str | None, direction: str) -> str | None:
    """Apply one journal step backward (undo) or forward (redo); return what to store in
    its place. Inserts are deleted on undo and put back on redo, deletes the reverse."""
    conn = tx.conn
    if action == "r":
        return _swap_range(tx, tbl, pk, stored, direction)
    current = _row(conn, tbl, pk)
    removing = (action == "i") == (direction == "undo")
    if action == "u":
        fields = json.loads(stored)
        if current is None:
            return stored  # row gone meanwhile (purged elsewhere): nothing to restore into
        _set_fields(conn, tbl, pk, fields)
        tx._touch(tbl, current)
        return json.dumps({k: current[k] for k in fields})
    if removing:
        if current is not None:
            conn.execute(f"DELETE FROM {tbl} WHERE id = ?", [pk])
            tx._touch(tbl, current)
        return json.dumps(current) if current is not None else None
    if current is None and stored is not None:
        row = json.loads(stored)
        _insert_row(conn, tbl, row)
        tx._touch(tbl, row)
    return None


def _swap_range(tx: Tx, tbl: str, span: str, stored: str | None, direction: str) -> str | None:
    """A bulk insert: undo captures and deletes the rowid range, redo puts the rows back."""
    lo, hi = (int(x) for x in span.split("-"))
    if direction == "undo":
        rows = [dict(r) for r in tx.conn.execute(
            f"SELECT rowid AS _rowid, * FROM {tbl} WHERE rowid BETWEEN ? AND ?", [lo, hi])]
        tx.conn.execute(f"DELETE FROM {tbl} WHERE rowid BETWEEN ? AND ?", [lo, hi])
        for row in rows:
            tx._touch(tbl, row)
        return json.dumps(rows)
    for row in json.loads(stored or "[]"):
        _insert_row(tx.conn, tbl, row)
        tx._touch(tbl, row)
    return None


def apply_undo_redo(tx: Tx, direction: str) -> int:
    """Undo the newest done operation, or redo the oldest undone one. Returns its seq."""
    if direction == "undo":
        op = tx.conn.execute("SELECT seq, label FROM ops WHERE state = 'done' "
                             "ORDER BY seq DESC LIMIT 1").fetchone()
    else:
        op = tx.conn.execute("SELECT seq, label FROM ops WHERE state = 'undone' "
                             "ORDER BY seq ASC LIMIT 1").fetchone()
    if op is None:
        raise NothingToUndo("Nothing to undo." if direction == "undo" else "Nothing to redo.")
    seq = op["seq"]
    order = "DESC" if direction == "undo" else "ASC"
    steps = tx.conn.execute(f"SELECT n, tbl, pk, action, before, after FROM op_rows "
                            f"WHERE op_seq = ? ORDER BY n {order}", [seq]).fetchall()
    undo = direction == "undo"
    for s in steps:
        # Which stored image the step reads, and where the displaced state is kept.
        if s["action"] == "u":
            src, dst = ("before", "after") if undo else ("after", "before")
        elif s["action"] in ("i", "r"):
            src, dst = (None, "after") if undo else ("after", None)
        else:
            src, dst = ("before", None) if undo else (None, "before")
        new = _swap_step(tx, s["tbl"], s["pk"], s["action"], s[src] if src else None, direction)
        if dst is not None:
            tx.conn.execute(f"UPDATE op_rows SET {dst} = ? WHERE op_seq = ? AND n = ?",
                            [new, seq, s["n"]])
    tx.conn.execute("UPDATE ops SET state = ? WHERE seq = ?",
                    ["undone" if direction == "undo" else "done", seq])
    tx.changes.label = op["label"]
    tx.changes.kind = direction
    tx.conn.execute(
        "INSERT INTO ops (id, label, kind, target_seq, undoable, created_at, changes) "
        "VALUES (?, ?, ?, ?, 0, ?, ?)",
        [uuid7(), op["label"], direction, seq, now_ms(), json.dumps(tx.changes.as_dict(max_ids=1000))])
    tx.changes.op_seq = seq
    return seq
