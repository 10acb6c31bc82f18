"""Checking that every file the catalog points at is there and intact."""

from .library import Library


def verify_library(lib: Library, *, progress=None) -> dict:
    """Re-hash every asset the catalog references. Returns counts and, for each missing
    or damaged hash, the names of the items that use it."""
    users: dict[str, list[str]] = {}
    for h, name in lib.query("SELECT asset_hash, name FROM items"):
        users.setdefault(h, []).append(name)
    for (h,) in lib.query("SELECT DISTINCT asset_hash FROM item_inputs WHERE asset_hash IS NOT NULL"):
        users.setdefault(h, [])
    report = lib.store.verify(list(users), progress=progress)
    return {
        "checked": report.checked,
        "missing": {h: users.get(h, []) for h in report.missing},
        "damaged": {h: users.get(h, []) for h in report.damaged},
    }
