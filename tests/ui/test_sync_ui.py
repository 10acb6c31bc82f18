"""Sync in the window, with real libraries over a real shared folder: an item whose file
has not arrived shows "Waiting for sync" and fills in when it comes; a value also edited on
another device can be taken back from the inspector; the Sync dialog sets a target up,
starts the worker, and applies held deletions when asked."""

import time
from pathlib import Path

from PIL import Image
from PySide6.QtCore import Qt

from sessionstudio import library as L
from sessionstudio.sync import FolderTarget, SyncWorker, layout
from sessionstudio.ui.main_window import MainWindow
from tests.sync.conftest import sync_all, two_devices

SHOTS = Path(__file__).resolve().parents[2] / "screenshots"


def _session_with_picture(lib, tmp_path, session, name, color):
    sid = L.create_session(lib, name=session).created[0]
    Image.new("RGB", (320, 200), color).save(tmp_path / "p.png")
    return sid, L.add_item(lib, session_id=sid, source=tmp_path / "p.png", name=name).created[0]


def _window(qtbot, lib, **kw):
    w = MainWindow(lib, **kw)
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    return w


def test_a_file_still_on_its_way_shows_pending_then_fills_in(make_lib, tmp_path, qtbot):
    shared, a, b = two_devices(make_lib, tmp_path)
    sid, iid = _session_with_picture(a.lib, tmp_path, "Arriving", "harbour", (200, 60, 30))
    a.sync()
    h = L.get_item(a.lib, iid).asset_hash
    blob = shared / layout.blob_path(h)
    held_back = blob.read_bytes()
    blob.unlink()                                   # the cloud client has not brought it yet
    b.sync()
    assert not b.lib.store.has(h)

    w = _window(qtbot, b.lib)
    w.open_session(sid)
    qtbot.waitUntil(lambda: w.canvas.visual.model.rowCount() == 1)
    qtbot.waitUntil(lambda: w.thumbs.pending(h), timeout=5000)
    assert not w.thumbs.failed(h)                   # not "Can't preview": on its way
    w.inspector.show_item(iid)
    qtbot.waitUntil(lambda: w.inspector.findChild(type(w.inspector.title_label), "pendingNote") is not None)
    waiting = w.inspector._preview.pixmap()      # the cloud and "Waiting for sync", not a blank
    assert not waiting.isNull()
    SHOTS.mkdir(exist_ok=True)
    w.grab().save(str(SHOTS / "sync_pending.png"))
    w.inspector.grab().save(str(SHOTS / "sync_pending_inspector.png"))

    w.canvas.sig_item_open_requested.emit(iid)
    qtbot.waitUntil(lambda: w.stack.currentWidget() is w.viewer)
    qtbot.waitUntil(lambda: "on its way" in w.viewer.message.text())

    blob.write_bytes(held_back)
    b.sync()                                        # the change names the item: views refresh
    qtbot.waitUntil(lambda: w.viewer._stack.currentWidget() is w.viewer.canvas, timeout=5000)
    qtbot.waitUntil(lambda: w.thumbs.image(h, "image") is not None, timeout=5000)
    assert not w.thumbs.pending(h)
    qtbot.waitUntil(lambda: w.inspector.findChild(type(w.inspector.title_label), "pendingNote") is None)
    qtbot.waitUntil(lambda: w.inspector._preview.pixmap().cacheKey() != waiting.cacheKey())


def test_take_back_a_value_also_edited_on_another_device(make_lib, tmp_path, qtbot):
    _, a, b = two_devices(make_lib, tmp_path)
    sid, iid = _session_with_picture(a.lib, tmp_path, "Both", "pic", (20, 90, 200))
    sync_all(a, b)
    L.rename_item(a.lib, item_id=iid, name="dawn harbour")
    time.sleep(0.005)
    L.rename_item(b.lib, item_id=iid, name="dusk harbour")    # later: wins
    sync_all(a, b)
    assert L.get_item(b.lib, iid).name == "dusk harbour"

    w = _window(qtbot, b.lib)
    w.open_session(sid)
    w.inspector.show_item(iid)
    qtbot.waitUntil(lambda: getattr(w.inspector, "conflict_box", None) is not None)
    box = w.inspector.conflict_box
    assert "Also edited on" in box.findChildren(type(w.inspector.title_label))[0].text()
    texts = [lbl.text() for lbl in box.findChildren(type(w.inspector.title_label))]
    assert "Name: dawn harbour" in texts
    SHOTS.mkdir(exist_ok=True)
    w.inspector.grab().save(str(SHOTS / "sync_conflict_inspector.png"))
    [use] = box.use_buttons.values()
    qtbot.mouseClick(use, Qt.LeftButton)
    qtbot.waitUntil(lambda: w.inspector.title_label.text() == "dawn harbour")
    qtbot.waitUntil(lambda: w.inspector.conflict_box is None)
    w.lib.undo()                                    # an ordinary edit (Ctrl+Z in the window)
    assert L.get_item(b.lib, iid).name == "dusk harbour"


