"""The artboard page on a real library with real widgets (offscreen): a board with
pictures, a video, a track and a note; dragging with the mouse is one move in the
catalog and one undo; resize handles; zoom; notes edited in place; z-order and removal
from the context menu; items trashed elsewhere turn into placeholders; screenshot."""

from pathlib import Path
from types import SimpleNamespace

import pytest
from PIL import Image, ImageDraw
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from sessionstudio import library as L
from sessionstudio.library.thumbnails import Thumbnailer
from sessionstudio.ui.bridge import LibraryBridge
from sessionstudio.ui.tasks import Tasks
from sessionstudio.ui.thumbs import ThumbnailProvider
from sessionstudio.ui.views.artboard_items import NoteItem, PictureItem, TrackItem
from sessionstudio.ui.views.artboard_page import ArtboardPage
from tests.mediafactory import make_mp4, make_wav

SHOTS = Path(__file__).resolve().parents[2] / "screenshots"


def picture(path: Path, size, colour) -> Path:
    img = Image.new("RGB", size, colour)
    w, h = size
    ImageDraw.Draw(img).ellipse((w * 0.3, h * 0.25, w * 0.7, h * 0.75),
                                fill=tuple(min(255, c + 60) for c in colour))
    img.save(path)
    return path


@pytest.fixture
def env(qtbot, lib, session_id, tmp_path):
    thumbnailer = Thumbnailer(lib.store, lib.paths.thumbs_dir, lib.paths.waveforms_dir)
    lib.thumbnailer = thumbnailer
    bridge, tasks = LibraryBridge(lib), Tasks()
    thumbs = ThumbnailProvider(thumbnailer)

    def add(path, **kw):
        return L.add_item(lib, session_id=session_id, source=path, **kw).created[0]
    ids = SimpleNamespace(
        coral=add(picture(tmp_path / "coral.png", (480, 320), (232, 96, 76)), name="Coral reef"),
        sea=add(picture(tmp_path / "sea.png", (300, 400), (40, 110, 200)), name="Open sea"),
        video=add(make_mp4(tmp_path / "waves.mp4", seconds=1.0), name="Waves"),
        track=add(make_wav(tmp_path / "tide.wav", seconds=1.0), kind="music", name="Tide theme"))
    board = L.create_artboard(lib, name="Ocean moodboard",
                              item_ids=[ids.coral, ids.sea, ids.video]).created[0]
    L.add_to_artboard(lib, artboard_id=board, item_ids=[ids.track], at=(0, 270))
    L.add_note(lib, artboard_id=board, text="Deep blues with one warm accent. "
               "Waves loop under the tide theme.", x=340, y=270, w=240, h=130)
    thumbnailer.wait()
    page = ArtboardPage(lib, tasks, bridge, thumbs)
    qtbot.addWidget(page)
    page.resize(1100, 640)
    page.show()
    page.open_board(board)
    qtbot.waitUntil(lambda: len(page.scene.element_items()) == 5, timeout=5000)
    yield SimpleNamespace(lib=lib, page=page, board=board, ids=ids, tasks=tasks, bridge=bridge,
                          qtbot=qtbot)
    page.stop_playback()
    page.close()
    tasks.shutdown()
    thumbs.shutdown()
    thumbnailer.close()
    bridge.detach()


def item_of(page, item_id):
    return next(i for i in page.scene.element_items() if i.element.item_id == item_id)


def rect_of(lib, board, element_id):
    return next(e.rect for e in L.get_artboard(lib, board).elements if e.id == element_id)


def to_view(page, scene_point) -> QPoint:
    return page.view.mapFromScene(scene_point)


def test_board_shows_every_kind_of_element(env):
    kinds = sorted(type(i).__name__ for i in env.page.scene.element_items())
    assert kinds == ["NoteItem", "PictureItem", "PictureItem", "PictureItem", "TrackItem"]
    assert env.page.title.text() == "Ocean moodboard"
    assert env.page.count_label.text() == "5 elements"
    env.qtbot.waitUntil(lambda: all(i.pixmap is not None for i in env.page.scene.element_items()
                                    if isinstance(i, PictureItem)), timeout=5000)
    track = next(i for i in env.page.scene.element_items() if isinstance(i, TrackItem))
    env.qtbot.waitUntil(lambda: track.peaks is not None, timeout=5000)


