"""File ▸ Watch folders… with a real watch service: a folder added in the dialog feeds the
open session, and files written into it appear in the canvas with their recipes."""

import pytest

from sessionstudio import library as L
from sessionstudio.library.watch_service import WatchService
from sessionstudio.media import add_png_text
from sessionstudio.ui.main_window import MainWindow
from sessionstudio.ui.watch_dialog import WatchFoldersDialog
from tests.mediafactory import make_png


@pytest.fixture
def watcher(lib):
    w = WatchService(lib, settle_seconds=0.2, debounce_seconds=0.1, max_delay_seconds=0.5)
    w.start()
    yield w
    w.stop()


def test_a_watched_folder_feeds_the_open_session(lib, qtbot, tmp_path, watcher):
    sid = L.create_session(lib, name="Comfy outputs").created[0]
    window = MainWindow(lib, watcher=watcher)
    qtbot.addWidget(window)
    window.show()
    assert window.sync_label.text() == "Sync off"
    inbox = tmp_path / "ComfyUI" / "output"
    inbox.mkdir(parents=True)
    dialog = WatchFoldersDialog(lib, window.tasks, session_id=sid, watcher=watcher, parent=window)
    qtbot.addWidget(dialog)
    dialog.add(str(inbox))
    qtbot.waitUntil(lambda: dialog.list.count() == 1)
    assert "Comfy outputs" in dialog.list.item(0).text()
    png = make_png(tmp_path / "raw.png", 64, 48)
    data = add_png_text(png.read_bytes(), {"parameters": "a neon koi pond\nSteps: 20, Seed: 42"})
    (inbox / "day1").mkdir()
    (inbox / "day1" / "ComfyUI_00001_.png").write_bytes(data)
    qtbot.waitUntil(lambda: window.canvas.visual.model.rowCount() == 1, timeout=10000)
    item = L.list_items(lib, session_id=sid)[0]
    assert item.prompt == "a neon koi pond" and item.seed == 42
    dialog.list.setCurrentRow(0)
    dialog.remove_selected()
    qtbot.waitUntil(lambda: dialog.list.count() == 0)
    window.close()


def test_without_an_open_session_adding_is_explained(lib, qtbot):
    from sessionstudio.ui.tasks import Tasks
    tasks = Tasks()
    dialog = WatchFoldersDialog(lib, tasks, session_id=None)
    qtbot.addWidget(dialog)
    assert not dialog.add_button.isEnabled() and "session" in dialog.add_button.toolTip()
    tasks.shutdown()   # its list read must end before the library closes
