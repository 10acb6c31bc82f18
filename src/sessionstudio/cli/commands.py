"""Command handlers: each takes the open Library and the parsed arguments."""

import json
from pathlib import Path

from .. import library as L
from ..core.errors import InvalidInput
from .output import duration, emit, table, when
from .refs import resolve_folder, resolve_item, resolve_session


def _kinds(text: str | None) -> list[str] | None:
    return [k.strip() for k in text.split(",") if k.strip()] if text else None


def _changed(args, changes, message: str) -> None:
    emit(args, changes.as_dict(), [message])


# -- sessions ----------------------------------------------------------------------------
def sessions_ls(lib, args):
    folder = resolve_folder(lib, args.folder) if args.folder else L.ANY_FOLDER
    rows = L.list_sessions(lib, trashed=args.trash, folder=folder, limit=args.limit,
                           offset=args.offset)
    emit(args, rows, table([[s.id, when(s.created_at), s.name] for s in rows])
         or ["No sessions in the trash." if args.trash else "No sessions yet."])


def sessions_new(lib, args):
    folder = resolve_folder(lib, args.folder) if args.folder else None
    ch = L.create_session(lib, name=args.name, folder_id=folder)
    s = L.get_session(lib, ch.created[0])
    emit(args, s, [f"{s.id}  {s.name}"])


def sessions_rename(lib, args):
    sid = resolve_session(lib, args.session)
    _changed(args, L.rename_session(lib, session_id=sid, name=args.name), f"Renamed to '{args.name}'.")


def sessions_rm(lib, args):
    ids = [resolve_session(lib, s) for s in args.sessions]
    if args.purge:
        _changed(args, L.purge_sessions(lib, session_ids=ids), f"Deleted {len(ids)} session(s) permanently.")
    else:
        _changed(args, L.trash_sessions(lib, session_ids=ids),
                 f"Moved {len(ids)} session(s) to the trash (undo: sessionstudio undo).")


def sessions_restore(lib, args):
    ids = [resolve_session(lib, s) for s in args.sessions]
    _changed(args, L.restore_sessions(lib, session_ids=ids), f"Restored {len(ids)} session(s).")


def sessions_dup(lib, args):
    ch = L.duplicate_session(lib, session_id=resolve_session(lib, args.session), name=args.name)
    s = L.get_session(lib, ch.created[0])
    emit(args, s, [f"{s.id}  {s.name}"])


def sessions_open(lib, args):
    s = L.open_session(lib, session_id=resolve_session(lib, args.session))
    counts = L.count_items(lib, session_id=s.id)
    items = L.list_items(lib, session_id=s.id, limit=50)
    lines = [f"{s.name}  ({', '.join(f'{n} {k}' for k, n in counts.items())})"]
    lines += table([[i.id, i.kind, duration(i.duration_ms), i.name] for i in items])
    emit(args, {"session": s, "counts": counts, "items": items}, lines)


def sessions_mv(lib, args):
    ids = [resolve_session(lib, s) for s in args.sessions]
    folder = resolve_folder(lib, args.folder) if args.folder else None
    _changed(args, L.move_sessions(lib, session_ids=ids, folder_id=folder), f"Moved {len(ids)} session(s).")


# -- items -------------------------------------------------------------------------------
def items_ls(lib, args):
    sid = resolve_session(lib, args.session)
    rows = L.list_items(lib, session_id=sid, kinds=_kinds(args.kind), limit=args.limit,
                        offset=args.offset, trashed=args.trash, favorites=args.favorites)
    emit(args, rows, table([[i.id, i.kind, "*" if i.favorite else " ",
                             f"{i.width}x{i.height}" if i.width else duration(i.duration_ms),
                             i.name] for i in rows]) or ["No items."])


