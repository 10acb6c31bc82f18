"""Fail-safes: empty/missing targets, mass deletions, refused writes, bad and partial
files, conflict copies, duplicated and reordered segments."""

import errno
import hashlib
import os
import shutil
import subprocess

import pytest

from sessionstudio import library as L
from sessionstudio.sync import FolderTarget, TargetUnavailable, layout
from tests.sync.conftest import sync_all, uploaded_item


def _state_rows(lib):
    return lib.query("SELECT count(*) FROM sessions")[0][0], lib.query("SELECT count(*) FROM items")[0][0]


def _segments(shared, device_id=None):
    out = sorted((shared / "devices").rglob("*.jsonl.gz"))
    return [p for p in out if device_id is None or f"/{device_id}/" in str(p)]


# -- targets that are not there ------------------------------------------------------------
def test_empty_target_deletes_nothing_and_writes_nothing(device, tmp_path):
    a = device("a")
    sid = L.create_session(a.lib, name="Keep me").created[0]
    a.sync()
    empty = tmp_path / "empty"
    empty.mkdir()
    a.engine.target = FolderTarget(empty, a.engine.device.id)
    with pytest.raises(TargetUnavailable, match="no FORMAT"):
        a.sync()
    assert list(empty.iterdir()) == []
    assert L.get_session(a.lib, sid).name == "Keep me"


def test_missing_or_unmounted_target_is_not_created(device, tmp_path):
    a = device("a")
    L.create_session(a.lib, name="Keep me")
    gone = tmp_path / "mnt" / "nas"
    a.engine.target = FolderTarget(gone, "x")
    with pytest.raises(TargetUnavailable, match="missing or not mounted"):
        a.sync()
    assert not gone.exists()
    assert _state_rows(a.lib) == (1, 0)


def test_target_wiped_of_logs_deletes_nothing(device, shared):
    a, b = device("a"), device("b")
    L.create_session(a.lib, name="One")
    L.create_session(a.lib, name="Two")
    sync_all(a, b)
    shutil.rmtree(shared / "devices")        # someone emptied the shared folder
    sync_all(a, b)
    assert _state_rows(a.lib) == _state_rows(b.lib) == (2, 0)


# -- mass deletion ---------------------------------------------------------------------------
def test_batch_deleting_a_quarter_waits_for_confirmation(device):
    a, b = device("a"), device("b")
    ids = [L.create_session(a.lib, name=f"S{i}").created[0] for i in range(40)]
    sync_all(a, b)
    L.purge_sessions(a.lib, session_ids=ids[:25])
    a.sync()
    report = b.sync()
    assert report["held"] and report["held"][0]["count"] == 25
    assert any("Waiting for you" in p for p in report["problems"])
    assert _state_rows(b.lib) == (40, 0)     # nothing deleted yet
    report = b.sync()                         # still waiting, still nothing
    assert report["held"] and _state_rows(b.lib) == (40, 0)
    b.sync(confirm=True)
    assert _state_rows(b.lib) == (15, 0)


def test_small_deletions_go_through(device):
    a, b = device("a"), device("b")
    ids = [L.create_session(a.lib, name=f"S{i}").created[0] for i in range(40)]
    sync_all(a, b)
    L.trash_sessions(a.lib, session_ids=ids[:5])
    sync_all(a, b)
    assert L.count_sessions(b.lib, trashed=True) == 5


# -- writes refused ---------------------------------------------------------------------------
class RefusingTarget(FolderTarget):
    """A real folder whose writes fail the way a full or read-only disk fails."""
    code = errno.ENOSPC

    def _write_tmp(self, tmp, source):
        raise OSError(self.code, os.strerror(self.code))