def test_drag_moves_the_selection_as_one_step_and_ctrl_z_undoes(env):
    page, qtbot, lib = env.page, env.qtbot, env.lib
    coral, sea = item_of(page, env.ids.coral), item_of(page, env.ids.sea)
    before = {i.element_id: rect_of(lib, env.board, i.element_id) for i in (coral, sea)}
    coral.setSelected(True)
    sea.setSelected(True)
    start = to_view(page, coral.scene_rect().center())
    end = start + QPoint(60, 40)
    vp = page.view.viewport()
    qtbot.mousePress(vp, Qt.LeftButton, Qt.ControlModifier, start)   # Ctrl keeps the selection
    for n in range(1, 6):
        qtbot.mouseMove(vp, start + (end - start) * n / 5)
    qtbot.mouseRelease(vp, Qt.LeftButton, Qt.NoModifier, end)
    dz = 1 / page.view.zoom()
    qtbot.waitUntil(lambda: rect_of(lib, env.board, coral.element_id) != before[coral.element_id])
    for item in (coral, sea):
        x, y, *_ = rect_of(lib, env.board, item.element_id)
        bx, by, *_ = before[item.element_id]
        assert abs(x - bx - 60 * dz) <= 2 * dz and abs(y - by - 40 * dz) <= 2 * dz
    assert lib.undo_label() == "Move on board (2)"

    # Ctrl+Z is the window's undo: here a shortcut wired the same way main_window does.
    from PySide6.QtGui import QAction, QKeySequence
    undo = QAction(page)
    undo.setShortcut(QKeySequence.Undo)
    undo.setShortcutContext(Qt.WindowShortcut)
    undo.triggered.connect(lambda: env.tasks.write(lib.undo))
    page.addAction(undo)
    page.activateWindow()
    QApplication.setActiveWindow(page)
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key_Z, Qt.ControlModifier)
    qtbot.waitUntil(lambda: coral.pos() == QPointF(*before[coral.element_id][:2]), timeout=5000)
    assert rect_of(lib, env.board, sea.element_id) == before[sea.element_id]
    assert sea.pos() == QPointF(*before[sea.element_id][:2])


def test_corner_handle_resizes_keeping_the_aspect(env):
    page, qtbot, lib = env.page, env.qtbot, env.lib
    coral = item_of(page, env.ids.coral)
    page.scene.clearSelection()
    coral.setSelected(True)
    x, y, w, h = coral.element.rect
    corner = to_view(page, QPointF(x + w, y + h))
    vp = page.view.viewport()
    qtbot.mousePress(vp, Qt.LeftButton, Qt.NoModifier, corner)
    qtbot.mouseMove(vp, corner + QPoint(30, 5))
    qtbot.mouseMove(vp, corner + QPoint(60, 10))
    qtbot.mouseRelease(vp, Qt.LeftButton, Qt.NoModifier, corner + QPoint(60, 10))
    qtbot.waitUntil(lambda: rect_of(lib, env.board, coral.element_id)[2] > w)
    nx, ny, nw, nh = rect_of(lib, env.board, coral.element_id)
    assert (nx, ny) == (x, y) and abs(nw / nh - w / h) < 0.02
    assert lib.undo_label() == "Resize on board"


def test_zoom_with_ctrl_wheel_and_buttons(env):
    page, qtbot = env.page, env.qtbot
    fitted = page.view.zoom()
    sea = item_of(page, env.ids.sea)           # 180x240 on the board, 300x400 in its file
    qtbot.waitUntil(lambda: sea.resolution == 256, timeout=5000)     # the thumbnail is enough
    assert 0.2 < fitted <= 1.0
    page.zoom_in_button.click()
    assert page.view.zoom() == pytest.approx(fitted * 1.25)
    assert page.zoom_button.text() == f"{fitted * 125:.0f} %"
    from PySide6.QtCore import QPointF as P
    from PySide6.QtGui import QWheelEvent
    vp = page.view.viewport()
    centre = P(vp.width() / 2, vp.height() / 2)
    wheel = QWheelEvent(centre, P(vp.mapToGlobal(centre.toPoint())), QPoint(0, 0), QPoint(0, 240),
                        Qt.NoButton, Qt.ControlModifier, Qt.NoScrollPhase, False)
    QApplication.sendEvent(vp, wheel)
    assert page.view.zoom() == pytest.approx(fitted * 1.25 * 1.0015 ** 240, rel=1e-3)
    page.view.set_zoom(100)
    assert page.view.zoom() == pytest.approx(8.0)
    # Shown 240 px tall at 800 %: decoded again off the GUI thread, up to the original's 400 px.
    qtbot.waitUntil(lambda: sea.resolution == 400, timeout=5000)
    page.fit_button.click()
    assert page.view.zoom() == pytest.approx(fitted, rel=1e-3)