def items_show(lib, args):
    item = L.get_item(lib, resolve_item(lib, args.item))
    lines = [f"{k}: {v}" for k, v in [
        ("id", item.id), ("session", item.session_id), ("kind", item.kind), ("name", item.name),
        ("prompt", item.prompt), ("engine", item.engine), ("action", item.action),
        ("seed", item.seed), ("settings", json.dumps(item.settings)), ("parent", item.parent_id),
        ("asset", item.asset_hash), ("type", item.mime), ("size", item.size),
        ("dimensions", f"{item.width}x{item.height}" if item.width else "-"),
        ("duration", duration(item.duration_ms) or "-"), ("favorite", item.favorite),
        ("created", when(item.created_at)), ("trashed", when(item.trashed_at))]]
    lines += [f"input: {i.role} {i.asset_hash or ''} {i.source_item_id or ''}".rstrip() for i in item.inputs]
    emit(args, item, lines)


def items_add(lib, args):
    sid = resolve_session(lib, args.session)
    try:
        settings = json.loads(args.settings) if args.settings else None
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"--settings is not valid JSON: {exc.msg}") from None
    if settings is not None and not isinstance(settings, dict):
        raise InvalidInput("--settings must be a JSON object, like '{\"model\": \"x\"}'.")
    parent = resolve_item(lib, args.parent) if args.parent else None
    added = []
    for f in args.files:
        ch = L.add_item(lib, session_id=sid, source=Path(f), kind=args.kind,
                        name=args.name if len(args.files) == 1 else None, prompt=args.prompt,
                        settings=settings, seed=args.seed, parent_id=parent)
        added.append(L.get_item(lib, next(i for i in ch.created if i in ch.items)))
    if lib.thumbnailer is not None:
        lib.thumbnailer.wait()
    emit(args, added, [f"{i.id}  {i.kind}  {i.name}" for i in added])


def items_export(lib, args):
    paths = [L.export_item(lib, item_id=resolve_item(lib, i), dest_dir=args.to,
                           audio_format=args.audio_format) for i in args.items]
    emit(args, [str(p) for p in paths], [str(p) for p in paths])


def items_rename(lib, args):
    iid = resolve_item(lib, args.item)
    _changed(args, L.rename_item(lib, item_id=iid, name=args.name), f"Renamed to '{args.name}'.")


def items_fav(lib, args):
    ids = [resolve_item(lib, i) for i in args.items]
    _changed(args, L.set_favorite(lib, item_ids=ids, favorite=not args.off),
             f"{'Unfavorited' if args.off else 'Favorited'} {len(ids)} item(s).")


def items_mv(lib, args):
    ids = [resolve_item(lib, i) for i in args.items]
    _changed(args, L.move_items(lib, item_ids=ids, session_id=resolve_session(lib, args.to)),
             f"Moved {len(ids)} item(s).")


def items_cp(lib, args):
    ids = [resolve_item(lib, i) for i in args.items]
    ch = L.copy_items(lib, item_ids=ids, session_id=resolve_session(lib, args.to))
    _changed(args, ch, f"Copied {len(ids)} item(s).")


def items_rm(lib, args):
    ids = [resolve_item(lib, i) for i in args.items]
    if args.purge:
        _changed(args, L.purge_items(lib, item_ids=ids), f"Deleted {len(ids)} item(s) permanently.")
    else:
        _changed(args, L.trash_items(lib, item_ids=ids),
                 f"Moved {len(ids)} item(s) to the trash (undo: sessionstudio undo).")


def items_restore(lib, args):
    ids = [resolve_item(lib, i) for i in args.items]
    _changed(args, L.restore_items(lib, item_ids=ids), f"Restored {len(ids)} item(s).")


# -- search, folders, bundles, maintenance -------------------------------------------------
def search_cmd(lib, args):
    sid = resolve_session(lib, args.session) if args.session else None
    res = L.search(lib, args.text, limit=args.limit, session_id=sid, kinds=_kinds(args.kind),
                   rank=args.rank)
    lines = [f"session  {s.id}  {s.name}" for s in res.sessions]
    lines += [f"{i.kind:<8} {i.id}  {i.name}  —  {i.prompt[:60]}" for i in res.items]
    emit(args, res, lines or [f"Nothing matches '{args.text}'."])