@pytest.mark.parametrize("code,words", [(errno.ENOSPC, "full"), (errno.EROFS, "read-only")])
def test_refused_writes_keep_the_outbox_and_resume(device, shared, code, words):
    a, b = device("a"), device("b")
    sid = L.create_session(a.lib, name="Before").created[0]
    sync_all(a, b)
    refusing = RefusingTarget(shared, a.engine.device.id)
    refusing.code = code
    good, a.engine.target = a.engine.target, refusing
    L.rename_session(a.lib, session_id=sid, name="After")
    report = a.sync()
    assert any(words in p for p in report["problems"])
    assert a.engine.counts()["pending_up"] >= 1
    b.sync()
    assert L.get_session(b.lib, sid).name == "Before"
    a.engine.target = good
    a.sync()
    b.sync()
    assert L.get_session(b.lib, sid).name == "After"
    assert a.engine.counts()["pending_up"] == 0


def _can_mount():
    return os.geteuid() == 0 and shutil.which("mount") is not None


@pytest.mark.skipif(not _can_mount(), reason="needs root to mount a small tmpfs")
def test_really_full_then_read_only_filesystem(device, tmp_path):
    mnt = tmp_path / "small"
    mnt.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mnt)]).returncode:
        pytest.skip("mount not permitted here")
    try:
        a, b = device("a", target=FolderTarget(mnt)), device("b", target=FolderTarget(mnt))
        sid = L.create_session(a.lib, name="S").created[0]
        sync_all(a, b)
        filler = mnt / "someone else's big file"
        with open(filler, "wb", buffering=0) as f:   # fill the disk to the last block
            try:
                while True:
                    f.write(b"x" * 4096)
            except OSError:
                pass
        L.rename_session(a.lib, session_id=sid, name="edited while full")
        report = a.sync()
        assert any("full" in p for p in report["problems"]), report["problems"]
        assert a.engine.counts()["pending_up"] == 1
        subprocess.run(["mount", "-o", "remount,ro", str(mnt)], check=True)
        report = a.sync()
        assert any("read-only" in p for p in report["problems"]), report["problems"]
        assert a.engine.counts()["pending_up"] == 1
        subprocess.run(["mount", "-o", "remount,rw", str(mnt)], check=True)
        filler.unlink()
        sync_all(a, b)
        assert L.get_session(b.lib, sid).name == "edited while full"
        assert list((mnt / "tmp").iterdir()) == []     # no temp left behind
    finally:
        subprocess.run(["umount", "-l", str(mnt)])


# -- damaged, partial and copied files -------------------------------------------------------
def _write_segment(shared, device_id, seq, lines):
    data = layout.encode_lines(lines)
    sha = hashlib.sha256(data).hexdigest()
    path = shared / layout.segment_path(device_id, seq, sha)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_a_corrupt_line_is_skipped_and_reported(device, shared):
    a, b = device("a"), device("b")
    sid = L.create_session(a.lib, name="S").created[0]
    a.sync()
    seg = layout.decode_segment(_segments(shared)[0].read_bytes())
    import json
    lines = [json.dumps(seg.header), "{not json at all", *map(json.dumps, seg.records),
             json.dumps({"end": len(seg.records)})]
    _write_segment(shared, "feedfacecafe", 1, lines)
    shutil.rmtree(shared / "devices" / a.engine.device.id)
    report = b.sync()
    assert any("line 2 is corrupt" in p for p in report["problems"])
    assert L.get_session(b.lib, sid).name == "S"


