"""Merge rules between devices that were offline: fields, trash, purges, conflicts."""

import time

from sessionstudio import library as L
from sessionstudio.sync import list_conflicts
from tests.sync.conftest import sync_all


def _item(lib, sid, name="pic"):
    """An item added through the real API (a tiny PNG, distinct per name)."""
    import io
    from PIL import Image
    buf = io.BytesIO()
    Image.new("RGB", (4, 4), (len(name) * 20 % 255, 10, 10)).save(buf, "PNG")
    return L.add_item(lib, session_id=sid, source=buf.getvalue(), filename=f"{name}.png",
                      name=name).created[0]


def _pair(device):
    a, b = device("a"), device("b")
    sid = L.create_session(a.lib, name="S").created[0]
    iid = _item(a.lib, sid)
    sync_all(a, b)
    return a, b, sid, iid


def test_offline_edits_to_different_fields_both_survive(device):
    a, b, sid, iid = _pair(device)
    L.rename_item(a.lib, item_id=iid, name="from a")
    L.set_favorite(b.lib, item_ids=[iid])
    sync_all(a, b)
    for d in (a, b):
        item = L.get_item(d.lib, iid)
        assert item.name == "from a" and item.favorite
    assert a.state() == b.state()
    assert list_conflicts(a.lib) == [] and list_conflicts(b.lib) == []


def test_offline_edits_to_the_same_field_keep_the_loser(device):
    a, b, sid, iid = _pair(device)
    L.rename_item(a.lib, item_id=iid, name="from a")
    time.sleep(0.005)                                  # really later (not the same ms)
    L.rename_item(b.lib, item_id=iid, name="from b")   # later stamp: wins
    sync_all(a, b)
    assert L.get_item(a.lib, iid).name == L.get_item(b.lib, iid).name == "from b"
    for d in (a, b):
        lost = [c for c in list_conflicts(d.lib) if c.field == "name"]
        assert [c.value for c in lost] == ["from a"]
        assert lost[0].device == a.engine.device.id
        assert lost[0].device_name   # "also edited on <device name>"
    assert a.state() == b.state()


def test_sequential_edits_are_not_conflicts(device):
    a, b, sid, iid = _pair(device)
    L.rename_item(a.lib, item_id=iid, name="one")
    sync_all(a, b)
    L.rename_item(b.lib, item_id=iid, name="two")
    sync_all(a, b)
    assert L.get_item(a.lib, iid).name == "two"
    assert list_conflicts(a.lib) == [] and list_conflicts(b.lib) == []


def test_trash_is_a_field_and_restorable_everywhere(device):
    a, b, sid, iid = _pair(device)
    L.trash_items(a.lib, item_ids=[iid])
    L.rename_item(b.lib, item_id=iid, name="renamed in b")
    sync_all(a, b)
    for d in (a, b):
        item = L.get_item(d.lib, iid)
        assert item.trashed_at is not None and item.name == "renamed in b"
    L.restore_items(b.lib, item_ids=[iid])
    sync_all(a, b)
    assert L.get_item(a.lib, iid).trashed_at is None
    assert a.state() == b.state()


def test_purge_versus_edit_keeps_the_edit(device):
    a, b, sid, iid = _pair(device)
    L.trash_items(a.lib, item_ids=[iid])
    L.purge_items(a.lib, item_ids=[iid])
    L.rename_item(b.lib, item_id=iid, name="still wanted")
    sync_all(a, b)
    for d in (a, b):
        item = L.get_item(d.lib, iid)
        assert item.name == "still wanted"
        assert item.trashed_at is None   # shows as restored
    assert a.state() == b.state()


def test_purge_of_an_unedited_item_reaches_everyone(device):
    a, b, sid, iid = _pair(device)
    L.purge_items(a.lib, item_ids=[iid])
    sync_all(a, b)
    assert b.lib.query("SELECT count(*) FROM items")[0][0] == 0
    assert a.state() == b.state()