def folders_ls(lib, args):
    folders = L.list_folders(lib)
    children: dict = {}
    for f in folders:
        children.setdefault(f.parent_id, []).append(f)
    lines: list[str] = []

    def walk(parent, depth):
        for f in children.get(parent, []):
            lines.append(f"{f.id}  {'  ' * depth}{f.name}")
            walk(f.id, depth + 1)
    walk(None, 0)
    emit(args, folders, lines or ["No folders."])


def folders_new(lib, args):
    parent = resolve_folder(lib, args.parent) if args.parent else None
    ch = L.create_folder(lib, name=args.name, parent_id=parent)
    emit(args, ch.as_dict(), [f"{ch.created[0]}  {args.name}"])


def folders_rename(lib, args):
    _changed(args, L.rename_folder(lib, folder_id=resolve_folder(lib, args.folder), name=args.name),
             f"Renamed to '{args.name}'.")


def folders_mv(lib, args):
    parent = resolve_folder(lib, args.parent) if args.parent else None
    _changed(args, L.move_folder(lib, folder_id=resolve_folder(lib, args.folder), parent_id=parent),
             "Moved.")


def folders_rm(lib, args):
    fid = resolve_folder(lib, args.folder)
    if args.purge:
        _changed(args, L.purge_folder(lib, folder_id=fid), "Deleted the folder permanently.")
    else:
        _changed(args, L.trash_folder(lib, folder_id=fid), "Moved the folder to the trash.")


def folders_restore(lib, args):
    _changed(args, L.restore_folder(lib, folder_id=resolve_folder(lib, args.folder)), "Restored.")


def bundle_export(lib, args):
    path = L.export_bundle(lib, session_id=resolve_session(lib, args.session), dest=args.file)
    emit(args, {"file": str(path)}, [str(path)])


def bundle_import(lib, args):
    ch = L.import_bundle(lib, path=args.file, name=args.name)
    s = L.get_session(lib, ch.created[0])
    emit(args, s, [f"{s.id}  {s.name}  ({len(ch.items)} items)"])


def verify_cmd(lib, args):
    report = L.verify_library(lib)
    lines = [f"Checked {report['checked']} assets: {len(report['missing'])} missing, "
             f"{len(report['damaged'])} damaged."]
    lines += [f"missing  {h}  {', '.join(names)}" for h, names in report["missing"].items()]
    lines += [f"damaged  {h}  {', '.join(names)}" for h, names in report["damaged"].items()]
    emit(args, report, lines)
    return 1 if report["missing"] or report["damaged"] else 0


def trash_ls(lib, args):
    trash = L.list_trash(lib)
    lines = [f"session  {s.id}  {when(s.trashed_at)}  {s.name}" for s in trash["sessions"]]
    lines += [f"{i.kind:<8} {i.id}  {when(i.trashed_at)}  {i.name}" for i in trash["items"]]
    emit(args, trash, lines or ["The trash is empty."])


def trash_empty(lib, args):
    ch = L.empty_trash(lib, older_than_days=args.older_than_days)
    _changed(args, ch, f"Deleted {len(ch.sessions)} session(s) and {len(ch.items)} item(s) "
                       "permanently (undo: sessionstudio undo).")


def gc_cmd(lib, args):
    result = L.collect_garbage(lib)
    emit(args, result, [f"Removed {result['removed']} unused file(s), "
                        f"{result['bytes'] / 1e6:.1f} MB freed."])


def undo_cmd(lib, args):
    ch = lib.undo()
    _changed(args, ch, f"Undid: {ch.label}")


def redo_cmd(lib, args):
    ch = lib.redo()
    _changed(args, ch, f"Redid: {ch.label}")