def test_note_edit_z_order_and_remove(env):
    page, qtbot, lib, scene = env.page, env.qtbot, env.lib, env.page.scene
    note = next(i for i in scene.element_items() if isinstance(i, NoteItem))
    centre = to_view(page, note.scene_rect().center())
    qtbot.mouseDClick(page.view.viewport(), Qt.LeftButton, Qt.NoModifier, centre)
    qtbot.mouseRelease(page.view.viewport(), Qt.LeftButton, Qt.NoModifier, centre)  # QTest's dclick leaves it down
    assert note.editing and page.scene.mouseGrabberItem() is None
    qtbot.keyClicks(page.view, " More foam!")
    note.text_item.clearFocus()
    qtbot.waitUntil(lambda: L.get_artboard(lib, env.board).elements[-1].text.endswith("More foam!"))
    assert not note.editing

    coral = item_of(page, env.ids.coral)
    menu = scene.build_menu(coral, coral.scene_rect().center())
    actions = {a.text(): a for a in menu.actions() if not a.isSeparator()}
    assert list(actions) == ["Bring to front", "Send to back", "Remove from board"]
    actions["Bring to front"].trigger()
    qtbot.waitUntil(lambda: L.get_artboard(lib, env.board).elements[-1].id == coral.element_id)
    qtbot.waitUntil(lambda: coral.zValue() == max(i.zValue() for i in scene.element_items()))
    actions["Remove from board"].trigger()
    qtbot.waitUntil(lambda: len(scene.element_items()) == 4)
    assert L.get_item(lib, env.ids.coral).trashed_at is None
    empty = scene.build_menu(None, QPointF(900, 900))
    assert [a.text() for a in empty.actions()] == ["Add note here"]
    page.add_note()
    qtbot.waitUntil(lambda: len(scene.element_items()) == 5)
    qtbot.waitUntil(lambda: scene.editing())


def test_trashed_item_shows_a_placeholder_then_comes_back(env):
    page, qtbot, lib = env.page, env.qtbot, env.lib
    sea = item_of(page, env.ids.sea)
    L.trash_items(lib, item_ids=[env.ids.sea])
    qtbot.waitUntil(lambda: sea.element.status == "trashed")
    L.restore_items(lib, item_ids=[env.ids.sea])
    qtbot.waitUntil(lambda: sea.element.status == "ok")
    assert item_of(page, env.ids.sea) is sea            # updated in place, not rebuilt


def test_track_and_video_play_in_place(env):
    page, qtbot = env.page, env.qtbot
    track = next(i for i in page.scene.element_items() if isinstance(i, TrackItem))
    button = track.mapToScene(track.play_rect().center())
    qtbot.mouseClick(page.view.viewport(), Qt.LeftButton, Qt.NoModifier, to_view(page, button))
    assert page.scene.playback.current is track
    qtbot.waitUntil(lambda: track.progress is not None and track.progress > 0, timeout=5000)
    video = item_of(page, env.ids.video)
    qtbot.mouseClick(page.view.viewport(), Qt.LeftButton, Qt.NoModifier,
                     to_view(page, video.mapToScene(video.play_rect().center())))
    assert page.scene.playback.current is video and track.progress is None   # one at a time
    assert page.scene.playback.video.parentItem() is video
    qtbot.waitUntil(lambda: video.progress is not None and video.progress > 0, timeout=5000)
    page.stop_playback()
    assert video.progress is None and page.scene.playback.video.scene() is None