def test_session_purged_while_items_added_elsewhere(device):
    a, b, sid, old = _pair(device)
    L.trash_sessions(a.lib, session_ids=[sid])
    L.purge_sessions(a.lib, session_ids=[sid])
    new = _item(b.lib, sid, "added on b")
    for order in ((a, b), (b, a)):
        sync_all(*order)
    for d in (a, b):
        s = L.get_session(d.lib, sid)
        assert s.trashed_at is None                          # shows as restored
        ids = {r[0] for r in d.lib.query("SELECT id FROM items WHERE session_id = ?", [sid])}
        assert ids == {new}                                  # what a had seen is gone
    assert a.state() == b.state()


def test_three_devices_session_purge_and_add(device):
    a, b = device("a"), device("b")
    sid = L.create_session(a.lib, name="S").created[0]
    old = _item(a.lib, sid)
    sync_all(a, b)
    c = device("c")
    sync_all(c)
    L.purge_sessions(a.lib, session_ids=[sid])
    new = _item(b.lib, sid, "b's")
    a.sync()
    c.sync()              # c sees the purge first: session gone
    assert c.lib.query("SELECT count(*) FROM sessions")[0][0] == 0
    b.sync()
    c.sync()              # then b's item: the session comes back for it
    sync_all(a, b, c)
    for d in (a, b, c):
        assert {r[0] for r in d.lib.query("SELECT id FROM items")} == {new}
    assert a.state() == b.state() == c.state()
    assert old


def test_local_edit_outranks_a_value_from_a_fast_clock(device):
    a, b, sid, iid = _pair(device)
    fast = device("fast", skew_ms=5 * 3600 * 1000)
    sync_all(fast)
    L.rename_item(fast.lib, item_id=iid, name="from the future")
    sync_all(fast, a)
    assert L.get_item(a.lib, iid).name == "from the future"
    L.rename_item(a.lib, item_id=iid, name="my fix")        # seen, then edited: must win
    sync_all(a, fast, b)
    for d in (a, b, fast):
        assert L.get_item(d.lib, iid).name == "my fix"


def test_folders_and_moves(device):
    a, b = device("a"), device("b")
    f1 = L.create_folder(a.lib, name="F1").created[0]
    sid = L.create_session(a.lib, name="S", folder_id=f1).created[0]
    sync_all(a, b)
    f2 = L.create_folder(b.lib, name="F2").created[0]
    L.move_sessions(b.lib, session_ids=[sid], folder_id=f2)
    L.purge_folder(a.lib, folder_id=f1)      # a had the session in F1
    sync_all(a, b)
    sync_all(a, b)
    assert a.state() == b.state()
    assert L.get_session(a.lib, sid).folder_id == f2


def test_undo_is_published_like_any_edit(device):
    a, b, sid, iid = _pair(device)
    L.rename_item(a.lib, item_id=iid, name="oops")
    sync_all(a, b)
    a.lib.undo()
    sync_all(a, b)
    assert L.get_item(b.lib, iid).name == "pic"
    L.purge_items(a.lib, item_ids=[iid])
    sync_all(a, b)
    assert b.lib.query("SELECT count(*) FROM items")[0][0] == 0
    a.lib.undo()                             # the purge undone: back everywhere
    sync_all(a, b)
    assert L.get_item(b.lib, iid).name == "pic"
    assert a.state() == b.state()


def test_session_trashed_while_items_added_elsewhere(device):
    a, b, sid, old = _pair(device)
    L.trash_sessions(a.lib, session_ids=[sid])
    new = _item(b.lib, sid, "added on b")       # b has not heard of the trash yet
    sync_all(a, b)
    for d in (a, b):                            # trash is a field: the session is in the
        assert L.get_session(d.lib, sid).trashed_at is not None   # trash, with both items
        ids = {r[0] for r in d.lib.query("SELECT id FROM items WHERE session_id = ?", [sid])}
        assert ids == {old, new}
    L.restore_sessions(a.lib, session_ids=[sid])  # and comes back whole, everywhere
    sync_all(a, b)
    assert L.get_session(b.lib, sid).trashed_at is None
    assert a.state() == b.state()
