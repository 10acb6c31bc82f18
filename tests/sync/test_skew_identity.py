"""Clock skew of hours loses nothing and names the device; copied libraries get a new
device id before they publish; file names of every cloud client are understood."""

import shutil

import pytest

from sessionstudio import library as L
from sessionstudio.library import Library
from sessionstudio.sync import list_conflicts, layout
from sessionstudio.sync.device import ensure_device
from tests.sync.conftest import Device, sync_all
from tests.sync.test_merge import _item

H5 = 5 * 3600 * 1000


@pytest.mark.parametrize("skew", [H5, -H5])
def test_skewed_clock_loses_no_edit_and_is_named(device, skew):
    a = device("a")
    sid = L.create_session(a.lib, name="S").created[0]
    iid = _item(a.lib, sid)
    odd = device("odd", skew_ms=skew)
    sync_all(a, odd)
    # Offline on both: the same field and different fields.
    L.rename_item(a.lib, item_id=iid, name="a's name")
    L.rename_item(odd.lib, item_id=iid, name="odd's name")
    L.set_favorite(odd.lib, item_ids=[iid])
    L.rename_session(a.lib, session_id=sid, name="a's session")
    ra = a.sync()
    ro = odd.sync()
    ra = a.sync()
    for d in (a, odd):
        item = L.get_item(d.lib, iid)
        assert item.favorite and L.get_session(d.lib, sid).name == "a's session"
        names = {item.name} | {c.value for c in list_conflicts(d.lib, row_id=iid) if c.field == "name"}
        assert names == {"a's name", "odd's name"}       # one wins, the other is kept
    assert a.state() == odd.state()
    odd_id = odd.engine.device.id
    assert any(odd_id in p and "clock" in p for p in ra["problems"]), ra["problems"]
    assert any("This device's clock" in p for p in ro["problems"]), ro["problems"]
    # Sync goes on: later edits on either side still win.
    L.rename_item(a.lib, item_id=iid, name="later on a")
    sync_all(a, odd)
    assert L.get_item(odd.lib, iid).name == "later on a"
    L.rename_item(odd.lib, item_id=iid, name="later on odd")
    sync_all(odd, a)
    assert L.get_item(a.lib, iid).name == "later on odd"


def test_copied_library_gets_a_new_device_id(device, tmp_path, shared):
    a = device("a")
    sid = L.create_session(a.lib, name="S").created[0]
    a.sync()
    first = a.engine.device.id
    a.lib.close()
    shutil.copytree(tmp_path / "a", tmp_path / "copy")
    orig = Library.open(tmp_path / "a")
    copy = Library.open(tmp_path / "copy")
    try:
        assert ensure_device(orig).id == first
        ident = ensure_device(copy)
        assert ident.renewed and ident.id != first and ident.previous == first
        assert ensure_device(copy).id == ident.id        # stable from then on
        from sessionstudio.sync import FolderTarget
        d1 = Device("a", orig, FolderTarget(shared))
        d2 = Device("copy", copy, FolderTarget(shared))
        L.rename_session(orig, session_id=sid, name="on the original")
        L.create_session(copy, name="on the copy")
        sync_all(d1, d2)
        assert d1.state() == d2.state()
        assert (shared / "devices" / ident.id).is_dir() and (shared / "devices" / first).is_dir()
    finally:
        orig.close()
        copy.close()


SHA = "ab" * 32


@pytest.mark.parametrize("name,conflict", [
    (f"0000000003.{SHA}.jsonl.gz", None),
    (f"0000000003.{SHA}.jsonl (conflicted copy 2024-01-02).gz", " (conflicted copy 2024-01-02).gz"),
    (f"0000000003.{SHA}.jsonl.sync-conflict-20240102-030405-ABCDEFG.gz", True),
    (f"0000000003.{SHA}.jsonl 2.gz", True),
    (f"0000000003.{SHA}-LAPTOP-2.jsonl.gz", True),
])
def test_segment_names(name, conflict):
    parsed = layout.parse_segment_name(name)
    assert parsed.seq == 3 and parsed.sha == SHA
    if conflict is None:
        assert parsed.conflict is None
    else:
        assert parsed.conflict


@pytest.mark.parametrize("name", ["FORMAT", f"0000000003.{SHA}.jsonl.gz.part",
                                  f"3.{SHA}.jsonl.gz", f"0000000003.{SHA}.txt", "notes.md"])
def test_other_names_are_not_segments(name):
    assert layout.parse_segment_name(name) is None


def test_blob_names():
    assert layout.parse_blob_name(SHA) == (SHA, None)
    assert layout.parse_blob_name(SHA + " (conflicted copy)")[1]
    assert layout.parse_blob_name(SHA + ".sync-conflict-20240102-030405-XYZ")[1]
    assert layout.parse_blob_name(SHA + ".part") is None


def test_segment_round_trip_and_truncation():
    data = layout.encode_segment({"device": "d", "seq": 1}, [{"t": "items", "k": "x", "v": {}}])
    seg = layout.decode_segment(data)
    assert seg.complete and seg.header["device"] == "d" and len(seg.records) == 1
    assert not layout.decode_segment(data[:-8]).complete
