"""The minimal window: lists sessions and follows library changes from any thread."""

import threading

from sessionstudio import library as L
from sessionstudio.ui.main_window import MainWindow


def test_window_lists_sessions_and_follows_changes(qtbot, lib, tmp_path):
    L.create_session(lib, name="First")
    window = MainWindow(lib)
    qtbot.addWidget(window)
    window.show()
    assert window.model.rowCount() == 1
    worker = threading.Thread(target=lambda: L.create_session(lib, name="Second"))
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: window.model.rowCount() == 2, timeout=3000)
    assert window.model.index(0).data() == "Second"
    shot = tmp_path / "window.png"
    assert window.grab().save(str(shot))
    assert shot.stat().st_size > 1000
