"""The whole window on a real library: it reopens the last session, Ctrl+N, opening
sessions from the sidebar, imports, the viewer, undo/redo, and state that survives a
restart (geometry, splitters, filters). Screenshots land in screenshots/."""

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from sessionstudio import library as L
from sessionstudio.settings import Settings
from sessionstudio.ui.main_window import MainWindow
from PIL import Image, ImageDraw

from tests.mediafactory import make_png, make_wav

SHOTS = Path(__file__).resolve().parents[2] / "screenshots"


@pytest.fixture
def open_window(qtbot, lib):
    windows = []

    def make():
        w = MainWindow(lib)
        qtbot.addWidget(w)
        w.show()
        w.activateWindow()
        w.windowHandle().requestActivate()
        qtbot.wait(20)
        if QApplication.activeWindow() is not w:   # offscreen may ignore the request
            QApplication.setActiveWindow(w)        # shortcuts reach the active window only
        windows.append(w)
        return w

    yield make
    for w in windows:
        if w.isVisible():
            w.close()


def picture(path: Path, color=(200, 80, 60)) -> Path:
    """A 320x200 picture of one colour with a lighter disc, distinct per colour."""
    img = Image.new("RGB", (320, 200), color)
    ImageDraw.Draw(img).ellipse((110, 50, 210, 150), fill=tuple(min(255, c + 70) for c in color))
    img.save(path)
    return path


def visual_ids(window):
    m = window.canvas.visual.model
    return [m.id_at(r) for r in range(m.rowCount())]


def test_reopens_the_last_session_and_follows_other_threads(lib, open_window, qtbot):
    old = L.create_session(lib, name="Old one").created[0]
    L.create_session(lib, name="Newest")
    Settings(lib.paths.settings_path).set("last_session_id", old)
    w = open_window()
    assert w.current_session == old
    qtbot.waitUntil(lambda: w.windowTitle().startswith("Old one"))
    t = threading.Thread(target=lambda: L.rename_session(lib, session_id=old, name="Renamed"))
    t.start()
    t.join()
    qtbot.waitUntil(lambda: w.windowTitle().startswith("Renamed"))


def test_without_a_last_session_the_newest_opens(lib, open_window):
    L.create_session(lib, name="Older")
    newest = L.create_session(lib, name="Newest").created[0]
    assert open_window().current_session == newest


def test_ctrl_n_creates_and_opens_a_session(lib, open_window, qtbot):
    w = open_window()
    assert w.current_session is None
    qtbot.keyClick(QApplication.focusWidget() or w, Qt.Key_N, Qt.ControlModifier)
    qtbot.waitUntil(lambda: w.current_session is not None)
    assert [s.id for s in L.list_sessions(lib)] == [w.current_session]
    qtbot.waitUntil(lambda: w.sidebar.model.index_for_session(w.current_session).isValid())


def test_sidebar_double_click_opens_a_session_in_the_canvas(lib, open_window, qtbot, tmp_path):
    a = L.create_session(lib, name="Alpha").created[0]
    b = L.create_session(lib, name="Beta").created[0]
    item = L.add_item(lib, session_id=a, source=make_png(tmp_path / "a.png")).created[0]
    w = open_window()
    assert w.current_session == b
    assert visual_ids(w) == []
    tree = w.sidebar.tree
    qtbot.waitUntil(lambda: w.sidebar.model.index_for_session(a).isValid())
    idx = w.sidebar.model.index_for_session(a)
    tree.scrollTo(idx)
    centre = tree.visualRect(idx).center()
    qtbot.mouseClick(tree.viewport(), Qt.LeftButton, pos=centre)
    assert w.current_session == b                  # a single click only selects
    qtbot.mouseDClick(tree.viewport(), Qt.LeftButton, pos=centre)
    qtbot.waitUntil(lambda: w.current_session == a)
    qtbot.waitUntil(lambda: visual_ids(w) == [item])
    assert Settings(lib.paths.settings_path).get("last_session_id") == a


