"""Naming a device: "also edited on <name>" on the other devices shows the name the user
chose (by default the host name, the same for every device of a test and often of a
household), once a change from the renamed device has synced."""

import json
import time

import pytest

from sessionstudio import library as L
from sessionstudio.core.errors import InvalidInput
from sessionstudio.sync import list_conflicts
from sessionstudio.sync.device import ensure_device, rename_device
from tests.sync.test_merge import _pair, sync_all


def test_the_other_device_shows_the_new_name(device):
    a, b, sid, iid = _pair(device)
    assert rename_device(a.lib, "  Studio   desktop ").name == "Studio desktop"
    L.rename_item(b.lib, item_id=iid, name="from b")
    time.sleep(0.005)
    L.rename_item(a.lib, item_id=iid, name="from a")   # later: wins; b's value is kept
    sync_all(a, b)
    sync_all(a, b)
    lost = [c for c in list_conflicts(b.lib) if c.field == "name"]
    assert [c.value for c in lost] == ["from b"]
    assert a.engine.device.name == "Studio desktop"
    names = json.loads(b.lib.query("SELECT value FROM sync_meta WHERE key = 'device_names'")[0][0])
    assert names[a.engine.device.id] == "Studio desktop"
    b_dev = ensure_device(b.lib)
    rename_device(b.lib, "Laptop")
    L.rename_item(b.lib, item_id=iid, name="from laptop")
    time.sleep(0.005)
    L.rename_item(a.lib, item_id=iid, name="from desktop")
    sync_all(a, b)
    sync_all(a, b)
    on_a = {c.value: (c.device, c.device_name) for c in list_conflicts(a.lib)
            if c.field == "name"}
    # Names are looked up by device id, so the older value from b shows the new name too.
    assert on_a == {"from laptop": (b_dev.id, "Laptop"), "from b": (b_dev.id, "Laptop")}
    assert ensure_device(b.lib).id == b_dev.id        # a rename keeps the device's id


@pytest.mark.parametrize("bad, message", [("   ", "cannot be empty"),
                                          ("x" * 65, "at most 64 characters")])
def test_a_bad_name_is_refused_and_nothing_changes(lib, bad, message):
    before = ensure_device(lib)
    with pytest.raises(InvalidInput, match=message):
        rename_device(lib, bad)
    assert ensure_device(lib) == before


def test_naming_a_copied_library_first_still_starts_its_own_log(device, tmp_path, shared):
    """`sync name` on a copy before its first sync makes it a new device; its log must
    still start at 1 (others merge a device's segments 1..n in order)."""
    import shutil

    from sessionstudio.library import Library
    from sessionstudio.sync import FolderTarget
    from tests.sync.conftest import Device
    a = device("a")
    for n in range(3):
        L.create_session(a.lib, name=f"S{n}")
        a.sync()                                   # a's log is at 3 now
    a.lib.close()
    shutil.copytree(tmp_path / "a", tmp_path / "copy")
    copy = Library.open(tmp_path / "copy")
    try:
        ident = rename_device(copy, "Laptop")
        assert ident.name == "Laptop" and ident.id != a.engine.device.id
        L.create_session(copy, name="on the copy")
        Device("copy", copy, FolderTarget(shared)).sync()
        names = sorted(p.name for p in (shared / "devices" / ident.id).rglob("*.gz"))
        assert names and names[0].startswith("0000000001.")
    finally:
        copy.close()
