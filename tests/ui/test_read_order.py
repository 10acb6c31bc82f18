"""Answers from the reader pool land in any order. These tests hold one read back (the real
query runs first, then the answer waits) so that a newer read lands before it, and check
that the view keeps the newer answer. Each failed before its view kept a read token."""

import threading
import time

import pytest
from PIL import Image
from PySide6.QtCore import Qt

from sessionstudio import library as L
from sessionstudio.ui.tasks import Tasks
from tests.sync.conftest import sync_all, two_devices


def held_back_first(real, seconds=0.5):
    """`real`, whose first answer is held back after it was read; `.landed` is set once
    that answer has been handed back."""
    calls, landed = [], threading.Event()

    def wrapper(*args, **kw):
        value = real(*args, **kw)
        calls.append(1)
        if len(calls) == 1:
            time.sleep(seconds)
            landed.set()
        return value
    wrapper.landed = landed
    return wrapper


@pytest.fixture
def tasks(make_lib):   # after the library, so it shuts down before the library closes
    t = Tasks()
    yield t
    t.shutdown()


def test_watch_dialog_keeps_the_list_read_after_an_add(lib, qtbot, tasks, tmp_path, monkeypatch):
    import sessionstudio.ui.watch_dialog as wd
    slow = held_back_first(wd.list_watch_folders)
    monkeypatch.setattr(wd, "list_watch_folders", slow)
    sid = L.create_session(lib, name="Comfy").created[0]
    dialog = wd.WatchFoldersDialog(lib, tasks, session_id=sid)   # first read: no folders
    qtbot.addWidget(dialog)
    folder = tmp_path / "output"
    folder.mkdir()
    dialog.add(str(folder))
    qtbot.waitUntil(lambda: dialog.list.count() == 1, timeout=5000)
    assert slow.landed.wait(5)
    qtbot.wait(150)                        # the held-back empty answer is delivered now
    assert dialog.list.count() == 1


def test_open_item_shows_the_last_item_asked_for(lib, qtbot, tmp_path, monkeypatch):
    from sessionstudio.ui.main_window import MainWindow
    sid = L.create_session(lib, name="Two").created[0]
    ids = []
    for n, colour in enumerate(((200, 40, 40), (40, 40, 200))):
        Image.new("RGB", (64, 48), colour).save(tmp_path / f"{n}.png")
        ids.append(L.add_item(lib, session_id=sid, source=tmp_path / f"{n}.png",
                              name=f"Pic {n}").created[0])
    w = MainWindow(lib)
    qtbot.addWidget(w)
    w.show()
    w.open_session(sid)
    qtbot.waitUntil(lambda: w.canvas.visual.model.rowCount() == 2)
    slow = held_back_first(L.get_item)
    monkeypatch.setattr(L, "get_item", slow)
    w.open_item(ids[0])                    # held back
    w.open_item(ids[1])                    # asked for later, answered first
    qtbot.waitUntil(lambda: w.viewer.current_item_id() == ids[1], timeout=5000)
    assert slow.landed.wait(5)
    qtbot.wait(150)
    assert w.viewer.current_item_id() == ids[1]
    w.close()


def test_sync_dialog_does_not_bring_back_a_dismissed_conflict(make_lib, tmp_path, qtbot, tasks,
                                                             monkeypatch):
    import sessionstudio.ui.sync_dialog as sd
    _, a, b = two_devices(make_lib, tmp_path)
    sid = L.create_session(a.lib, name="Both").created[0]
    sync_all(a, b)
    L.rename_session(a.lib, session_id=sid, name="Dawn")
    time.sleep(0.005)
    L.rename_session(b.lib, session_id=sid, name="Dusk")
    sync_all(a, b)
    dialog = sd.SyncDialog(b.lib, tasks, None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.conflicts.rowCount() == 1, timeout=5000)
    slow = held_back_first(sd._load_conflicts)
    monkeypatch.setattr(sd, "_load_conflicts", slow)
    dialog.refresh_conflicts()             # a status update asks again: held back, 1 row
    dialog.table.selectRow(0)
    qtbot.mouseClick(dialog.keep_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.conflicts.rowCount() == 0, timeout=5000)
    assert slow.landed.wait(5)
    qtbot.wait(150)
    assert dialog.conflicts.rowCount() == 0


def test_jobs_list_does_not_stand_on_a_first_list_read_before_a_change(lib, qtbot, tasks,
                                                                      monkeypatch):
    import sessionstudio.ui.views.jobs_panel as jp
    from sessionstudio.jobs.queue import cancel_job, submit_job
    sid = L.create_session(lib, name="Jobs").created[0]
    job_id = submit_job(lib, session_id=sid, engine="builtin", kind="image", action="generate",
                        title="Image: a lighthouse").created[0]
    slow = held_back_first(jp.list_jobs)
    monkeypatch.setattr(jp, "list_jobs", slow)
    model = jp.JobListModel(lib, tasks)
    model.load()                           # reads "queued", then waits
    time.sleep(0.1)
    model.apply_changes(cancel_job(lib, job_id))   # answered first: "cancelled"
    assert slow.landed.wait(5)
    qtbot.waitUntil(lambda: model.job_at(0) is not None and model.job_at(0).state == "cancelled",
                    timeout=5000)
    qtbot.wait(150)
    assert model.job_at(0).state == "cancelled"


def test_two_quick_sync_setups_leave_one_worker_running(make_lib, tmp_path, qtbot):
    from sessionstudio.sync.setup import set_up_sync
    from sessionstudio.ui.main_window import MainWindow
    lib = make_lib("solo")
    target = tmp_path / "Shared"
    target.mkdir()
    workers = lambda: [t for t in threading.enumerate() if t.name == "sync-worker"]  # noqa: E731
    before = len(workers())

    def window():
        w = MainWindow(lib)
        qtbot.addWidget(w)
        w.show()
        return w
    w = window()
    set_up_sync(lib, w.settings, folder=str(target))
    w.sync_status.restart()                # set up, then set up again at once
    w.sync_status.restart()
    qtbot.waitUntil(lambda: w.sync is not None, timeout=10000)
    assert w.sync._thread is not None and w.sync._thread.is_alive()
    assert len(workers()) == before + 1
    w.close()
    qtbot.waitUntil(lambda: len(workers()) == before, timeout=10000)

    w = window()                           # set up, and close before the worker is shown
    w.sync_status.restart()
    w.close()
    assert len(workers()) == before


def test_a_star_shown_early_survives_a_row_read_from_before_it(lib, qtbot, tasks, tmp_path,
                                                               monkeypatch):
    import sessionstudio.ui.models.item_model as im
    sid = L.create_session(lib, name="Stars").created[0]
    Image.new("RGB", (64, 48), (200, 160, 40)).save(tmp_path / "s.png")
    iid = L.add_item(lib, session_id=sid, source=tmp_path / "s.png", name="Sun").created[0]
    model = im.ItemListModel(lib, tasks)
    model.set_session(sid)
    slow = held_back_first(im.get_items)
    monkeypatch.setattr(im, "get_items", slow)
    assert model.index(0).data(model.ItemRole) is None      # asks for the row: not starred
    time.sleep(0.1)
    model.show_edit([iid], favorite=True)                   # the star, before it is written
    assert slow.landed.wait(5)
    qtbot.waitUntil(lambda: model.cached_item(iid) is not None, timeout=5000)
    assert model.cached_item(iid).favorite
