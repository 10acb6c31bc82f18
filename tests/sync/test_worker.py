"""The background worker: rounds on start, on local edits and on file events; plain
status objects for the status bar; pause; an unavailable target."""

import time

from sessionstudio import library as L
from sessionstudio.sync import FolderTarget, SyncWorker


def _wait(cond, timeout=15.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.05)
    return False


def _worker(dev, **kw):
    kw.setdefault("interval_s", 60)
    kw.setdefault("debounce_s", 0.2)
    return SyncWorker(dev.lib, dev.engine.target, **kw)


def test_edits_travel_through_running_workers(device):
    a, b = device("a"), device("b")
    seen = []
    wa, wb = _worker(a), _worker(b)
    wb.subscribe(seen.append)
    wa.start()
    wb.start()
    try:
        sid = L.create_session(a.lib, name="Live").created[0]   # Library.changed -> hint
        # a publishes; b learns of it from a file event (watchdog), not a timer.
        assert _wait(lambda: b.lib.query("SELECT 1 FROM sessions WHERE id = ?", [sid]))
        assert _wait(lambda: wb.status.state == "idle" and wb.status.last_sync)
        st = wb.status
        assert st.device == b.engine.device.id and st.pending_up == 0
        assert "Synced" in st.summary
        assert {s.state for s in seen} >= {"syncing", "idle"}
        assert wb.sync_now(timeout=20)
    finally:
        wa.stop()
        wb.stop()
    assert wa._thread is None and wb._thread is None


def test_pause_keeps_changes_local_until_resumed(device):
    a, b = device("a"), device("b")
    wa = _worker(a, paused=True)
    wa.start()
    try:
        sid = L.create_session(a.lib, name="Waits").created[0]
        time.sleep(0.6)
        assert wa.status.state == "paused" and "paused" in wa.status.summary
        b.sync()
        assert not b.lib.query("SELECT 1 FROM sessions WHERE id = ?", [sid])
        wa.resume()
        assert wa.sync_now(timeout=20)
        b.sync()
        assert b.lib.query("SELECT 1 FROM sessions WHERE id = ?", [sid])
    finally:
        wa.stop()


def test_unavailable_target_is_reported_and_nothing_changes(device, tmp_path):
    a = device("a")
    L.create_session(a.lib, name="Safe")
    w = SyncWorker(a.lib, FolderTarget(tmp_path / "unmounted"), interval_s=60, debounce_s=0.1)
    w.start()
    try:
        assert _wait(lambda: w.status.state == "offline")
        assert "missing or not mounted" in w.status.problems[0]
        assert w.status.summary.startswith("Sync target unavailable")
    finally:
        w.stop()
    assert not (tmp_path / "unmounted").exists()
    assert L.count_sessions(a.lib) == 1


def test_held_deletions_wait_then_confirm(device):
    a, b = device("a"), device("b")
    ids = [L.create_session(a.lib, name=f"S{i}").created[0] for i in range(30)]
    a.sync()
    b.sync()
    L.purge_sessions(a.lib, session_ids=ids[:20])
    a.sync()
    wb = _worker(b)
    wb.start()
    try:
        assert _wait(lambda: wb.status.state == "waiting")
        assert wb.status.held[0]["count"] == 20
        assert L.count_sessions(b.lib) == 30
        wb.confirm_deletes()
        assert _wait(lambda: L.count_sessions(b.lib) == 10)
    finally:
        wb.stop()


def test_app_worker_from_settings_follows_cli_pause(device, shared, tmp_path):
    from sessionstudio.settings import Settings
    from sessionstudio.sync import SyncConfig, start_sync_worker
    a = device("a")
    path = tmp_path / "settings.json"
    assert start_sync_worker(a.lib, path) is None            # sync not set up: no worker
    SyncConfig(kind="folder", folder=str(shared)).save(Settings(path))
    w = start_sync_worker(a.lib, path)
    try:
        assert _wait(lambda: w.status.state == "idle")
        Settings(path).set("sync_paused", True)               # `sessionstudio sync pause`
        w.hint()
        assert _wait(lambda: w.status.state == "paused")
        w.resume()
        assert Settings(path).get("sync_paused") is False
        assert _wait(lambda: w.status.state == "idle")
    finally:
        w.stop()
