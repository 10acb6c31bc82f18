"""The schema, built by named migrations recorded in the catalog file itself.

Each migration runs once, in order, inside one transaction with its record in
`_migrations`; a file made by an older version is brought forward on open.
"""

from collections.abc import Callable

import sqlite3

import sqlite_utils

from ..core.ids import now_ms, uuid7

Migration = tuple[str, Callable[[sqlite_utils.Database], None]]


def run_script(db: sqlite_utils.Database, sql: str) -> None:
    """Run statements one by one: sqlite3's executescript() commits first, which would
    break a migration's all-or-nothing transaction."""
    pending = ""
    for line in sql.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            db.conn.execute(pending)
            pending = ""
    if pending.strip():
        raise ValueError(f"incomplete SQL statement: {pending!r}")


def _core_tables(db: sqlite_utils.Database) -> None:
    run_script(db, """
    CREATE TABLE folders (
        id TEXT PRIMARY KEY,
        parent_id TEXT REFERENCES folders(id),
        name TEXT NOT NULL,
        position INTEGER NOT NULL DEFAULT 0,
        collapsed INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        trashed_at INTEGER
    );
    CREATE INDEX folders_parent ON folders(parent_id);

    CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        auto_named INTEGER NOT NULL DEFAULT 0,
        folder_id TEXT REFERENCES folders(id),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        opened_at INTEGER,
        trashed_at INTEGER,
        settings TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX sessions_newest ON sessions(trashed_at, created_at);
    CREATE INDEX sessions_folder ON sessions(folder_id, created_at);

    CREATE TABLE items (
        id TEXT PRIMARY KEY,
        session_id TEXT NOT NULL REFERENCES sessions(id),
        kind TEXT NOT NULL CHECK (kind IN ('image', 'video', 'music', 'voiceover')),
        name TEXT NOT NULL DEFAULT '',
        prompt TEXT NOT NULL DEFAULT '',
        settings TEXT NOT NULL DEFAULT '{}',
        engine TEXT NOT NULL DEFAULT '',
        action TEXT NOT NULL DEFAULT '',
        seed INTEGER,
        parent_id TEXT,
        asset_hash TEXT NOT NULL,
        mime TEXT NOT NULL DEFAULT '',
        size INTEGER NOT NULL DEFAULT 0,
        width INTEGER,
        height INTEGER,
        duration_ms INTEGER,
        favorite INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        trashed_at INTEGER
    );
    -- the grid: one session, a kind, not trashed, newest first.
    CREATE INDEX items_grid ON items(session_id, kind, trashed_at, created_at);
    CREATE INDEX items_parent ON items(parent_id) WHERE parent_id IS NOT NULL;
    CREATE INDEX items_trash ON items(trashed_at) WHERE trashed_at IS NOT NULL;

    CREATE TABLE item_inputs (
        id TEXT PRIMARY KEY,
        item_id TEXT NOT NULL REFERENCES items(id),
        role TEXT NOT NULL,
        asset_hash TEXT,
        source_item_id TEXT,
        position INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX item_inputs_item ON item_inputs(item_id);

    -- The operations log: one row per operation; op_rows hold what each changed.
    CREATE TABLE ops (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL,
        label TEXT NOT NULL,
        kind TEXT NOT NULL DEFAULT 'do',
        target_seq INTEGER,
        undoable INTEGER NOT NULL DEFAULT 1,
        state TEXT,
        created_at INTEGER NOT NULL,
        changes TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX ops_state ON ops(state) WHERE state IS NOT NULL;

    CREATE TABLE op_rows (
        op_seq INTEGER NOT NULL,
        n INTEGER NOT NULL,
        tbl TEXT NOT NULL,
        pk TEXT NOT NULL,
        action TEXT NOT NULL,
        before TEXT,
        after TEXT,
        PRIMARY KEY (op_seq, n)
    ) WITHOUT ROWID;
    """)


