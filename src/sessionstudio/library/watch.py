"""Watch folders: media that lands in a folder is imported into a session, once each.

The registry lives in the catalog (watch_folders), with what each scan has taken in
(watch_seen: relative path, size, mtime, asset hash, item). These tables belong to
this computer (they hold local paths): they are written outside the journal, so they
are neither undone nor synced; the imports themselves are ordinary undoable adds.

A scan imports, through add_item (so recipes in the files are read), every media file
it has not seen with this size and mtime, once the file has settled: a file modified
within settle_seconds, or one that fails to open and is still changing, is left for
the next scan. Hidden and temporary files (.part, .tmp, .crdownload, ~...) are skipped.
A file seen before whose mtime changed but whose content did not (a sync client
touching it) is not imported again. A Session Studio download of an item this library
still has is recognised by the item id in its recipe and not imported again either.

WatchService (watch_service.py) runs scans in the background. An import and its
watch_seen row are one transaction, so a crash never imports a file twice.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..core.changes import Changes
from ..core.errors import InvalidInput, MediaError, NotFound, StudioError
from ..core.ids import now_ms, uuid7
from .item_add import add_item
from .journal import Tx
from .library import Library

MEDIA_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".gif", ".mp4", ".m4v", ".mov", ".webm",
                  ".mkv", ".wav", ".mp3", ".flac", ".ogg", ".oga", ".opus", ".m4a"}
TEMP_SUFFIXES = {".part", ".partial", ".tmp", ".temp", ".crdownload", ".download", ".swp"}
SKIP_NAMES = {".ds_store", "thumbs.db", "desktop.ini"}


@dataclass
class WatchFolder:
    id: str
    path: str
    session_id: str
    recursive: bool
    created_at: int
    enabled: bool


@dataclass
class ScanResult:
    folder_id: str
    imported: list[str] = field(default_factory=list)      # new item ids, in arrival order
    unchanged: int = 0                                      # files already taken in
    waiting: list[str] = field(default_factory=list)        # not settled yet: next scan
    failed: list[tuple[str, str]] = field(default_factory=list)  # (rel path, reason), once each
    error: str | None = None                                # the whole folder could not be scanned
    changes: Changes = field(default_factory=lambda: Changes(label="Import from watch folder"))


def _folder(row) -> WatchFolder:
    return WatchFolder(row["id"], row["path"], row["session_id"], bool(row["recursive"]),
                       row["created_at"], bool(row["enabled"]))


def list_watch_folders(lib: Library) -> list[WatchFolder]:
    try:
        rows = lib.query("SELECT * FROM watch_folders ORDER BY created_at, id")
    except Exception:  # noqa: BLE001 - a read-only open of a catalog from before watch folders
        return []
    return [_folder(r) for r in rows]


def get_watch_folder(lib: Library, folder_id: str) -> WatchFolder:
    rows = lib.query("SELECT * FROM watch_folders WHERE id = ?", [folder_id])
    if not rows:
        raise NotFound(f"No watch folder with id {folder_id} (see `sessionstudio watch ls`).")
    return _folder(rows[0])


def _inside(path: Path, parent: Path) -> bool:
    return path == parent or parent in path.parents


def add_watch_folder(lib: Library, *, path: str | Path, session_id: str,
                     recursive: bool = True, skip_existing: bool = False) -> Changes:
    """Start watching a folder; its media will be imported into the session: what is
    there already (at the first scan) too, unless skip_existing."""
    folder = Path(os.path.expanduser(os.fspath(path)))
    if not folder.is_dir():
        raise InvalidInput(f"Cannot watch {folder}: " + (
            "it is a file, not a folder." if folder.exists() else "no such folder."))
    folder = folder.resolve()
    for own, what in ((lib.paths.library_dir, "the library"), (lib.paths.cache_dir, "the cache")):
        own = own.resolve()
        if _inside(folder, own):
            raise InvalidInput(f"Cannot watch {folder}: it is inside {what} ({own}).")
    for other in list_watch_folders(lib):
        known = Path(other.path)
        if _inside(folder, known) or _inside(known, folder):
            raise InvalidInput(f"Cannot watch {folder}: it overlaps the watch folder {known} "
                               f"({other.id}); a file would be imported twice.")
    row = {"id": uuid7(), "path": str(folder), "session_id": session_id,
           "recursive": int(recursive), "created_at": now_ms(), "enabled": 1}

    def op(tx: Tx) -> None:
        session = tx.row("sessions", session_id)
        if session["trashed_at"] is not None:
            raise InvalidInput(f"The session '{session['name']}' is in the trash; restore it first.")
        tx.conn.execute("INSERT INTO watch_folders (id, path, session_id, recursive, created_at, "
                        "enabled) VALUES (:id, :path, :session_id, :recursive, :created_at, :enabled)",
                        row)
        tx.changes.created.append(row["id"])
        if skip_existing:  # counted as seen: only what arrives from now on is imported
            avoid = {p.resolve() for p in (lib.paths.library_dir, lib.paths.cache_dir)}
            tx.conn.executemany(
                "INSERT INTO watch_seen (folder_id, rel_path, size, mtime_ns) VALUES (?, ?, ?, ?)",
                [(row["id"], rel, st.st_size, st.st_mtime_ns)
                 for rel, st in _walk(folder, recursive, avoid)])
    return lib.write("Watch folder", op, undoable=False)


def remove_watch_folder(lib: Library, *, folder_id: str) -> Changes:
    """Stop watching; items already imported stay where they are."""
    get_watch_folder(lib, folder_id)

    def op(tx: Tx) -> None:
        tx.conn.execute("DELETE FROM watch_seen WHERE folder_id = ?", [folder_id])
        tx.conn.execute("DELETE FROM watch_folders WHERE id = ?", [folder_id])
    return lib.write("Stop watching folder", op, undoable=False)


def _skipped(name: str) -> bool:
    lower = name.lower()
    return (name.startswith((".", "~")) or lower in SKIP_NAMES
            or os.path.splitext(lower)[1] in TEMP_SUFFIXES)


def _walk(root: Path, recursive: bool, avoid: set[Path]):
    """(rel path, stat) of candidate media files; symlinked folders are not followed
    (no loops), hidden folders and the library's own folders are not entered."""
    pending = [root]
    while pending:
        directory = pending.pop()
        try:
            entries = list(os.scandir(directory))
        except OSError:
            continue  # vanished or unreadable meanwhile: the next scan sees it again
        for entry in entries:
            if _skipped(entry.name):
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    if recursive and Path(entry.path) not in avoid:
                        pending.append(Path(entry.path))
                elif os.path.splitext(entry.name)[1].lower() in MEDIA_SUFFIXES and entry.is_file():
                    yield Path(entry.path).relative_to(root).as_posix(), entry.stat()
            except OSError:
                continue


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _own_download(lib: Library, path: Path) -> str | None:
    """The id of this library's item that path is a download of, if it still exists."""
    from ..media.recipes_read import read_recipe

    recipe = read_recipe(path)
    item_id = (recipe.sessionstudio or {}).get("id") if recipe is not None else None
    if isinstance(item_id, str) and lib.query("SELECT 1 FROM items WHERE id = ?", [item_id]):
        return item_id
    return None