def test_import_then_undo_and_redo_from_the_edit_menu(lib, open_window, qtbot, tmp_path):
    sid = L.create_session(lib, name="Drops").created[0]
    w = open_window()
    w.import_files([str(make_png(tmp_path / "one.png")), str(tmp_path / "missing.png"),
                    str(make_wav(tmp_path / "two.wav"))])
    qtbot.waitUntil(lambda: len(visual_ids(w)) == 1 and w.canvas.audio.model.rowCount() == 1)
    qtbot.waitUntil(lambda: "Imported 2 files" in w.statusBar().currentMessage())
    assert "missing.png" in w.statusBar().currentMessage()
    assert w.act_undo.isEnabled() and w.act_undo.text().startswith("Undo ")
    w.act_undo.trigger()
    qtbot.waitUntil(lambda: w.canvas.audio.model.rowCount() == 0)
    assert len(L.list_items(lib, session_id=sid)) == 1
    qtbot.keyClick(QApplication.focusWidget() or w, Qt.Key_Z, Qt.ControlModifier | Qt.ShiftModifier)
    qtbot.waitUntil(lambda: w.canvas.audio.model.rowCount() == 1)


def test_opening_an_item_shows_the_viewer_and_arrows_walk_the_pane(lib, open_window, qtbot,
                                                                   tmp_path):
    sid = L.create_session(lib, name="Viewer").created[0]
    first = L.add_item(lib, session_id=sid, source=make_png(tmp_path / "1.png")).created[0]
    second = L.add_item(lib, session_id=sid,
                        source=picture(tmp_path / "2.png", (0, 90, 200))).created[0]
    L.add_item(lib, session_id=sid, source=make_wav(tmp_path / "t.wav"))
    w = open_window()
    qtbot.waitUntil(lambda: len(visual_ids(w)) == 2)
    w.canvas.sig_item_open_requested.emit(second)
    qtbot.waitUntil(lambda: w.stack.currentWidget() is w.viewer)
    assert w.viewer.current_item_id() == second
    w.viewer.next_item()
    qtbot.waitUntil(lambda: w.viewer.current_item_id() == first)   # the track is not in the walk
    qtbot.waitUntil(lambda: w.inspector.current_item_id() == first)
    w.viewer.sig_close_requested.emit()
    assert w.stack.currentWidget() is w.canvas


def test_layout_filters_and_splitters_survive_a_restart(lib, open_window, qtbot, tmp_path):
    sid = L.create_session(lib, name="Layout").created[0]
    L.add_item(lib, session_id=sid, source=make_png(tmp_path / "p.png"))
    w = open_window()
    for dock in (w.inspector_dock, w.agent_dock, w.jobs_dock):
        dock.hide()
    w.resize(780, 560)
    w.splitter.setSizes([230, 300])
    w.canvas.chips.button("image").click()
    qtbot.waitUntil(lambda: L.get_session(lib, sid).settings.get("filters") == ["image"])
    sizes, size = w.splitter.sizes(), w.size()
    w.close()

    again = open_window()
    assert again.current_session == sid
    # restoreGeometry keeps a window on its screen (the offscreen one is 800 px wide).
    expected = size.boundedTo(again.screen().availableGeometry().size())
    assert abs(again.width() - expected.width()) <= 2 and again.height() == expected.height()
    assert again.splitter.sizes()[0] == sizes[0]      # the sidebar keeps its width
    assert not again.inspector_dock.isVisible() and not again.agent_dock.isVisible()
    assert again.canvas.chips.kinds() == ["image"]
    assert not again.canvas.audio.isVisible()


