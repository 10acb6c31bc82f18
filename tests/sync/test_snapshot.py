"""A new device joins from a snapshot and reads only the segments after it."""

from sessionstudio import library as L
from sessionstudio.sync import layout
from tests.sync.conftest import sync_all


def test_join_from_snapshot_reads_only_newer_segments(device, shared):
    a, b = device("a"), device("b")
    ids = []
    for i in range(6):                       # six rounds: six segments from a
        ids.append(L.create_session(a.lib, name=f"S{i}").created[0])
        a.sync()
    b.sync()
    L.rename_session(b.lib, session_id=ids[0], name="renamed on b")
    b.sync()
    L.purge_sessions(a.lib, session_ids=[ids[5]])
    report = a.sync(snapshot=True)
    assert report["snapshot"].startswith("snapshots/")
    L.create_session(a.lib, name="after the snapshot")
    a.sync()
    c = device("c")
    report = c.sync()
    assert report["down"]["snapshot_records"] > 0
    assert report["down"]["segments"] == 1           # only the one after the snapshot
    sync_all(a, b, c)
    assert a.state() == b.state() == c.state()
    assert L.get_session(c.lib, ids[0]).name == "renamed on b"
    assert len(list((shared / "devices").rglob("*.jsonl.gz"))) >= 8   # segments all kept


def test_snapshot_keeps_tombstones(device):
    a = device("a")
    sid = L.create_session(a.lib, name="gone").created[0]
    a.sync()
    L.purge_sessions(a.lib, session_ids=[sid])
    a.sync(snapshot=True)
    c = device("c")
    c.sync()
    assert c.lib.query("SELECT count(*) FROM sessions")[0][0] == 0
    assert c.lib.query("SELECT state FROM sync_rows WHERE pk = ?", [sid])[0][0] == "dead"
    assert layout.parse_segment_name("0000000001." + "a" * 64 + ".jsonl.gz")
