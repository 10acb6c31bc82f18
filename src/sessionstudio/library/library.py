"""The open library: catalog, asset store, write lock, and the one way to change things.

Every mutation runs through `Library.write(label, fn)`: one BEGIN IMMEDIATE transaction,
journaled for undo, committed, then `changed` is emitted with the resulting `Changes`.
Writes are serialised by a lock; reads use per-thread connections (WAL readers never
wait for the writer), each inside `with lib.reading() as conn:`.
"""

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..catalog import connect_reader, open_catalog
from ..core.changes import Changes
from ..core.errors import StudioError
from ..core.signals import Signal
from ..paths import Paths, ensure_dirs, resolve_paths
from ..store import AssetStore, LibraryLock, check_library_location
from .journal import Tx, apply_undo_redo


class _Reader:
    """One thread's read connection and how many reading() blocks are using it."""
    __slots__ = ("conn", "busy")

    def __init__(self, conn: sqlite3.Connection):
        self.conn, self.busy = conn, 0


class Library:
    def __init__(self, paths: Paths, *, readonly: bool = False, allow_unsafe_location: bool = False):
        self.paths = paths
        self.readonly = readonly
        self.changed = Signal()  # emits Changes after each committed write
        self._write_lock = threading.RLock()
        self._local = threading.local()
        self._readers: list[_Reader] = []   # every thread's, to close them all
        self._readers_lock = threading.Lock()
        self._lock: LibraryLock | None = None
        self._closed = False
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
    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """This thread's read connection, for the length of the block:

            with lib.reading() as conn:
                rows = conn.execute(...).fetchall()

        close() never closes a connection inside such a block (another thread closing a
        connection under a running query crashes the process inside sqlite3); that
        connection closes as its block ends."""
        reader = getattr(self._local, "reader", None)
        new = None
        if reader is None and not self._closed:   # opened outside the lock: file I/O
            new = _Reader(connect_reader(self.paths.catalog_path))
        with self._readers_lock:
            if self._closed:
                if new is not None:
                    new.conn.close()
                raise StudioError("The library was closed; nothing more can be read from it.")
            if new is not None:
                reader = self._local.reader = new
                self._readers.append(new)
            reader.busy += 1
        try:
            yield reader.conn
        finally:
            with self._readers_lock:
                reader.busy -= 1
                if self._closed and reader.busy == 0:
                    reader.conn.close()

    def query(self, sql: str, params: Any = ()) -> list[sqlite3.Row]:
        with self.reading() as conn:
            return conn.execute(sql, params).fetchall()

    def meta(self, key: str) -> str | None:
        rows = self.query("SELECT value FROM meta WHERE key = ?", [key])
        return rows[0][0] if rows else None

    # -- writing -----------------------------------------------------------------------
    def write(self, label: str, fn: Callable[[Tx], Any], *, undoable: bool = True,
              origin: str | None = None) -> Changes:
        """Run fn(tx) in one transaction; journal it; notify subscribers.
        `origin` names the sync device whose changes this applies: the op is marked so
        sync does not publish it again (None: a change made here)."""
        with self._write_lock:  # checked inside: close() may have run while we waited
            self._check_writable()
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
        with self._write_lock:
            self._check_writable()
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
        rows = self.query("SELECT label FROM ops WHERE state = 'done' ORDER BY seq DESC LIMIT 1")
        return rows[0][0] if rows else None

    def redo_label(self) -> str | None:
        rows = self.query("SELECT label FROM ops WHERE state = 'undone' ORDER BY seq ASC LIMIT 1")
        return rows[0][0] if rows else None

    def _check_writable(self) -> None:
        if self._closed:
            raise StudioError("The library was closed; the change was not made.")
        if self.readonly:
            raise StudioError("This library was opened read-only.")

    # -- lifetime ----------------------------------------------------------------------
    def close(self) -> None:
        """Close connections and release the writer lock (safe to call twice)."""
        with self._readers_lock:
            if self._closed:
                return
            self._closed = True
            for reader in self._readers:
                if reader.busy == 0:   # one in use closes as its reading() block ends
                    reader.conn.close()
            self._readers.clear()
        self._local = threading.local()
        with self._write_lock:  # a write still running on another thread finishes first
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
