"""`sessionstudio sync ...`: one library on several devices through a shared folder or
WebDAV. The app syncs in the background; these set it up, show it, and run a round now."""

import json
import os

from ..core.errors import InvalidInput
from ..settings import Settings
from ..sync import SyncConfig, SyncEngine, list_conflicts, status_counts
from ..sync.device import rename_device
from ..sync.setup import set_up_sync
from .output import emit, when


def add_parsers(top, add) -> None:
    """Register the sync commands (add: parser.py's _add helper)."""
    sync = top.add_parser("sync", help="sync this library with your other devices").add_subparsers(
        dest="action", metavar="ACTION", required=True)
    p = add(sync, "setup", sync_setup, "sync through a shared folder or a WebDAV server",
            writes=True)
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--folder", metavar="DIR", help="a folder Dropbox, Syncthing, iCloud "
                       "Drive, OneDrive or a NAS keeps in sync")
    where.add_argument("--webdav", metavar="URL", help="a WebDAV folder (Nextcloud and others)")
    p.add_argument("--user", default="", help="WebDAV user")
    p.add_argument("--password-env", metavar="VAR",
                   help="read the WebDAV password or app token from this environment variable")
    add(sync, "status", sync_status, "last sync, what waits to go up or down, problems",
        writes=False)
    p = add(sync, "now", sync_now, "sync now, in the foreground", writes=True)
    p.add_argument("--confirm-deletes", action="store_true",
                   help="let through incoming changes that delete more than a quarter of the library")
    p.add_argument("--snapshot", action="store_true",
                   help="also publish a snapshot of this library, so new devices join fast")
    p = add(sync, "pause", sync_pause, "pause background sync (changes wait locally)", writes=False)
    p.add_argument("--off", action="store_true", help="resume instead")
    add(sync, "resume", sync_resume, "resume background sync", writes=False)
    add(sync, "conflicts", sync_conflicts, "values that lost to an edit on another device",
        writes=False)
    p = add(sync, "name", sync_name, "name this device as your other devices show it",
            writes=True)
    p.add_argument("name", help='for example "Studio desktop" (default: the host name)')


def _settings(lib) -> Settings:
    return Settings(lib.paths.settings_path)


def sync_setup(lib, args):
    password = None
    if args.password_env:
        if args.password_env not in os.environ:
            raise InvalidInput(f"The environment variable {args.password_env} is not set.")
        password = os.environ[args.password_env]
    res = set_up_sync(lib, _settings(lib), folder=args.folder, webdav=args.webdav,
                      user=args.user, password=password)
    emit(args, {"device": res.device, "device_name": res.device_name, "target": res.target,
                "group": res.group},
         [f"This device: {res.device_name} ({res.device})", f"Syncing through {res.target}",
          "Run `sessionstudio sync now` to sync now; the app syncs in the background."])


def sync_status(lib, args):
    config = SyncConfig.from_settings(_settings(lib))
    if not lib.query("SELECT 1 FROM sqlite_master WHERE name = 'sync_meta'"):
        # An older catalog opened read-only: sync has never run on it.
        emit(args, {"enabled": config.enabled, "target": config.where},
             ["Sync has not run on this library yet (`sessionstudio sync setup`)."])
        return 0
    counts = status_counts(lib)
    meta = {r[0]: r[1] for r in lib.query("SELECT key, value FROM meta WHERE key = 'sync_device'")}
    device = json.loads(meta["sync_device"]) if "sync_device" in meta else {}
    last = lib.query("SELECT value FROM sync_meta WHERE key = 'last_round'")
    last_round = json.loads(last[0][0]) if last else {}
    data = {"enabled": config.enabled, "target": config.where, "paused": config.paused,
            "device": device.get("id"), "device_name": device.get("name"), **counts,
            "problems": last_round.get("problems", []), "held": last_round.get("held", [])}
    lines = [f"Sync: {'off' if not config.enabled else ('paused' if config.paused else 'on')}"
             + (f" through {config.where}" if config.enabled else ""),
             f"This device: {device.get('name', '-')} ({device.get('id', 'no id yet')})",
             f"Last sync: {when(counts['last_sync'])}",
             f"Waiting to go up: {counts['pending_up']} change(s)",
             f"Assets still to arrive: {counts['pending_assets']}",
             f"Also edited elsewhere: {counts['conflicts']} value(s) (`sessionstudio sync conflicts`)"]
    lines += [f"Problem: {p}" for p in data["problems"]]
    emit(args, data, lines)


def sync_now(lib, args):
    config = SyncConfig.from_settings(_settings(lib))
    target = config.make_target()
    try:
        engine = SyncEngine(lib, target)
        report = engine.run_round(confirm=args.confirm_deletes, snapshot=args.snapshot)
    finally:
        target.close()
    up, down, assets = report.get("up", {}), report["down"], report["assets"]
    lines = [f"Sent {up.get('records', 0)} change(s) in {up.get('segments', 0)} file(s), "
             f"{up.get('blobs', 0)} asset(s)",
             f"Received {down['records']} change(s) from {down['segments']} file(s), "
             f"{assets['fetched']} asset(s); {assets['missing']} asset(s) still to arrive"]
    lines += [f"Problem: {p}" for p in report["problems"]]
    emit(args, report, lines)
    return 1 if report["held"] else 0


def sync_pause(lib, args):
    _settings(lib).set("sync_paused", not args.off)
    emit(args, {"paused": not args.off}, ["Sync resumed." if args.off else
                                          "Sync paused: changes wait locally until resumed."])


def sync_resume(lib, args):
    args.off = True
    return sync_pause(lib, args)


def sync_conflicts(lib, args):
    rows = list_conflicts(lib)
    emit(args, rows, [f"{c.table[:-1]} {c.row_id}  {c.field}: {c.value!r} (also edited on "
                      f"{c.device_name})" for c in rows] or ["No conflicting edits."])


def sync_name(lib, args):
    dev = rename_device(lib, args.name)
    emit(args, {"device": dev.id, "device_name": dev.name},
         [f"This device is now called {dev.name} ({dev.id}); your other devices show the "
          "new name after its next change syncs."])
