"""The open library: catalog, asset store, write lock, and the one way to change things.

Every mutation runs through `Library.write(label, fn)`: one BEGIN IMMEDIATE transaction,
journaled for undo, committed, then `changed` is emitted with the resulting `Changes`.
Writes are serialised by a lock; reads use per-thread connections (WAL readers never
wait for the writer).
"""

import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..catalog import connect_reader, open_catalog
from ..core.changes import Changes
from ..core.errors import StudioError
from ..core.signals import Signal
from ..paths import Paths, ensure_dirs, resolve_paths
from ..store import AssetStore, LibraryLock, check_library_location
from .journal import Tx, apply_undo_redo


class Library:
    def __init__(self, paths: Paths, *, readonly: bool = False, allow_unsafe_location: bool = False):
        self.paths = paths
        self.readonly = readonly
        self.changed = Signal()  # emits Changes after each committed write
        self._write_lock = threading.RLock()
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        self._readers_lock = threading.Lock()
        self._lock: LibraryLock | None = None
        check_library_location(paths.library_dir, allow_unsafe=allow_unsafe_location)
        if not readonly:
            ensure_dirs(paths)
            self._lock = LibraryLock(paths.lock_path)
            self._lock.acquire()
        try:
            self.db = open_catalog(paths.catalog_path, readonly=readonly)
        except BaseException:
            if self._lock is not None:
                self._lock.release()
            raise
        self.conn = self.db.conn
        self.store = AssetStore(paths.assets_dir, paths.tmp_dir)
        self.thumbnailer: Any = None  # set by whoever wants thumbnails made after adds

    @classmethod
    def open(cls, library: str | Path | None = None, **kwargs: Any) -> "Library":
        return cls(resolve_paths(library), **kwargs)

    # -- reading -----------------------------------------------------------------------
    def reader(self) -> sqlite3.Connection:
        """This thread's read connection."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = connect_reader(self.paths.catalog_path)
            self._local.conn = conn
            with self._readers_lock:
                self._readers.append(conn)
        return conn

    def query(self, sql: str, params: Any = ()) -> list[sqlite3.Row]:
        return self.reader().execute(sql, params).fetchall()

    def meta(self, key: str) -> str | None:
        row = self.reader().execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    # -- writing -----------------------------------------------------------------------
    def write(self, label: str, fn: Callable[[Tx], Any], *, undoable: bool = True,
              origin: str | None = None) -> Changes:
        """Run fn(tx) in one transaction; journal it; notify subscribers.
        `origin` names the sync device whose changes this applies: the op is marked so
        sync does not publish it again (None: a change made here)."""
        self._check_writable()
        with self._write_lock:
            tx = Tx(self.conn, label)
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                fn(tx)
                tx.record(undoable=undoable)
                if origin is not None and tx.changes.op_seq is not None:
                    self.conn.execute("UPDATE ops SET origin = ? WHERE seq = ?",
                                      [origin, tx.changes.op_seq])
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
        if not tx.changes.empty:
            self.changed.emit(tx.changes)
        return tx.changes

    def undo(self) -> Changes:
        return self._undo_redo("undo")

    def redo(self) -> Changes:
        return self._undo_redo("redo")

    def _undo_redo(self, direction: str) -> Changes:
        self._check_writable()
        with self._write_lock:
            tx = Tx(self.conn, direction)
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                apply_undo_redo(tx, direction)
                self.conn.execute("COMMIT")
            except sqlite3.IntegrityError as exc:
                # With sync, another device may have purged a row this step needs back
                # (the session of an item to restore): refuse cleanly, change nothing.
                self.conn.execute("ROLLBACK")
                raise StudioError(f"Cannot {direction} this step: something it needs was "
                                  f"deleted meanwhile (on another device?) ({exc}).") from exc
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
        tx.changes.undoable = True
        self.changed.emit(tx.changes)
        return tx.changes

    def undo_label(self) -> str | None:
        row = self.reader().execute("SELECT label FROM ops WHERE state = 'done' "
                                    "ORDER BY seq DESC LIMIT 1").fetchone()
        return row[0] if row else None

    def redo_label(self) -> str | None:
        row = self.reader().execute("SELECT label FROM ops WHERE state = 'undone' "
                                    "ORDER BY seq ASC LIMIT 1").fetchone()
        return row[0] if row else None

    def _check_writable(self) -> None:
        if self.readonly:
            raise StudioError("This library was opened read-only.")

    # -- lifetime ----------------------------------------------------------------------
    def close(self) -> None:
        """Close connections and release the writer lock (safe to call twice)."""
        if getattr(self, "_closed", False):
            return
        self._closed = True
        with self._readers_lock:
            for conn in self._readers:
                conn.close()
            self._readers.clear()
        self._local = threading.local()
        if not self.readonly:
            try:
                self.conn.execute("PRAGMA optimize")
            except sqlite3.Error:
                pass
        self.conn.close()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> "Library":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