def test_screenshot(env):
    page, qtbot = env.page, env.qtbot
    page.resize(1200, 700)
    page.view.fit_to_content()
    note = next(i for i in page.scene.element_items() if isinstance(i, NoteItem))
    note.setSelected(True)
    qtbot.waitUntil(lambda: all(i.pixmap is not None for i in page.scene.element_items()
                                if isinstance(i, PictureItem)), timeout=5000)
    qtbot.wait(100)
    SHOTS.mkdir(exist_ok=True)
    image = page.grab().toImage()
    assert image.save(str(SHOTS / "artboard_view.png"))
    coral = item_of(page, env.ids.coral)
    centre = page.view.mapTo(page, to_view(page, coral.scene_rect().topLeft() + QPointF(20, 20)))
    assert image.pixelColor(centre).red() > 180               # the picture, painted
    assert QColor(image.pixelColor(5, image.height() - 5)).lightness() > 200   # the light board
    dest = SHOTS.parent / "screenshots" / "artboard_page_export.png"
    with qtbot.waitSignal(page.sig_message, timeout=10000) as message:
        page.export_to(dest)                   # the same Pillow export as the CLI, off-thread
    assert message.args == [f"Exported the board to {dest}"]
    assert Image.open(dest).size[0] > 500
    dest.unlink()


def test_sidebar_list_follows_boards_renames_trashes_and_restores(env):
    from sessionstudio.ui.views.artboard_list import ArtboardList
    qtbot, lib = env.qtbot, env.lib
    listing = ArtboardList(lib, env.tasks, env.bridge)
    qtbot.addWidget(listing)
    listing.show()
    names = lambda: [listing.model.index(r).data() for r in range(listing.model.rowCount())]  # noqa: E731
    qtbot.waitUntil(lambda: names() == ["Ocean moodboard"])
    with qtbot.waitSignal(listing.sig_artboard_open_requested) as opened:
        listing.new_button.click()
    qtbot.waitUntil(lambda: names() == ["New board", "Ocean moodboard"])   # newest first
    qtbot.waitUntil(lambda: listing.list.state() == listing.list.State.EditingState)  # named in place
    new_id = opened.args[0]
    inserted = []
    listing.model.rowsInserted.connect(lambda *a: inserted.append(a))
    from PySide6.QtWidgets import QLineEdit
    editor = listing.list.findChild(QLineEdit)
    editor.setText("Faces")
    qtbot.keyClick(editor, Qt.Key_Return)
    qtbot.waitUntil(lambda: names() == ["Faces", "Ocean moodboard"])   # the editor commits queued
    qtbot.waitUntil(lambda: L.get_artboard(lib, new_id).name == "Faces")
    assert inserted == []                                          # renamed in place
    for name in ("Portraits", "Faces"):                            # and straight back again
        assert listing.model.setData(listing.model.index(0), name)
    qtbot.waitUntil(lambda: L.get_artboard(lib, new_id).name == "Faces"
                    and L.list_artboards(lib)[0].name == "Faces")
    qtbot.waitUntil(lambda: names() == ["Faces", "Ocean moodboard"])
    listing.list.setCurrentIndex(listing.model.index(0))
    qtbot.keyClick(listing.list, Qt.Key_Delete)
    qtbot.waitUntil(lambda: names() == ["Ocean moodboard"])
    assert L.list_artboards(lib, trashed=True)[0].id == new_id
    listing.set_trash_mode(True)
    qtbot.waitUntil(lambda: names() == ["Faces"])
    assert [a.text() for a in listing.build_menu(listing.model.index(0)).actions()] == [
        "Restore", "Delete permanently…"]
    listing.list.setCurrentIndex(listing.model.index(0))
    listing.restore_selected()
    qtbot.waitUntil(lambda: names() == [])
    assert listing.empty_label.isVisibleTo(listing)
    listing.set_trash_mode(False)
    qtbot.waitUntil(lambda: names() == ["Faces", "Ocean moodboard"])


