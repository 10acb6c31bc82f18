"""`sessionstudio watch ...`: folders whose new media is imported into a session.

The app watches them continuously (library/watch_service.py); from the command line,
`watch scan` imports what arrived since the last scan, once.
"""

from pathlib import Path

from ..core.errors import InvalidInput, NotFound
from ..library import get_session
from ..library.watch import (add_watch_folder, get_watch_folder, list_watch_folders,
                             remove_watch_folder, scan_watch_folder)
from .output import emit, table, when
from .refs import resolve_session


def add_parsers(top, add) -> None:
    """Register the watch commands (add: parser.py's _add helper)."""
    watch = top.add_parser("watch", help="import new media from watch folders").add_subparsers(
        dest="action", metavar="ACTION", required=True)
    p = add(watch, "add", watch_add, "watch a folder: its new media goes into a session", writes=True)
    p.add_argument("path")
    p.add_argument("--session", required=True, help="the session to import into")
    p.add_argument("--no-recursive", action="store_true", help="ignore subfolders")
    p.add_argument("--skip-existing", action="store_true",
                   help="import only files that arrive from now on")
    add(watch, "ls", watch_ls, "list watch folders", writes=False)
    p = add(watch, "rm", watch_rm, "stop watching a folder (imported items stay)", writes=True)
    p.add_argument("folder", help="its id, id prefix or path")
    p = add(watch, "scan", watch_scan, "import what is new in watch folders now", writes=True)
    p.add_argument("folder", nargs="?", help="only this one (id, id prefix or path)")
    p.add_argument("--settle", type=float, default=1.0, metavar="SECONDS",
                   help="leave files modified less than this long ago for later (default 1)")


def resolve_watch_folder(lib, ref: str) -> str:
    """A watch folder by id, unique id prefix (4+ characters) or path."""
    folders = list_watch_folders(lib)
    resolved = str(Path(ref).expanduser().resolve()) if ref.strip() else ""
    hits = [f.id for f in folders if f.id == ref or f.path == resolved]
    if not hits and len(ref) >= 4:
        hits = [f.id for f in folders if f.id.startswith(ref)]
    if not hits:
        raise NotFound(f"No watch folder matches '{ref}' (see `sessionstudio watch ls`).")
    if len(hits) > 1:
        raise InvalidInput(f"'{ref}' matches several watch folders; use the full id.")
    return hits[0]


def _session_name(lib, session_id: str) -> str:
    try:
        return get_session(lib, session_id).name
    except NotFound:
        return "(deleted session)"


def watch_add(lib, args):
    sid = resolve_session(lib, args.session)
    changes = add_watch_folder(lib, path=args.path, session_id=sid,
                               recursive=not args.no_recursive, skip_existing=args.skip_existing)
    folder = get_watch_folder(lib, changes.created[0])
    emit(args, folder, [f"{folder.id}  {folder.path}  ->  {_session_name(lib, sid)}",
                        "Run `sessionstudio watch scan` to import now; the app imports as files arrive."])


def watch_ls(lib, args):
    folders = list_watch_folders(lib)
    counts = {}
    if folders:
        counts = {r[0]: r[1] for r in lib.query(
            "SELECT folder_id, count(item_id) FROM watch_seen GROUP BY folder_id")}
    rows = [{**f.__dict__, "session": _session_name(lib, f.session_id), "imported": counts.get(f.id, 0)}
            for f in folders]
    emit(args, rows, table([[r["id"], when(r["created_at"]), r["path"], "->", r["session"],
                             f"{r['imported']} imported"] for r in rows]) or ["No watch folders."])


def watch_rm(lib, args):
    fid = resolve_watch_folder(lib, args.folder)
    path = get_watch_folder(lib, fid).path
    changes = remove_watch_folder(lib, folder_id=fid)
    emit(args, changes.as_dict(), [f"Stopped watching {path}."])


def watch_scan(lib, args):
    ids = ([resolve_watch_folder(lib, args.folder)] if args.folder
           else [f.id for f in list_watch_folders(lib) if f.enabled])
    results, lines = [], []
    for fid in ids:
        result = scan_watch_folder(lib, fid, settle_seconds=args.settle)
        path = get_watch_folder(lib, fid).path
        results.append({"folder": fid, "path": path, "imported": result.imported,
                        "unchanged": result.unchanged, "waiting": result.waiting,
                        "failed": [{"file": f, "reason": r} for f, r in result.failed],
                        "error": result.error})
        lines.append(f"{path}: {result.error}" if result.error else
                     f"{path}: imported {len(result.imported)}, already had {result.unchanged}"
                     + (f", {len(result.waiting)} still being written" if result.waiting else "")
                     + (f", {len(result.failed)} unreadable" if result.failed else ""))
        lines += [f"  unreadable: {f}: {r}" for f, r in result.failed]
    if lib.thumbnailer is not None:
        lib.thumbnailer.wait()
    emit(args, results, lines or ["No watch folders (add one with `sessionstudio watch add`)."])
    return 1 if any(r["error"] for r in results) else 0