def test_screenshot_of_a_full_window(lib, open_window, qtbot, tmp_path):
    L.create_session(lib, name="Portraits")
    sid = L.create_session(lib, name="Neon harbour at dusk").created[0]
    colours = [(220, 80, 60), (40, 120, 200), (250, 190, 40), (90, 170, 90), (150, 70, 180)]
    for n, colour in enumerate(colours):
        L.add_item(lib, session_id=sid, source=picture(tmp_path / f"{n}.png", colour),
                   prompt=f"A harbour scene number {n}, neon lights, wet streets")
    L.add_item(lib, session_id=sid, source=make_wav(tmp_path / "theme.wav", seconds=3.0),
               prompt="Calm synth theme")
    w = open_window()
    w.resize(1400, 860)
    qtbot.waitUntil(lambda: len(visual_ids(w)) == 5)
    first = visual_ids(w)[0]
    w.canvas.select([first])
    qtbot.waitUntil(lambda: w.inspector.current_item_id() == first)
    lib.thumbnailer.wait()
    qtbot.wait(300)
    SHOTS.mkdir(exist_ok=True)
    grid = w.canvas.visual.view
    tiles = [grid.visualRect(grid.model().index(r)) for r in range(5)]
    columns = len({t.x() for t in tiles})
    assert columns == max(1, (grid.viewport().width() - 2) // grid.gridSize().width()) >= 2
    image = w.grab().toImage()
    assert image.save(str(SHOTS / "window_full.png"))
    # The grid painted real thumbnails, not placeholders: the first tile holds its colour.
    rect = grid.visualRect(grid.model().index(0))
    centre = grid.viewport().mapTo(w, rect.center() - QPoint(0, 10))
    pixel = image.pixelColor(centre)
    assert (pixel.red(), pixel.green(), pixel.blue()) != (0, 0, 0)


def test_f2_renames_and_delete_trashes_the_selected_tile(lib, open_window, qtbot, tmp_path,
                                                       monkeypatch):
    from PySide6.QtWidgets import QInputDialog
    sid = L.create_session(lib, name="Keys").created[0]
    item = L.add_item(lib, session_id=sid, source=make_png(tmp_path / "k.png")).created[0]
    w = open_window()
    qtbot.waitUntil(lambda: visual_ids(w) == [item])
    w.canvas.select([item])
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("Harbour lights", True)))
    grid = w.canvas.visual.view
    qtbot.keyClick(grid, Qt.Key_F2)
    qtbot.waitUntil(lambda: L.get_item(lib, item).name == "Harbour lights")
    qtbot.keyClick(grid, Qt.Key_Delete)
    qtbot.waitUntil(lambda: visual_ids(w) == [])
    assert L.get_item(lib, item).trashed_at is not None
    w.act_undo.trigger()
    qtbot.waitUntil(lambda: visual_ids(w) == [item])


def test_download_asks_for_an_audio_format_and_remembers_it(lib, open_window, qtbot, tmp_path,
                                                           monkeypatch):
    from PySide6.QtWidgets import QFileDialog, QInputDialog
    sid = L.create_session(lib, name="Audio").created[0]
    track = L.add_item(lib, session_id=sid, source=make_wav(tmp_path / "song.wav")).created[0]
    w = open_window()
    out = tmp_path / "downloads"
    out.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: str(out)))
    asked = []
    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(
        lambda *a, **k: (asked.append(a[3][a[4]]) or "MP3", True)))
    w.download([track])
    qtbot.waitUntil(lambda: len(list(out.glob("[!.]*.mp3"))) == 1, timeout=10000)
    w.download([track])
    qtbot.waitUntil(lambda: len(list(out.glob("[!.]*.mp3"))) == 2, timeout=10000)
    assert asked == ["WAV (as stored)", "MP3"]          # the second time it starts from MP3


def test_closing_stops_the_thumbnailer_it_made_and_keeps_one_it_was_given(lib, open_window,
                                                                         make_lib):
    """Thumbnail decodes must end before the library may close; one the app passed in is
    the app's to close."""
    from sessionstudio.library.thumbnails import Thumbnailer
    w = open_window()
    made = lib.thumbnailer
    w.close()
    assert made.closed and made._pool._shutdown
    w2 = open_window()                       # a new window makes a new one
    assert lib.thumbnailer is not made and not lib.thumbnailer.closed
    w2.close()
    other = make_lib("other")
    given = other.thumbnailer = Thumbnailer(other.store, other.paths.thumbs_dir,
                                            other.paths.waveforms_dir)
    w3 = MainWindow(other)
    w3.close()
    assert other.thumbnailer is given and not given.closed
    given.close()