def test_window_adds_to_a_new_board_opens_it_and_undoes_a_drag(lib, session_id, qtbot, tmp_path,
                                                                monkeypatch):
    from PySide6.QtWidgets import QInputDialog
    from sessionstudio.ui.main_window import MainWindow
    first = L.add_item(lib, session_id=session_id,
                       source=picture(tmp_path / "a.png", (320, 200), (230, 120, 40))).created[0]
    second = L.add_item(lib, session_id=session_id,
                        source=picture(tmp_path / "b.png", (200, 320), (60, 160, 120))).created[0]
    w = MainWindow(lib)
    qtbot.addWidget(w)
    w.show()
    if QApplication.activeWindow() is not w:
        QApplication.setActiveWindow(w)                  # shortcuts reach the active window only
    qtbot.waitUntil(lambda: w.canvas.visual.model.rowCount() == 2)
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("Harbour", True)))
    boards = next(a for a in w.canvas.more_menu_for(first).actions() if a.text() == "Add to Artboard")
    boards.menu().actions()[-1].trigger()                 # "New board…"
    qtbot.waitUntil(lambda: [(b.name, b.element_count) for b in L.list_artboards(lib)] == [("Harbour", 1)])
    board = L.list_artboards(lib)[0].id
    qtbot.waitUntil(lambda: w.artboards.choices() == [(board, "Harbour")])
    w.viewer.sig_add_to_artboard_requested.emit([second], board)   # the viewer's menu, routed
    qtbot.waitUntil(lambda: L.list_artboards(lib)[0].element_count == 2)

    listing = w.sidebar.artboards
    qtbot.waitUntil(lambda: listing.model.rowCount() == 1)
    rect = listing.list.visualRect(listing.model.index(0))
    qtbot.mouseClick(listing.list.viewport(), Qt.LeftButton, Qt.NoModifier, rect.center())
    qtbot.mouseDClick(listing.list.viewport(), Qt.LeftButton, Qt.NoModifier, rect.center())
    page = w.artboards.page
    qtbot.waitUntil(lambda: w.stack.currentWidget() is page and len(page.scene.element_items()) == 2)
    item = item_of(page, first)
    before = rect_of(lib, board, item.element_id)
    start = to_view(page, item.scene_rect().center())
    vp = page.view.viewport()
    qtbot.mousePress(vp, Qt.LeftButton, Qt.NoModifier, start)
    qtbot.mouseMove(vp, start + QPoint(40, 60))
    qtbot.mouseRelease(vp, Qt.LeftButton, Qt.NoModifier, start + QPoint(40, 60))
    qtbot.waitUntil(lambda: rect_of(lib, board, item.element_id) != before)
    qtbot.waitUntil(lambda: w.act_undo.text() == "Undo Move on board")
    qtbot.keyClick(page.view, Qt.Key_Z, Qt.ControlModifier)
    qtbot.waitUntil(lambda: rect_of(lib, board, item.element_id) == before)
    qtbot.waitUntil(lambda: item.pos() == QPointF(*before[:2]))
    w.resize(1400, 820)
    qtbot.wait(200)
    SHOTS.mkdir(exist_ok=True)
    assert w.grab().save(str(SHOTS / "artboard_window.png"))
    w.open_session(session_id)                            # a session brings the canvas back
    assert w.stack.currentWidget() is w.canvas
    w.close()


def test_a_reload_on_its_way_does_not_snap_a_moved_element_back(env, monkeypatch):
    """A board read that started before a drag lands while the move is still being written:
    the element stays where it was dropped."""
    import threading
    import time
    page, qtbot, lib = env.page, env.qtbot, env.lib
    coral = item_of(page, env.ids.coral)
    before = QPointF(coral.pos())
    real_get, real_move, landed, written = L.get_artboard, L.move_elements, threading.Event(), []

    def held_get(*a, **kw):
        board = real_get(*a, **kw)
        if not landed.is_set():
            time.sleep(0.3)
            landed.set()
        return board

    def slow_move(*a, **kw):
        time.sleep(2.5)                        # the move is still being written
        written.append(1)
        return real_move(*a, **kw)
    monkeypatch.setattr(L, "get_artboard", held_get)
    monkeypatch.setattr(L, "move_elements", slow_move)
    page.scene.reload()                        # reads the board as it is now, then waits
    time.sleep(0.05)
    page.scene.clearSelection()
    start = to_view(page, coral.scene_rect().center())
    vp = page.view.viewport()
    qtbot.mousePress(vp, Qt.LeftButton, Qt.NoModifier, start)
    for n in range(1, 6):
        qtbot.mouseMove(vp, start + QPoint(12 * n, 8 * n))
    qtbot.mouseRelease(vp, Qt.LeftButton, Qt.NoModifier, start + QPoint(60, 40))
    moved = QPointF(coral.pos())
    assert moved != before
    assert landed.wait(5)
    qtbot.wait(150)                            # the old read is delivered; the write is not done
    assert not written and coral.pos() == moved
    qtbot.waitUntil(lambda: len(written) == 1, timeout=5000)
    qtbot.waitUntil(lambda: rect_of(lib, env.board, coral.element_id)[:2] == (moved.x(), moved.y()))
    assert coral.pos() == moved
