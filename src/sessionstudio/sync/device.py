"""Which device this library copy is, for sync.

The id is stored in the catalog's `meta` table together with the catalog file's path
and inode. A library copied to another disk or machine (backup restore, disk clone,
"copy the library folder") carries the same meta row, but not the same path+inode,
so the copy gets a fresh id before it publishes anything: two copies never write
under one device name, which would make their logs overwrite each other's sequence.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
from dataclasses import dataclass

from ..core.errors import InvalidInput
from ..core.ids import now_ms

META_KEY = "sync_device"
MAX_NAME = 64


@dataclass(frozen=True)
class DeviceIdentity:
    id: str
    name: str
    renewed: bool = False     # True when this open found a copied library and renamed it
    previous: str | None = None


def new_device_id() -> str:
    # Fixed width (12 hex) so HLC stamps, which end with the id, compare as strings.
    return secrets.token_hex(6)


def _fingerprint(catalog_path) -> dict:
    st = os.stat(catalog_path)
    return {"path": os.path.normcase(str(os.path.realpath(catalog_path))), "inode": st.st_ino,
            "dev": st.st_dev}


def ensure_device(lib) -> DeviceIdentity:
    """This copy's device id, renewing it if the catalog file is not the one it was made
    for. Runs its own small write (no journal entry, nothing to undo or publish)."""
    here = _fingerprint(lib.paths.catalog_path)
    name = socket.gethostname() or "device"
    row = lib.query("SELECT value FROM meta WHERE key = ?", [META_KEY])
    stored = json.loads(row[0][0]) if row else None
    if stored and stored.get("path") == here["path"] and stored.get("inode") == here["inode"]:
        return DeviceIdentity(stored["id"], stored.get("name") or name)   # the usual case: no write
    result: dict = {}

    def op(tx) -> None:
        row = tx.conn.execute("SELECT value FROM meta WHERE key = ?", [META_KEY]).fetchone()
        stored = json.loads(row[0]) if row else None
        if stored and stored.get("path") == here["path"] and stored.get("inode") == here["inode"]:
            result["identity"] = DeviceIdentity(stored["id"], stored.get("name") or name)
            return
        previous = stored["id"] if stored else None
        record = {**here, "id": new_device_id(), "name": name, "since": now_ms(),
                  "previous": previous}
        tx.conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)",
                        [META_KEY, json.dumps(record)])
        if previous is not None:
            # A copy is a new device and starts its own log at 1, here in the same step:
            # whoever calls first (the engine, or `sync name`) cannot skip it.
            tx.conn.execute("INSERT OR REPLACE INTO sync_meta (key, value) VALUES "
                            "('next_seq', '1')")
        result["identity"] = DeviceIdentity(record["id"], name, renewed=previous is not None,
                                            previous=previous)

    lib.write("Sync device id", op, undoable=False)
    return result["identity"]


def device_name(lib) -> str:
    """This device's name as the others show it, without writing anything."""
    row = lib.query("SELECT value FROM meta WHERE key = ?", [META_KEY])
    stored = json.loads(row[0][0]) if row else {}
    return stored.get("name") or socket.gethostname() or "device"


def rename_device(lib, name: str) -> DeviceIdentity:
    """Name this device as the others show it ("also edited on <name>"); by default it is
    the computer's host name. The others see the new name with this device's next change."""
    name = " ".join(str(name).split())
    if not name:
        raise InvalidInput("A device name cannot be empty.")
    if len(name) > MAX_NAME:
        raise InvalidInput(f"A device name can be at most {MAX_NAME} characters.")
    ensure_device(lib)

    def op(tx) -> None:
        row = tx.conn.execute("SELECT value FROM meta WHERE key = ?", [META_KEY]).fetchone()
        record = {**json.loads(row[0]), "name": name}
        tx.conn.execute("UPDATE meta SET value = ? WHERE key = ?", [json.dumps(record), META_KEY])
    lib.write("Name this device", op, undoable=False)
    return ensure_device(lib)