FTS_TRIGGERS = """
CREATE TRIGGER items_fts_ai AFTER INSERT ON items BEGIN
    INSERT INTO items_fts(rowid, name, prompt) VALUES (new.rowid, new.name, new.prompt);
END;
CREATE TRIGGER items_fts_ad AFTER DELETE ON items BEGIN
    INSERT INTO items_fts(items_fts, rowid, name, prompt) VALUES ('delete', old.rowid, old.name, old.prompt);
END;
CREATE TRIGGER items_fts_au AFTER UPDATE OF name, prompt ON items BEGIN
    INSERT INTO items_fts(items_fts, rowid, name, prompt) VALUES ('delete', old.rowid, old.name, old.prompt);
    INSERT INTO items_fts(rowid, name, prompt) VALUES (new.rowid, new.name, new.prompt);
END;
"""
FTS_TRIGGER_NAMES = ("items_fts_ai", "items_fts_ad", "items_fts_au")
SESSION_FTS_TRIGGERS = """
CREATE TRIGGER sessions_fts_ai AFTER INSERT ON sessions BEGIN
    INSERT INTO sessions_fts(rowid, name) VALUES (new.rowid, new.name);
END;
CREATE TRIGGER sessions_fts_ad AFTER DELETE ON sessions BEGIN
    INSERT INTO sessions_fts(sessions_fts, rowid, name) VALUES ('delete', old.rowid, old.name);
END;
CREATE TRIGGER sessions_fts_au AFTER UPDATE OF name ON sessions BEGIN
    INSERT INTO sessions_fts(sessions_fts, rowid, name) VALUES ('delete', old.rowid, old.name);
    INSERT INTO sessions_fts(rowid, name) VALUES (new.rowid, new.name);
END;
"""
SESSION_FTS_TRIGGER_NAMES = ("sessions_fts_ai", "sessions_fts_ad", "sessions_fts_au")


def _full_text_search(db: sqlite_utils.Database) -> None:
    run_script(db, """
    -- detail=column, columnsize=0: no phrase positions or column sizes (search is words and
    -- prefixes, BM25 only for small sets): 1.6x faster to build and a quarter smaller.
    -- prefix='3': typing "cin" reads one prefix doclist instead of merging every term
    -- that starts so (12 ms at 400k items).
    CREATE VIRTUAL TABLE items_fts USING fts5(
        name, prompt, content='items', content_rowid='rowid',
        tokenize='unicode61 remove_diacritics 2', detail=column, columnsize=0, prefix='3');
    CREATE VIRTUAL TABLE sessions_fts USING fts5(
        name, content='sessions', content_rowid='rowid',
        tokenize='unicode61 remove_diacritics 2', detail=column, columnsize=0, prefix='3');
    """ + SESSION_FTS_TRIGGERS + FTS_TRIGGERS + """
    INSERT INTO items_fts(items_fts) VALUES ('rebuild');
    INSERT INTO sessions_fts(sessions_fts) VALUES ('rebuild');
    """)


def _library_meta(db: sqlite_utils.Database) -> None:
    # A library id names this catalog (cache folders, bundles); the device id is for sync.
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    db.execute("INSERT INTO meta(key, value) VALUES ('library_id', ?)", [uuid7()])
    db.execute("INSERT INTO meta(key, value) VALUES ('created_at', ?)", [str(now_ms())])


