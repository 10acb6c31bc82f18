"""Watch folders: each file imported exactly once, whatever the timing of its arrival."""

import io
import os
import threading
import time

import pytest
from PIL import Image

from sessionstudio.core.errors import InvalidInput, NotFound
from sessionstudio.library import add_item, count_items, create_session, export_item, get_item, trash_sessions
from sessionstudio.library.watch_service import WatchService
from sessionstudio.library.watch import (add_watch_folder, list_watch_folders,
                                         remove_watch_folder, scan_watch_folder)
from sessionstudio.media.png_text import add_png_text


def tiny_png(n: int) -> bytes:
    """A 4x4 PNG whose colour encodes n, so every file has its own content."""
    buf = io.BytesIO()
    Image.new("RGB", (4, 4), (n % 256, (n // 256) % 256, 77)).save(buf, "PNG")
    return buf.getvalue()


@pytest.fixture
def inbox(tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    return folder


def seen_rows(lib, folder_id):
    return lib.query("SELECT rel_path, item_id, error FROM watch_seen WHERE folder_id = ?", [folder_id])


def write_bursts(root, count, *, bursts=20, pause=0.01, start=0):
    """Files in bursts, in nested folders, half written in place and half renamed into
    place as downloaders do; plus junk that must never be imported."""
    per = count // bursts
    for b in range(bursts):
        for i in range(start + b * per, start + (b + 1) * per):
            folder = root / f"day{i % 3}" / f"batch{i % 5}"
            folder.mkdir(parents=True, exist_ok=True)
            target = folder / f"img_{i:05d}.png"
            if i % 2:
                tmp = folder / f"img_{i:05d}.png.part"
                tmp.write_bytes(tiny_png(i))
                os.replace(tmp, target)
            else:
                target.write_bytes(tiny_png(i))
        (root / f"day{b % 3}" / f"~lock{b}.png").write_bytes(tiny_png(99_999))
        (root / f"day{b % 3}" / f"dl{b}.png.crdownload").write_bytes(b"partial")
        (root / ".DS_Store").write_bytes(b"\0")
        time.sleep(pause)


def test_thousand_files_in_bursts_imported_exactly_once(lib, session_id, inbox):
    folder_id = add_watch_folder(lib, path=inbox, session_id=session_id).created[0]
    writer = threading.Thread(target=write_bursts, args=(inbox, 1000))
    writer.start()
    imported, scans = [], 0
    while writer.is_alive() or scans == 0 or result.waiting:
        result = scan_watch_folder(lib, folder_id, settle_seconds=0.05)
        imported += result.imported
        assert not result.failed
        scans += 1
        time.sleep(0.02)
    writer.join()
    imported += scan_watch_folder(lib, folder_id, settle_seconds=0).imported
    assert len(imported) == len(set(imported)) == 1000
    assert count_items(lib, session_id=session_id)["image"] == 1000
    rows = seen_rows(lib, folder_id)
    assert len(rows) == 1000 and {r["item_id"] for r in rows} == set(imported)
    assert not any(r["rel_path"].startswith(("~", ".")) or "crdownload" in r["rel_path"] for r in rows)
    hashes = {r[0] for r in lib.query("SELECT asset_hash FROM items WHERE session_id = ?", [session_id])}
    assert len(hashes) == 1000  # every file whole: no half-written duplicate
    again = scan_watch_folder(lib, folder_id, settle_seconds=0)
    assert (again.imported, again.unchanged) == ([], 1000)
    assert scans > 1


def test_growing_file_waits_until_it_settles(lib, session_id, inbox):
    folder_id = add_watch_folder(lib, path=inbox, session_id=session_id).created[0]
    data = tiny_png(1)  # a whole PNG, written a few bytes at a time
    path = inbox / "slow.png"
    with path.open("wb") as fh:
        for i in range(0, len(data), 8):
            fh.write(data[i:i + 8])
            fh.flush()
            result = scan_watch_folder(lib, folder_id, settle_seconds=0.3)
            assert result.imported == [] and result.waiting == ["slow.png"]
            time.sleep(0.01)
    assert scan_watch_folder(lib, folder_id, settle_seconds=0.3).waiting == ["slow.png"]
    time.sleep(0.35)
    result = scan_watch_folder(lib, folder_id, settle_seconds=0.3)
    assert len(result.imported) == 1
    assert get_item(lib, result.imported[0]).size == len(data)


def test_unreadable_file_is_reported_once_and_retried_when_it_changes(lib, session_id, inbox):
    folder_id = add_watch_folder(lib, path=inbox, session_id=session_id).created[0]
    broken = inbox / "broken.png"
    broken.write_bytes(tiny_png(5)[:30])
    first = scan_watch_folder(lib, folder_id, settle_seconds=0)
    assert first.imported == [] and [f for f, _ in first.failed] == ["broken.png"]
    assert scan_watch_folder(lib, folder_id, settle_seconds=0).failed == []  # not retried
    broken.write_bytes(tiny_png(5))  # finished at last
    os.utime(broken, ns=(time.time_ns(), time.time_ns() + 1000))
    assert len(scan_watch_folder(lib, folder_id, settle_seconds=0).imported) == 1


def test_touched_file_is_not_imported_again_but_replaced_content_is(lib, session_id, inbox):
    folder_id = add_watch_folder(lib, path=inbox, session_id=session_id).created[0]
    path = inbox / "a.png"
    path.write_bytes(tiny_png(1))
    assert len(scan_watch_folder(lib, folder_id, settle_seconds=0).imported) == 1
    os.utime(path, ns=(time.time_ns(), time.time_ns() - 10**9))  # a sync client touching it
    assert scan_watch_folder(lib, folder_id, settle_seconds=0).imported == []
    path.write_bytes(tiny_png(2))  # new content under the same name
    assert len(scan_watch_folder(lib, folder_id, settle_seconds=0).imported) == 1


def test_recipes_are_read_and_own_downloads_skipped(lib, session_id, inbox, tmp_path):
    folder_id = add_watch_folder(lib, path=inbox, session_id=session_id).created[0]
    params = "a koi pond\nSteps: 20, Sampler: Euler, CFG scale: 7, Seed: 42, Size: 4x4, Model: sdxl"
    (inbox / "a1111.png").write_bytes(add_png_text(tiny_png(1), {"parameters": params}))
    other = create_session(lib, name="Mine").created[0]
    mine = add_item(lib, session_id=other, source=tiny_png(2), filename="x.png", prompt="my fox").created[0]
    export_item(lib, item_id=mine, dest_dir=inbox)
    result = scan_watch_folder(lib, folder_id, settle_seconds=0)
    assert len(result.imported) == 1
    item = get_item(lib, result.imported[0])
    assert (item.engine, item.prompt, item.seed) == ("a1111", "a koi pond", 42)
    assert {r["item_id"] for r in seen_rows(lib, folder_id)} == {item.id, mine}


def test_add_refusals_list_skip_existing_and_remove(lib, session_id, inbox, tmp_path):
    with pytest.raises(InvalidInput, match="no such folder"):
        add_watch_folder(lib, path=tmp_path / "nope", session_id=session_id)
    (tmp_path / "f.txt").write_text("x")
    with pytest.raises(InvalidInput, match="not a folder"):
        add_watch_folder(lib, path=tmp_path / "f.txt", session_id=session_id)
    with pytest.raises(InvalidInput, match="inside the library"):
        add_watch_folder(lib, path=lib.paths.assets_dir, session_id=session_id)
    with pytest.raises(NotFound):
        add_watch_folder(lib, path=inbox, session_id="no-such-session")
    (inbox / "old.png").write_bytes(tiny_png(1))
    folder_id = add_watch_folder(lib, path=inbox, session_id=session_id, skip_existing=True).created[0]
    for overlapping in (inbox, inbox / "sub", tmp_path):
        overlapping.mkdir(exist_ok=True)
        with pytest.raises(InvalidInput, match="overlaps"):
            add_watch_folder(lib, path=overlapping, session_id=session_id)
    assert [(f.id, f.path, f.recursive) for f in list_watch_folders(lib)] == [(folder_id, str(inbox.resolve()), True)]
    (inbox / "new.png").write_bytes(tiny_png(2))
    assert [get_item(lib, i).name for i in scan_watch_folder(lib, folder_id, settle_seconds=0).imported] == ["new"]

    trash_sessions(lib, session_ids=[session_id])
    (inbox / "later.png").write_bytes(tiny_png(3))
    assert "trash" in scan_watch_folder(lib, folder_id, settle_seconds=0).error

    remove_watch_folder(lib, folder_id=folder_id)
    assert list_watch_folders(lib) == [] and seen_rows(lib, folder_id) == []
    assert lib.query("SELECT count(*) FROM items WHERE session_id = ?", [session_id])[0][0] == 1  # items stay
    with pytest.raises(NotFound):
        scan_watch_folder(lib, folder_id)


# watchdog's inotify emitter warns when a new subfolder's watch races its own rescan.
@pytest.mark.filterwarnings("ignore:Callback with id:RuntimeWarning")
@pytest.mark.parametrize("polling", [False, True])
def test_service_imports_bursts_and_rescans_on_start(lib, session_id, inbox, polling):
    (inbox / "before").mkdir()
    for i in range(5):  # arrived while the app was closed
        (inbox / "before" / f"{i}.png").write_bytes(tiny_png(i))
    folder_id = add_watch_folder(lib, path=inbox, session_id=session_id).created[0]
    received = []
    service = WatchService(lib, on_imported=received.append, settle_seconds=0.1, debounce_seconds=0.05,
                           poll_seconds=0.1, polling=polling)
    service.start()
    try:
        assert service.wait_idle(20)
        assert count_items(lib, session_id=session_id)["image"] == 5
        write_bursts(inbox, 100, bursts=5, pause=0.05, start=1000)
        deadline = time.monotonic() + 30
        while count_items(lib, session_id=session_id)["image"] < 105 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert service.wait_idle(20)
    finally:
        service.stop()
    created = [i for changes in received for i in changes.created]
    assert len(created) == len(set(created)) == 105
    assert count_items(lib, session_id=session_id)["image"] == 105

    (inbox / "while-closed.png").write_bytes(tiny_png(7))
    time.sleep(0.15)
    restarted = WatchService(lib, settle_seconds=0.1, polling=polling, poll_seconds=0.1)
    restarted.start()
    try:
        assert restarted.wait_idle(20)
    finally:
        restarted.stop()
    assert count_items(lib, session_id=session_id)["image"] == 106
    assert restarted.results[folder_id].unchanged == 105
    assert len(seen_rows(lib, folder_id)) == 106


def test_service_follows_folders_added_and_removed(lib, session_id, inbox):
    service = WatchService(lib, settle_seconds=0.05, debounce_seconds=0.02)
    service.start()
    try:
        folder_id = add_watch_folder(lib, path=inbox, session_id=session_id).created[0]
        service.refresh()
        (inbox / "a.png").write_bytes(tiny_png(1))
        deadline = time.monotonic() + 20
        while count_items(lib, session_id=session_id).get("image", 0) < 1 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert service.wait_idle(20) and count_items(lib, session_id=session_id)["image"] == 1
        remove_watch_folder(lib, folder_id=folder_id)
        service.refresh()
        (inbox / "b.png").write_bytes(tiny_png(2))
        time.sleep(0.3)
        assert service.wait_idle(20) and count_items(lib, session_id=session_id)["image"] == 1
    finally:
        service.stop()