def test_sync_dialog_sets_up_a_folder_and_starts_the_worker(make_lib, tmp_path, qtbot):
    lib = make_lib("solo")
    w = _window(qtbot, lib)
    assert w.sync is None and w.sync_label.text() == "Sync off"
    qtbot.mouseClick(w.sync_label, Qt.LeftButton)
    dialog = w.sync_status.dialog
    assert dialog is not None and dialog.isVisible()
    dialog.folder_radio.setChecked(True)
    dialog.folder_edit.setText(str(tmp_path / "nowhere" / "deeper"))
    qtbot.mouseClick(dialog.setup_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.setup_message.text().startswith("Not set up"), timeout=10000)
    assert w.sync is None

    target = tmp_path / "Dropbox-like"
    target.mkdir()
    dialog.folder_edit.setText(str(target))
    qtbot.mouseClick(dialog.setup_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: w.sync is not None, timeout=10000)
    assert (target / "FORMAT").exists()
    qtbot.waitUntil(lambda: w.sync_label.text().startswith("Synced"), timeout=15000)
    qtbot.waitUntil(lambda: dialog.summary.text().startswith("Synced"), timeout=5000)
    assert "This device" in dialog.details.text()
    qtbot.waitUntil(lambda: dialog.name_button.isEnabled())     # the name is read first
    dialog.name_edit.setText("Studio desktop")
    qtbot.mouseClick(dialog.name_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: "now called Studio desktop" in dialog.setup_message.text())
    w.sync.hint()                                    # the next round carries the name
    qtbot.waitUntil(lambda: "This device: Studio desktop" in dialog.details.text(),
                    timeout=15000)
    dialog.name_edit.setText("   ")
    qtbot.mouseClick(dialog.name_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: "Not renamed: A device name cannot be empty" in
                    dialog.setup_message.text())
    dialog.grab().save(str(SHOTS / "sync_dialog_device_name.png"))
    w.close()                                        # stops the worker it started
    assert w.sync._thread is None


def test_held_deletions_wait_in_the_dialog_until_applied(make_lib, tmp_path, qtbot):
    shared, a, b = two_devices(make_lib, tmp_path)
    ids = [L.create_session(a.lib, name=f"S{i}").created[0] for i in range(30)]
    sync_all(a, b)
    L.purge_sessions(a.lib, session_ids=ids[:20])
    a.sync()
    worker = SyncWorker(b.lib, FolderTarget(shared), interval_s=60, debounce_s=0.2)
    worker.start()
    try:
        w = _window(qtbot, b.lib, sync=worker)
        qtbot.waitUntil(lambda: "to confirm" in w.sync_label.text(), timeout=15000)
        assert "20 deletion(s)" in w.sync_label.text()
        dialog = w.sync_status.open_dialog()
        qtbot.waitUntil(lambda: dialog.held_box.isVisible())
        assert "would delete 20 of 30 sessions and items" in dialog.held_text.text()
        assert "--confirm-deletes" not in dialog.problems.text()
        assert L.count_sessions(b.lib) == 30
        SHOTS.mkdir(exist_ok=True)
        dialog.grab().save(str(SHOTS / "sync_dialog_held.png"))
        qtbot.mouseClick(dialog.confirm_button, Qt.LeftButton)
        qtbot.waitUntil(lambda: L.count_sessions(b.lib) == 10, timeout=15000)
        qtbot.waitUntil(lambda: not dialog.held_box.isVisible(), timeout=5000)
        dialog.close()
    finally:
        worker.stop()