def _jobs(db: sqlite_utils.Database) -> None:
    # Generation jobs. State changes are not journaled (progress would flood the undo log);
    # the items a job makes are, through add_item.
    run_script(db, """
    CREATE TABLE jobs (
        id TEXT PRIMARY KEY,
        session_id TEXT NOT NULL REFERENCES sessions(id),
        engine TEXT NOT NULL,
        kind TEXT NOT NULL,
        action TEXT NOT NULL,
        title TEXT NOT NULL DEFAULT '',
        prompt TEXT NOT NULL DEFAULT '',
        params TEXT NOT NULL DEFAULT '{}',
        seed INTEGER,
        source_item_id TEXT,
        inputs TEXT NOT NULL DEFAULT '[]',
        state TEXT NOT NULL CHECK (state IN
            ('queued', 'running', 'done', 'failed', 'cancelled', 'interrupted')),
        progress REAL NOT NULL DEFAULT 0,
        message TEXT NOT NULL DEFAULT '',
        error TEXT NOT NULL DEFAULT '',
        cancel_requested INTEGER NOT NULL DEFAULT 0,
        attempts INTEGER NOT NULL DEFAULT 0,
        outputs TEXT NOT NULL DEFAULT '[]',
        created_at INTEGER NOT NULL,
        started_at INTEGER,
        finished_at INTEGER
    );
    CREATE INDEX jobs_state ON jobs(state, created_at);
    CREATE INDEX jobs_session ON jobs(session_id, created_at);
    """)


def _watch_folders(db: sqlite_utils.Database) -> None:
    # Device-local (paths on this computer): plain tables, not journaled or synced.
    # watch_seen remembers each file imported (or refused) by path, size and mtime, so
    # a file is imported once; item_id is NULL for a file that could not be read.
    run_script(db, """
    CREATE TABLE watch_folders (
        id TEXT PRIMARY KEY,
        path TEXT NOT NULL UNIQUE,
        session_id TEXT NOT NULL,
        recursive INTEGER NOT NULL DEFAULT 1,
        created_at INTEGER NOT NULL,
        enabled INTEGER NOT NULL DEFAULT 1
    );
    CREATE TABLE watch_seen (
        folder_id TEXT NOT NULL,
        rel_path TEXT NOT NULL,
        size INTEGER NOT NULL,
        mtime_ns INTEGER NOT NULL,
        asset_hash TEXT,
        item_id TEXT,
        error TEXT,
        PRIMARY KEY (folder_id, rel_path)
    ) WITHOUT ROWID;
    """)


def _sync(db: sqlite_utils.Database) -> None:
    # Sync (sessionstudio.sync): ops.origin marks operations that applied changes from
    # another device, so they are not published again; the other tables are sync's own
    # bookkeeping beside the catalog (row stamps and tombstones, the outbox, applied log
    # segments, field values that lost a merge, blobs still to fetch).
    run_script(db, """
    ALTER TABLE ops ADD COLUMN origin TEXT;
    CREATE TABLE sync_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE sync_rows (
        tbl TEXT NOT NULL,
        pk TEXT NOT NULL,
        stamps TEXT NOT NULL,
        seen TEXT,
        state TEXT NOT NULL DEFAULT 'live' CHECK (state IN ('live', 'dead', 'parked')),
        image TEXT,
        PRIMARY KEY (tbl, pk)
    ) WITHOUT ROWID;
    CREATE INDEX sync_rows_parked ON sync_rows(state) WHERE state = 'parked';
    CREATE TABLE sync_outbox (n INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL);
    CREATE TABLE sync_applied (
        path TEXT PRIMARY KEY,
        device TEXT NOT NULL,
        seq INTEGER NOT NULL,
        sha TEXT NOT NULL,
        records INTEGER NOT NULL,
        applied_at INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE sync_conflicts (
        id INTEGER PRIMARY KEY,
        tbl TEXT NOT NULL,
        pk TEXT NOT NULL,
        field TEXT NOT NULL,
        value TEXT,
        stamp TEXT NOT NULL,
        device TEXT NOT NULL,
        winner_stamp TEXT NOT NULL,
        winner_device TEXT NOT NULL,
        noticed_at INTEGER NOT NULL,
        dismissed INTEGER NOT NULL DEFAULT 0,
        UNIQUE (tbl, pk, field, stamp)
    );
    CREATE TABLE sync_blobs (
        hash TEXT PRIMARY KEY,
        state TEXT NOT NULL CHECK (state IN ('up', 'missing')),
        since INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        error TEXT
    ) WITHOUT ROWID;
    """)