def test_partial_file_counts_as_still_syncing(device, shared):
    a, b = device("a"), device("b")
    sid = L.create_session(a.lib, name="S").created[0]
    a.sync()
    seg = _segments(shared)[0]
    whole = seg.read_bytes()
    seg.write_bytes(whole[: len(whole) // 2])          # the cloud client is mid-download
    report = b.sync()
    assert report["down"]["arriving"] == 1
    assert b.lib.query("SELECT count(*) FROM sessions")[0][0] == 0
    seg.write_bytes(whole)
    b.sync()
    assert L.get_session(b.lib, sid).name == "S"


CONFLICT_NAMES = [
    "{seq}.{sha}.jsonl (conflicted copy 2024-05-01).gz",            # Dropbox
    "{seq}.{sha}.jsonl (Ann's conflicted copy 2024-05-01).gz",      # Dropbox, named
    "{seq}.{sha} (conflicted copy 2024-05-01 101500).jsonl.gz",     # Nextcloud
    "{seq}.{sha}.jsonl.sync-conflict-20240501-101500-ABCDEFG.gz",   # Syncthing
    "{seq}.{sha}.jsonl 2.gz",                                       # iCloud / Finder
    "{seq}.{sha}.jsonl-DESKTOP7.gz",                                # OneDrive
]


@pytest.mark.parametrize("pattern", CONFLICT_NAMES)
def test_conflict_copies_are_read_and_kept(device, shared, pattern):
    a, b = device("a"), device("b")
    sid = L.create_session(a.lib, name="From a copy").created[0]
    a.sync()
    seg = _segments(shared)[0]
    parsed = layout.parse_segment_name(seg.name)
    copy = seg.with_name(pattern.format(seq=f"{parsed.seq:010d}", sha=parsed.sha))
    assert layout.parse_segment_name(copy.name).conflict
    seg.rename(copy)                                   # only the copy is left
    b.sync()
    assert L.get_session(b.lib, sid).name == "From a copy"
    a.sync()
    b.sync()
    assert copy.exists()                               # never deleted
    assert sorted(p.name for p in (shared / "devices").rglob("*.gz")).count(copy.name) == 1


def test_duplicated_and_reordered_segments_are_harmless(device, shared):
    a, b = device("a"), device("b")
    sid = L.create_session(a.lib, name="v1").created[0]
    a.sync()
    L.rename_session(a.lib, session_id=sid, name="v2")
    a.sync()
    first, second = _segments(shared, a.engine.device.id)
    # Deliver the newer segment first, then the older one twice (once under another seq).
    hold = first.read_bytes()
    first.unlink()
    b.sync()
    assert L.get_session(b.lib, sid).name == "v2"
    first.write_bytes(hold)
    sha = layout.parse_segment_name(first.name).sha
    (first.parent / f"{9:010d}.{sha}.jsonl.gz").write_bytes(hold)
    b.sync()
    assert L.get_session(b.lib, sid).name == "v2"
    assert a.state() == b.state()


def test_blob_not_arrived_shows_pending_then_arrives(device, shared, tmp_path):
    from sessionstudio.sync import is_pending, pending_assets
    a, b = device("a"), device("b")
    _sid, iid, h, blob = uploaded_item(a, shared)
    whole = blob.read_bytes()
    blob.write_bytes(whole[:10])                   # partial: must not enter the store
    b.sync()
    assert L.get_item(b.lib, iid).name == "pic"
    assert is_pending(b.lib, h) and h in pending_assets(b.lib)
    assert not b.lib.store.has(h)
    blob.unlink()
    conflict = blob.with_name(h + " (conflicted copy)")
    conflict.write_bytes(whole)                   # only a cloud client's copy arrives
    b.sync()
    assert b.lib.store.has(h) and not is_pending(b.lib, h)
    assert conflict.exists()


def test_a_new_target_gets_the_whole_library_again(device, tmp_path):
    a = device("a")
    sid = L.create_session(a.lib, name="Everything").created[0]
    L.purge_sessions(a.lib, session_ids=[L.create_session(a.lib, name="gone").created[0]])
    a.sync(snapshot=True)
    fresh = tmp_path / "new-nas"
    a.engine.target = FolderTarget(fresh, a.engine.device.id)
    a.engine.setup()                 # the old folder was lost: set up a new one
    a.sync()
    b = device("b", target=FolderTarget(fresh))
    b.sync()
    assert L.get_session(b.lib, sid).name == "Everything"
    assert a.state() == b.state()
