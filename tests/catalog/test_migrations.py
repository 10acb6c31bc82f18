"""The schema is built by named migrations; an old file is brought forward on open."""

import sqlite3

import sqlite_utils

from sessionstudio.catalog import MIGRATIONS, applied_migrations, migrate, open_catalog


def test_new_catalog_has_every_migration_and_pragmas(tmp_path):
    db = open_catalog(tmp_path / "c.sqlite")
    assert applied_migrations(db) == [name for name, _ in MIGRATIONS]
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_first_version_file_is_migrated_with_its_data(tmp_path):
    path = tmp_path / "old.sqlite"
    conn = sqlite3.connect(path, isolation_level=None)
    old = sqlite_utils.Database(conn)
    assert migrate(old, upto="001_core_tables") == ["001_core_tables"]
    conn.execute("INSERT INTO sessions(id, name, created_at, updated_at) VALUES ('s1', 'Old trip', 1, 1)")
    conn.execute("INSERT INTO items(id, session_id, kind, name, prompt, asset_hash, created_at, updated_at)"
                 " VALUES ('i1', 's1', 'image', 'beach', 'turquoise lagoon at noon', 'h', 1, 1)")
    conn.close()
    assert "items_fts" not in sqlite_utils.Database(path).table_names()

    db = open_catalog(path)
    assert applied_migrations(db)[-1] == MIGRATIONS[-1][0]
    hits = db.execute("SELECT rowid FROM items_fts WHERE items_fts MATCH 'lagoon'").fetchall()
    assert len(hits) == 1
    assert db.execute("SELECT name FROM sessions_fts WHERE sessions_fts MATCH 'trip'").fetchone()[0] == "Old trip"
    assert db.execute("SELECT value FROM meta WHERE key = 'library_id'").fetchone()[0]


def test_failed_migration_rolls_back_and_is_not_recorded(tmp_path, monkeypatch):
    from sessionstudio.catalog import migrations as m

    def broken(db):
        db.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("boom")
    monkeypatch.setattr(m, "MIGRATIONS", [*m.MIGRATIONS, ("999_broken", broken)])
    path = tmp_path / "c.sqlite"
    conn = sqlite3.connect(path, isolation_level=None)
    db = sqlite_utils.Database(conn)
    try:
        migrate(db)
    except RuntimeError:
        pass
    assert "999_broken" not in applied_migrations(db)
    assert "half_done" not in db.table_names()
    assert "003_library_meta" in applied_migrations(db)


def test_newer_file_is_refused(tmp_path):
    import pytest
    from sessionstudio.core.errors import StudioError
    path = tmp_path / "c.sqlite"
    db = open_catalog(path)
    db.execute("INSERT INTO _migrations(name, applied_at) VALUES ('900_future', 0)")
    db.conn.close()
    with pytest.raises(StudioError, match="newer Session Studio"):
        open_catalog(path)


def test_a_reader_names_a_catalog_that_is_not_up_to_date(tmp_path):
    """A reading command beside another process (which may be creating the file right now)
    or after an update cannot migrate: it says why instead of 'no such table'."""
    from sessionstudio.core.errors import StudioError
    path = tmp_path / "old.sqlite"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")          # as every catalog the app makes
    migrate(sqlite_utils.Database(conn), upto="003_library_meta")
    conn.close()
    try:
        open_catalog(path, readonly=True)
    except StudioError as exc:
        assert "not ready to read" in str(exc) and "004_jobs" in str(exc)
    else:
        raise AssertionError("a half-made catalog was opened for reading")
    open_catalog(path).conn.close()                 # a writer brings it forward
    reader = open_catalog(path, readonly=True)
    assert applied_migrations(reader)[-1] == MIGRATIONS[-1][0]
    reader.conn.close()