def _agent(db: sqlite_utils.Database) -> None:
    # The agent's conversations, per session (sessionstudio.agent.store). Plain tables
    # written with undoable=False: talking to the agent is not a change to undo; what it
    # applied is recorded in messages.applied (JSON) so "undo that" can reverse it.
    run_script(db, """
    CREATE TABLE conversations (
        id TEXT PRIMARY KEY,
        session_id TEXT NOT NULL,
        title TEXT NOT NULL DEFAULT '',
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
    );
    CREATE INDEX conversations_session ON conversations(session_id, created_at);
    CREATE TABLE messages (
        id TEXT PRIMARY KEY,
        conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        role TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
        text TEXT NOT NULL DEFAULT '',
        applied TEXT NOT NULL DEFAULT '{}',
        created_at INTEGER NOT NULL
    );
    CREATE INDEX messages_conversation ON messages(conversation_id, created_at);
    """)


def _artboards(db: sqlite_utils.Database) -> None:
    # Free-form boards of items from any session, and notes. Journaled (undoable) like
    # the core tables. item_id has no foreign key on purpose: an element whose item was
    # purged stays on its board as a "deleted" placeholder instead of blocking the purge.
    run_script(db, """
    CREATE TABLE artboards (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        trashed_at INTEGER,
        settings TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX artboards_newest ON artboards(trashed_at, created_at);
    CREATE TABLE artboard_elements (
        id TEXT PRIMARY KEY,
        artboard_id TEXT NOT NULL REFERENCES artboards(id),
        kind TEXT NOT NULL CHECK (kind IN ('item', 'note')),
        item_id TEXT,
        text TEXT NOT NULL DEFAULT '',
        x REAL NOT NULL DEFAULT 0,
        y REAL NOT NULL DEFAULT 0,
        w REAL NOT NULL DEFAULT 0,
        h REAL NOT NULL DEFAULT 0,
        z INTEGER NOT NULL DEFAULT 0,
        rotation REAL NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
    );
    CREATE INDEX artboard_elements_board ON artboard_elements(artboard_id, z);
    CREATE INDEX artboard_elements_item ON artboard_elements(item_id) WHERE item_id IS NOT NULL;
    """)


MIGRATIONS: list[Migration] = [
    ("001_core_tables", _core_tables),
    ("002_full_text_search", _full_text_search),
    ("003_library_meta", _library_meta),
    ("004_jobs", _jobs),
    ("005_watch_folders", _watch_folders),
    ("006_sync", _sync),
    ("007_agent", _agent),
    ("008_artboards", _artboards),
]


def applied_migrations(db: sqlite_utils.Database) -> list[str]:
    if "_migrations" not in db.table_names():
        return []
    return [r[0] for r in db.execute("SELECT name FROM _migrations ORDER BY id")]


def migrate(db: sqlite_utils.Database, *, upto: str | None = None) -> list[str]:
    """Apply the migrations this file lacks, each in its own transaction. Returns their names."""
    conn = db.conn
    conn.execute("""CREATE TABLE IF NOT EXISTS _migrations (
        id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL, applied_at INTEGER NOT NULL)""")
    done = set(applied_migrations(db))
    known = {name for name, _ in MIGRATIONS}
    unknown = done - known
    if unknown:
        from ..core.errors import StudioError
        raise StudioError(
            f"This library was written by a newer Session Studio (migrations {sorted(unknown)}); "
            "update the app to open it.")
    ran = []
    for name, step in MIGRATIONS:
        if name not in done:
            conn.execute("BEGIN IMMEDIATE")
            try:
                step(db)
                conn.execute("INSERT INTO _migrations(name, applied_at) VALUES (?, ?)", [name, now_ms()])
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            ran.append(name)
        if name == upto:
            break
    return ran
