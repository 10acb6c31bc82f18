"""Opening the catalog file with the pragmas every connection needs."""

import sqlite3
from pathlib import Path

import sqlite_utils

from ..core.errors import StudioError
from .migrations import MIGRATIONS, applied_migrations, migrate


def _configure(conn: sqlite3.Connection) -> None:
    # 8 KiB pages: fewer, fuller B-tree pages for rows of ~500 bytes (takes effect only
    # on a new file, before WAL is switched on).
    conn.execute("PRAGMA page_size=8192")
    conn.execute("PRAGMA journal_mode=WAL")
    # FULL: a commit that returned survives power loss; the catalog is the user's work.
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA busy_timeout=5000")
    conn.execute("PRAGMA cache_size=-65536")  # 64 MiB page cache
    conn.execute("PRAGMA temp_store=MEMORY")


def _connect(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    try:
        if readonly:
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None,
                                   check_same_thread=False)
        else:
            conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        _configure(conn)
        return conn
    except sqlite3.DatabaseError as exc:
        raise StudioError(f"The catalog {path} cannot be opened: {exc}") from exc


def open_catalog(path: Path, *, readonly: bool = False) -> sqlite_utils.Database:
    """The writer connection, migrated to the current schema (isolation_level=None:
    transactions are begun explicitly with BEGIN IMMEDIATE by the library)."""
    path = Path(path)
    if readonly and not path.exists():
        raise StudioError(f"No library at {path.parent}: create one with any write command first.")
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = _connect(path, readonly=readonly)
    db = sqlite_utils.Database(conn)
    if not readonly:
        migrate(db)
    else:
        _check_up_to_date(db, path)
    return db


def _check_up_to_date(db: sqlite_utils.Database, path: Path) -> None:
    """A reader cannot migrate: a catalog still being created by another process, or last
    written by an older version, is named as such instead of failing on a missing table."""
    try:
        done = set(applied_migrations(db))
    except sqlite3.DatabaseError as exc:
        raise StudioError(f"The catalog {path} cannot be read: {exc}") from exc
    missing = [name for name, _ in MIGRATIONS if name not in done]
    if missing:
        db.conn.close()
        raise StudioError(
            f"The catalog {path} is not ready to read: it is still being created, or was last "
            f"written by an older Session Studio (missing {', '.join(missing)}). Open the app "
            "or run any writing command once to bring it up to date.")


def connect_reader(path: Path) -> sqlite3.Connection:
    """A read-only connection for a background reader (WAL lets it read while writing)."""
    return _connect(Path(path), readonly=True)