def _seen(tx: Tx, folder_id: str, rel: str, stat, asset_hash: str | None,
          item_id: str | None, error: str | None) -> None:
    # Not journaled: undoing an import removes the item, and the file stays taken in.
    tx.conn.execute(
        "INSERT OR REPLACE INTO watch_seen (folder_id, rel_path, size, mtime_ns, asset_hash, "
        "item_id, error) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [folder_id, rel, stat.st_size, stat.st_mtime_ns, asset_hash, item_id, error])


def _remember(lib: Library, folder_id: str, rel: str, stat, asset_hash: str | None,
              item_id: str | None, error: str | None) -> None:
    lib.write("Watch folder bookkeeping",
              lambda tx: _seen(tx, folder_id, rel, stat, asset_hash, item_id, error), undoable=False)


def _import(lib: Library, folder: WatchFolder, rel: str, path: Path, stat) -> Changes:
    """add_item, with the watch_seen row written in the same transaction as the item:
    a crash leaves both or neither, so no file is imported twice."""
    def seen(tx: Tx) -> None:
        item_id = tx.changes.created[0]
        asset = tx.conn.execute("SELECT asset_hash FROM items WHERE id = ?", [item_id]).fetchone()[0]
        _seen(tx, folder.id, rel, stat, asset, item_id, None)
    return add_item(lib, session_id=folder.session_id, source=path, within=seen)


def _merge(into: Changes, changes: Changes) -> None:
    into.sessions |= changes.sessions
    into.items |= changes.items
    into.session_contents |= changes.session_contents
    into.created += [i for i in changes.created if i in changes.items]


def scan_watch_folder(lib: Library, folder_id: str, *, settle_seconds: float = 1.0,
                      observed: dict | None = None,
                      should_stop: Callable[[], bool] | None = None) -> ScanResult:
    """Import what is new in one watch folder.

    observed (kept by a long-running caller between scans) maps a file to the size and
    mtime it first had and when: a file unchanged for settle_seconds by our own clock
    counts as settled even if its mtime is odd (in the future, from another computer).
    should_stop() is asked between files, so a service can stop in the middle.
    """
    folder = get_watch_folder(lib, folder_id)
    result = ScanResult(folder_id)
    root = Path(folder.path)
    if not root.is_dir():
        result.error = f"The watch folder {root} is missing (unplugged or moved?)."
        return result
    session = lib.query("SELECT trashed_at FROM sessions WHERE id = ?", [folder.session_id])
    if not session or session[0][0] is not None:
        result.error = (f"The session of the watch folder {root} is "
                        f"{'in the trash' if session else 'deleted'}; nothing was imported.")
        return result
    seen = {r["rel_path"]: r for r in lib.query(
        "SELECT rel_path, size, mtime_ns, asset_hash, item_id FROM watch_seen WHERE folder_id = ?", [folder_id])}
    avoid = {p.resolve() for p in (lib.paths.library_dir, lib.paths.cache_dir)}
    settle_ns = int(settle_seconds * 1e9)
    files = sorted(_walk(root, folder.recursive, avoid), key=lambda f: (f[1].st_mtime_ns, f[0]))
    for rel, stat in files:
        if should_stop is not None and should_stop():
            break
        key = (stat.st_size, stat.st_mtime_ns)
        previous = seen.get(rel)
        if previous is not None and (previous["size"], previous["mtime_ns"]) == key:
            result.unchanged += 1
            continue
        now = time.time_ns()
        first = observed.setdefault((folder_id, rel, key), now) if observed is not None else now
        if now - stat.st_mtime_ns < settle_ns and now - first < settle_ns:
            result.waiting.append(rel)
            continue
        path = root / rel
        try:
            # The walk's stat may be old by now (a writer that created the file then
            # paused): import only what is still exactly what was judged settled.
            fresh = path.stat()
            if (fresh.st_size, fresh.st_mtime_ns) != key:
                result.waiting.append(rel)
                continue
            if previous is not None and previous["asset_hash"] and previous["asset_hash"] == _sha256(path):
                # Same content, new mtime (a sync client touched it): nothing to import.
                _remember(lib, folder_id, rel, stat, previous["asset_hash"], previous["item_id"], None)
                continue
            own = _own_download(lib, path)
            if own is not None:
                _remember(lib, folder_id, rel, stat, None, own, None)
                continue
            changes = _import(lib, folder, rel, path, fresh)
        except MediaError as exc:
            try:
                now_stat = path.stat()
            except OSError:
                continue  # gone again (a temp file renamed away)
            if (now_stat.st_size, now_stat.st_mtime_ns) != key:
                result.waiting.append(rel)  # still being written: it will settle
            else:
                _remember(lib, folder_id, rel, stat, None, None, str(exc))
                result.failed.append((rel, str(exc)))
            continue
        except (OSError, StudioError):
            # Locked by its writer (Windows), vanished, or the session went to the trash
            # meanwhile: try again at the next scan.
            result.waiting.append(rel)
            continue
        _merge(result.changes, changes)
        result.imported.append(changes.created[0])
    if observed is not None:  # forget files that settled or went away
        waiting = {(folder_id, rel) for rel in result.waiting}
        for k in [k for k in observed if k[0] == folder_id and (k[0], k[1]) not in waiting]:
            del observed[k]
    return result


__all__ = ["MEDIA_SUFFIXES", "ScanResult", "WatchFolder", "add_watch_folder",
           "get_watch_folder", "list_watch_folders", "remove_watch_folder", "scan_watch_folder"]
