"""The media canvas on a real library: panes by kind, filters remembered per session,
splitter state, Use menus, live updates without resets, trash/favorite, drops, audio
playback, a 10,000-item grid that fetches lazily, and screenshots."""

import json
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QMimeData, QPoint, QPointF, QRect, Qt, QUrl
from PySide6.QtGui import (QColor, QDragEnterEvent, QDropEvent, QHelpEvent, QMouseEvent, QPainter,
                           QPalette)
from PySide6.QtMultimedia import QMediaFormat
from PySide6.QtWidgets import QApplication, QToolTip

from sessionstudio import library as L
from sessionstudio.core.ids import now_ms, uuid7
from sessionstudio.library.bulk import ITEM_COLUMNS, bulk_insert
from sessionstudio.library.thumbnails import Thumbnailer
from sessionstudio.ui.bridge import LibraryBridge
from sessionstudio.ui.tasks import Tasks
from sessionstudio.ui.thumbs import ThumbnailProvider
from sessionstudio.ui.views.canvas import EMPTY_TEXT, MediaCanvas
from sessionstudio.ui.views.visual_pane import VisualPane
from tests.mediafactory import make_mp4, make_png, make_wav, write_wav

SHOTS = Path(__file__).resolve().parents[2] / "screenshots"

USE_TITLES = {
    "image": ["Edit Image", "Recreate", "Upscale", "Generate Video", "Create Avatar",
              "Generate Music", "Use with AI Agent"],
    "video": ["Edit Video", "Recreate", "Upscale", "Generate Video", "Create Lip-Sync",
              "Translate Video", "Extend Video", "Create Avatar", "Use with AI Agent"],
    "music": ["Remix"],
    "voiceover": ["Recreate", "Generate Video", "Create Lip-Sync", "Create Avatar"],
}


@pytest.fixture
def env(qtbot, lib):
    thumbnailer = Thumbnailer(lib.store, lib.paths.thumbs_dir, lib.paths.waveforms_dir)
    lib.thumbnailer = thumbnailer            # before the bridge, which listens to it
    bridge = LibraryBridge(lib)
    tasks = Tasks()
    thumbs = ThumbnailProvider(thumbnailer)
    made = []

    def canvas(session_id=None, size=(1100, 640)):
        c = MediaCanvas(lib, tasks, bridge, thumbs)
        qtbot.addWidget(c)
        made.append(c)
        c.resize(*size)
        if session_id is not None:
            c.open_session(session_id)
        return c

    yield SimpleNamespace(lib=lib, tasks=tasks, bridge=bridge, thumbs=thumbs, canvas=canvas)
    for c in made:
        c.audio.stop()
        c.close()
    tasks.shutdown()
    thumbs.shutdown()
    thumbnailer.close()
    bridge.detach()


def add(lib, session_id, path, kind=None, **kw) -> str:
    return L.add_item(lib, session_id=session_id, source=path, kind=kind, **kw).created[0]


@pytest.fixture
def media(lib, session_id, tmp_path):
    """One item of each kind (plus a second image), oldest first."""
    ids = SimpleNamespace()
    ids.image = add(lib, session_id, make_png(tmp_path / "sunrise.png", 96, 64), prompt="A sunrise")
    ids.image2 = add(lib, session_id, make_png(tmp_path / "portrait.png", 48, 80))
    ids.video = add(lib, session_id, make_mp4(tmp_path / "clip.mp4", seconds=1.0))
    ids.music = add(lib, session_id, make_wav(tmp_path / "theme.wav", seconds=0.5), kind="music")
    ids.voice = add(lib, session_id, make_wav(tmp_path / "hello.wav", 0.5, freq=220), kind="voiceover")
    lib.thumbnailer.wait()
    return ids


def test_visual_kinds_left_audio_kinds_right(env, session_id, media):
    canvas = env.canvas(session_id)
    assert set(canvas.visual.model.ids()) == {media.image, media.image2, media.video}
    assert set(canvas.audio.model.ids()) == {media.music, media.voice}
    assert canvas.visual.model.ids()[0] == media.video            # newest first
    assert canvas.splitter.widget(0) is canvas.visual and canvas.splitter.widget(1) is canvas.audio
    assert canvas.stack.currentWidget() is canvas.splitter
    assert canvas.current_session_id() == session_id


def test_empty_session_shows_empty_state(env, session_id):
    canvas = env.canvas(session_id)
    assert canvas.stack.currentWidget() is canvas.empty_label
    assert canvas.empty_label.text() == EMPTY_TEXT


def test_filters_hide_panes_and_are_remembered_per_session(env, lib, session_id, media, qtbot):
    other = L.create_session(lib, name="Other").created[0]
    canvas = env.canvas(session_id)
    canvas.show()
    qtbot.mouseClick(canvas.chips.button("music"), Qt.LeftButton)
    assert canvas.chips.kinds() == ["music"]
    assert canvas.focusProxy() is canvas.audio.view
    assert canvas.visual.isHidden() and not canvas.audio.isHidden()
    assert canvas.audio.model.ids() == [media.music]
    canvas.chips.set_kinds(["image", "video"])
    assert canvas.audio.isHidden() and not canvas.visual.isHidden()
    qtbot.waitUntil(lambda: L.get_session(lib, session_id).settings.get("filters") == ["image", "video"])
    canvas.open_session(other)                  # the other session is unfiltered
    assert canvas.chips.kinds() == [] and not canvas.visual.isHidden() and not canvas.audio.isHidden()
    canvas.open_session(session_id)             # back: its filter returns
    assert canvas.chips.kinds() == ["image", "video"] and canvas.audio.isHidden()
    again = env.canvas(session_id)              # and in a new canvas
    assert again.chips.kinds() == ["image", "video"] and again.audio.isHidden() and not again.visual.isHidden()
    canvas.chips.set_kinds([])
    assert not canvas.visual.isHidden() and not canvas.audio.isHidden()


def test_splitter_state_restores_in_new_canvas(env, session_id, media, qtbot):
    canvas = env.canvas(session_id)
    canvas.show()
    qtbot.waitExposed(canvas)
    before = canvas.splitter.sizes()
    canvas.splitter.moveSplitter(300, 1)
    moved = canvas.splitter.sizes()
    assert moved != before and abs(moved[0] - 300) <= 2
    state = canvas.splitter_state()
    fresh = env.canvas(session_id)
    assert fresh.restore_splitter_state(state)
    fresh.show()
    qtbot.waitExposed(fresh)
    assert fresh.splitter.sizes() == moved
    assert not fresh.visual.isHidden() and not fresh.audio.isHidden()


@pytest.mark.parametrize("kind", ["image", "video", "music", "voiceover"])
def test_use_menu_lists_the_kinds_actions_disabled_with_reasons(env, session_id, media, kind):
    canvas = env.canvas(session_id)
    item_id = {"image": media.image, "video": media.video, "music": media.music,
               "voiceover": media.voice}[kind]
    menu = canvas.use_menu_for(item_id)
    assert menu.toolTipsVisible()
    actions = [a for a in menu.actions() if not a.isSeparator()]
    assert [a.text() for a in actions] == USE_TITLES[kind]
    # Without engines every action is disabled with its reason; the agent needs none.
    assert all(not a.isEnabled() and a.toolTip().strip() for a in actions
               if a.text() != "Use with AI Agent")
    assert all(a.isEnabled() for a in actions if a.text() == "Use with AI Agent")


def test_more_menu(env, session_id, media, qtbot):
    canvas = env.canvas(session_id)
    menu = canvas.more_menu_for(media.image)
    actions = {a.text(): a for a in menu.actions() if not a.isSeparator()}
    assert list(actions) == ["Rename…", "Add to Artboard", "Move to session…", "Copy to session…",
                             "Show recipe"]
    boards = actions["Add to Artboard"].menu()
    assert [a.text() for a in boards.actions()] == ["New board…"]      # no boards yet
    canvas.set_artboard_choices(lambda: [("b2", "Ocean"), ("b1", "Faces")])
    boards = canvas.more_menu_for(media.image).actions()[1].menu()
    assert [a.text() for a in boards.actions() if not a.isSeparator()] == ["Ocean", "Faces", "New board…"]
    with qtbot.waitSignal(canvas.sig_add_to_artboard_requested) as blocker:
        boards.actions()[1].trigger()
    assert blocker.args == [[media.image], "b1"]
    with qtbot.waitSignal(canvas.sig_move_requested) as blocker:
        actions["Copy to session…"].trigger()
    assert blocker.args == [[media.image], True]


def test_added_item_appears_without_reset(env, lib, session_id, media, tmp_path, qtbot):
    canvas = env.canvas(session_id)
    model = canvas.visual.model
    resets, inserted = [], []
    model.modelReset.connect(lambda: resets.append(1))
    model.rowsInserted.connect(lambda _p, first, last: inserted.append((first, last)))
    rows = model.rowCount()
    new_id = add(lib, session_id, make_png(tmp_path / "new.png"))
    qtbot.waitUntil(lambda: model.rowCount() == rows + 1, timeout=3000)
    assert model.ids()[0] == new_id and inserted == [(0, 0)] and resets == []


def test_delete_key_trashes_selection(env, lib, session_id, media, qtbot):
    canvas = env.canvas(session_id)
    canvas.show()
    model = canvas.visual.model
    resets = []
    model.modelReset.connect(lambda: resets.append(1))
    canvas.select([media.image])
    assert canvas.selected_ids() == [media.image]
    canvas.visual.view.setFocus()
    qtbot.keyClick(canvas.visual.view, Qt.Key_Delete)
    qtbot.waitUntil(lambda: model.row_of(media.image) == -1, timeout=3000)
    assert L.get_item(lib, media.image).trashed_at is not None
    assert resets == [] and model.rowCount() == 2


def _tile_point(pane, item_id: str, action: str) -> QPoint:
    index = pane.model.index(pane.model.row_of(item_id))
    return pane.delegate.button_rects(pane.view.visualRect(index))[action].center()


def _hover(view, point: QPoint) -> None:
    event = QMouseEvent(QEvent.MouseMove, QPointF(point), QPointF(view.viewport().mapToGlobal(point)),
                        Qt.NoButton, Qt.NoButton, Qt.NoModifier)
    QApplication.sendEvent(view.viewport(), event)


def test_favorite_button_toggles_and_persists(env, lib, session_id, media, qtbot):
    canvas = env.canvas(session_id)
    canvas.show()
    qtbot.waitExposed(canvas)
    pane = canvas.visual
    point = _tile_point(pane, media.image, "favorite")
    _hover(pane.view, point)
    assert pane.delegate.hovered_id() == media.image
    qtbot.mouseClick(pane.view.viewport(), Qt.LeftButton, pos=point)
    qtbot.waitUntil(lambda: L.get_item(lib, media.image).favorite, timeout=3000)
    assert pane.selected_ids() == []       # the button click did not select the tile
    qtbot.waitUntil(lambda: pane.model.index(pane.model.row_of(media.image)).data(pane.model.ItemRole)
                    is not None and pane.model.cached_item(media.image).favorite, timeout=3000)
    canvas.toggle_favorite(media.image)
    qtbot.waitUntil(lambda: not L.get_item(lib, media.image).favorite, timeout=3000)
    shown = lambda: pane.model.index(pane.model.row_of(media.image)).data(pane.model.ItemRole)  # noqa: E731
    qtbot.waitUntil(lambda: shown() is not None and not shown().favorite, timeout=3000)
    canvas.toggle_favorite(media.image)    # a double click, before any change comes back:
    canvas.toggle_favorite(media.image)    # on, then off again
    written = []
    env.tasks.write(lambda: written.append(L.get_item(lib, media.image).favorite))
    qtbot.waitUntil(lambda: len(written) == 1, timeout=3000)
    assert written == [False]


def _urls_mime(paths) -> QMimeData:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    return mime


@pytest.mark.parametrize("pane_name", ["visual", "audio"])
def test_os_file_drop_requests_import(env, session_id, media, tmp_path, qtbot, pane_name):
    canvas = env.canvas(session_id)
    canvas.show()
    qtbot.waitExposed(canvas)
    view = getattr(canvas, pane_name).view
    files = [make_png(tmp_path / "a.png"), make_wav(tmp_path / "b.wav")]
    mime = _urls_mime(files)
    pos = QPointF(view.viewport().rect().center())
    enter = QDragEnterEvent(pos.toPoint(), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    QApplication.sendEvent(view.viewport(), enter)
    assert enter.isAccepted()
    drop = QDropEvent(pos, Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    with qtbot.waitSignal(canvas.sig_import_requested, timeout=1000) as blocker:
        QApplication.sendEvent(view.viewport(), drop)
    assert blocker.args == [[str(p) for p in files]]


def test_drag_out_exports_files(env, lib, session_id, media):
    canvas = env.canvas(session_id)
    view = canvas.visual.view
    assert view.dragEnabled() and view.viewport().acceptDrops() and view.movement() == view.Movement.Static
    model = canvas.visual.model
    mime = model.mimeData([model.index(model.row_of(media.image))])
    paths = [Path(u.toLocalFile()) for u in mime.urls()]
    assert len(paths) == 1 and paths[0].name == "sunrise.png" and paths[0].is_file()
    assert canvas.visual.handle_drop(mime) is False        # our own drag is not an import


def test_selecting_makes_the_drag_files_in_the_background(env, lib, session_id, media, qtbot):
    """The drag then starts without copying anything on the GUI thread."""
    canvas = env.canvas(session_id)
    model = canvas.visual.model
    canvas.select([media.image])
    index = model.index(model.row_of(media.image))
    qtbot.waitUntil(lambda: model.data(index, model.ItemRole) is not None)   # row read
    item = model.data(index, model.ItemRole)
    qtbot.waitUntil(lambda: bool(model.drag_files.ready([item])))
    prepared = model.drag_files.ready([item])[media.image]
    calls = []
    real_make = model.drag_files._make
    model.drag_files._make = lambda it: calls.append(it.id) or real_make(it)
    mime = model.mimeData([model.index(model.row_of(media.image))])
    assert [u.toLocalFile() for u in mime.urls()] == [str(prepared)] and calls == []
    L.rename_session(lib, session_id=session_id, name="Renamed")  # the recipe inside names it
    qtbot.waitUntil(lambda: not model.drag_files.ready([item]))


def test_audio_plays_to_the_end(env, session_id, media, qtbot):
    canvas = env.canvas(session_id)
    pane = canvas.audio
    # Without a sound device (no PulseAudio server here: "No audio device detected") Qt's
    # FFmpeg backend still plays, timed by the system clock, so this runs offscreen too.
    if QMediaFormat.Wave not in QMediaFormat().supportedFileFormats(QMediaFormat.Decode):
        pytest.skip("no QtMultimedia backend that decodes WAV (the FFmpeg plugin is missing)")
    events = []
    pane.sig_playback_changed.connect(lambda i, p: events.append((i, p)))
    with qtbot.waitSignal(pane.sig_playback_changed, timeout=2000,
                          check_params_cb=lambda i, p: i == media.music and p):
        pane.play(media.music)
    assert pane.is_playing(media.music)
    with qtbot.waitSignal(pane.sig_playback_changed, timeout=5000,
                          check_params_cb=lambda i, p: i == media.music and not p):
        pass
    assert not pane.is_playing(media.music) and events[-1] == (media.music, False)
    assert pane.current_id() is None        # the row shows "play" again
    pane.play(media.voice)                   # playing another row stops the first
    pane.play(media.music)
    assert (media.voice, False) in events[-3:] and pane.is_playing(media.music)
    pane.pause()
    assert not pane.is_playing(media.music)


def test_ten_thousand_items_scroll_without_fetching_all(env, lib, session_id, tmp_path, qtbot):
    digest = L.get_item(lib, add(lib, session_id, make_png(tmp_path / "one.png"))).asset_hash
    big = L.create_session(lib, name="Big").created[0]
    start = now_ms() - 20_000
    rows = [(uuid7(), big, "image", f"Image {i}", f"prompt {i}", json.dumps({}), "import", "import",
             None, None, digest, "image/png", 100, 64, 48, None, 0, start + i, start + i)
            for i in range(10_000)]
    assert len(rows[0]) == len(ITEM_COLUMNS)
    bulk_insert(lib, items=[rows])
    pane = VisualPane(lib, env.tasks, env.bridge, env.thumbs)
    qtbot.addWidget(pane)
    pane.resize(900, 600)
    pane.set_session(big, ["image", "video"])
    pane.show()
    qtbot.waitExposed(pane)
    model = pane.model
    assert model.rowCount() == 10_000
    qtbot.waitUntil(lambda: model.cached_item(model.id_at(0)) is not None, timeout=3000)

    def at_bottom():   # scroll again until the batched layout has placed every row
        pane.view.scrollToBottom()
        return model.cached_item(model.id_at(9_999)) is not None
    qtbot.waitUntil(at_bottom, timeout=5000)
    assert pane.view.viewport().rect().intersects(pane.view.visualRect(model.index(9_999)))
    qtbot.wait(100)
    assert model.cache_size < 1_000 and model.fetch_count < 10


# -- screenshots -------------------------------------------------------------------------

def _picture(path: Path, w: int, h: int, top, bottom, sun) -> Path:
    """A small landscape: a two-colour sky gradient, a sun and hills (for screenshots)."""
    from PIL import Image, ImageDraw
    t = np.linspace(0, 1, h)[:, None, None]
    sky = (np.array(top)[None, None, :] * (1 - t) + np.array(bottom)[None, None, :] * t)
    image = Image.fromarray(np.broadcast_to(sky, (h, w, 3)).astype(np.uint8), "RGB")
    draw = ImageDraw.Draw(image)
    r = min(w, h) // 6
    draw.ellipse([w * 0.62 - r, h * 0.38 - r, w * 0.62 + r, h * 0.38 + r], fill=sun)
    dark = tuple(int(c * 0.35) for c in bottom)
    draw.polygon([(0, h), (0, h * 0.72), (w * 0.3, h * 0.6), (w * 0.65, h * 0.78), (w, h * 0.66), (w, h)], fill=dark)
    image.save(path, "PNG")
    return path


def _song(path: Path, seconds: float, *, speech: bool = False) -> Path:
    rate = 8000
    t = np.arange(int(seconds * rate)) / rate
    if speech:   # syllable bursts with pauses
        env = np.clip(np.sin(2 * np.pi * 2.3 * t), 0, 1) * (np.sin(2 * np.pi * 0.31 * t) > -0.6)
        tone = np.sin(2 * np.pi * 180 * t) + 0.4 * np.sin(2 * np.pi * 360 * t)
    else:        # a beat with a slow swell
        env = (0.35 + 0.65 * np.abs(np.sin(np.pi * t / seconds * 3))) * (0.6 + 0.4 * (np.sin(2 * np.pi * 2 * t) > 0))
        tone = np.sin(2 * np.pi * 220 * t) + 0.5 * np.sin(2 * np.pi * 330 * t)
    return write_wav(path, (0.45 * env * tone / 1.5)[None, :], rate)


def _showcase(lib, tmp_path) -> SimpleNamespace:
    sid = L.create_session(lib, name="Coastal travel campaign").created[0]
    ids = SimpleNamespace()
    music = [("Lo-fi morning theme", 94), ("Sunset drive (remix)", 138), ("Dunes ambience", 61)]
    for name, secs in music:
        ids.music = add(lib, sid, _song(tmp_path / f"{name}.wav", secs), kind="music", name=name)
    ids.voice = add(lib, sid, _song(tmp_path / "vo.wav", 23, speech=True), kind="voiceover",
                    name="Welcome narration — warm, calm")
    ids.video = add(lib, sid, make_mp4(tmp_path / "drone.mp4", seconds=12, fps=2, w=160, h=90),
                    name="Ocean drone shot")
    pictures = [("Sunrise over the dunes", 160, 120, (250, 170, 90), (120, 60, 140), (255, 230, 150)),
                ("Neon harbour at night", 120, 160, (20, 20, 70), (200, 40, 140), (120, 230, 255)),
                ("Forest path in fog", 200, 112, (200, 215, 210), (70, 110, 90), (245, 245, 235)),
                ("Cliffs, golden hour", 160, 160, (255, 200, 120), (200, 90, 60), (255, 250, 200)),
                ("Lighthouse storm", 144, 108, (70, 80, 100), (30, 40, 60), (230, 230, 240))]
    ids.images = [add(lib, sid, _picture(tmp_path / f"{n}.png", w, h, a, b, c), name=n, prompt=n)
                  for n, w, h, a, b, c in pictures]
    L.set_favorite(lib, item_ids=[ids.images[2]])
    lib.thumbnailer.wait()
    ids.session = sid
    return ids


def _wait_for_previews(qtbot, canvas, lib) -> None:
    thumbs = canvas.visual.delegate._thumbs
    items = L.get_items(lib, canvas.visual.model.ids() + canvas.audio.model.ids())
    qtbot.waitUntil(lambda: all((thumbs.image(i.asset_hash, i.kind) is not None) if i.kind in ("image", "video")
                                else thumbs.waveform(i.asset_hash) is not None for i in items.values()),
                    timeout=8000)
    qtbot.wait(150)


def _dark_palette() -> QPalette:
    colors = {QPalette.Window: "#25262c", QPalette.Base: "#1e1f24", QPalette.AlternateBase: "#25262c",
              QPalette.Text: "#e8e8ec", QPalette.WindowText: "#e8e8ec", QPalette.ButtonText: "#e8e8ec",
              QPalette.Button: "#25262c", QPalette.Mid: "#3a3b42", QPalette.Highlight: "#6d5dfc",
              QPalette.HighlightedText: "#ffffff", QPalette.PlaceholderText: "#8a8a94"}
    palette = QPalette()
    for role, color in colors.items():
        palette.setColor(role, QColor(color))
    for role in (QPalette.Text, QPalette.WindowText, QPalette.ButtonText):
        palette.setColor(QPalette.Disabled, role, QColor("#8a8a94"))
    return palette


def test_screenshots(env, lib, tmp_path, qtbot):
    from sessionstudio.ui.theme import apply_theme
    app = QApplication.instance()
    old_palette, old_sheet, old_style = app.palette(), app.styleSheet(), app.style().name()
    apply_theme(app)
    try:
        ids = _showcase(lib, tmp_path)
        SHOTS.mkdir(exist_ok=True)
        canvas = env.canvas(ids.session, size=(1280, 760))
        canvas.show()
        qtbot.waitExposed(canvas)
        canvas.splitter.setSizes([760, 520])
        _wait_for_previews(qtbot, canvas, lib)
        canvas.select([ids.images[3]])
        pane = canvas.visual
        video_rect = pane.view.visualRect(pane.model.index(pane.model.row_of(ids.images[1])))
        _hover(pane.view, video_rect.center())
        qtbot.wait(50)
        assert canvas.grab().save(str(SHOTS / "canvas_unfiltered.png"))

        canvas.chips.set_kinds(["music"])
        canvas.audio.seek(ids.music, 0.6)      # plays from 60 %, as a click on the waveform
        qtbot.waitUntil(lambda: canvas.audio.progress(ids.music) > 0.6, timeout=3000)
        assert canvas.audio.is_playing(ids.music)
        qtbot.wait(100)
        assert canvas.visual.isHidden()
        assert canvas.grab().save(str(SHOTS / "canvas_music_only.png"))
        canvas.audio.stop()
        canvas.chips.set_kinds([])

        menu = canvas.use_menu_for(ids.images[0])
        corner = canvas.mapToGlobal(QPoint(0, 0))
        menu.popup(corner + QPoint(40, 60))
        qtbot.waitExposed(menu)
        upscale = menu.actions()[3]
        geometry = menu.actionGeometry(upscale)
        at = QPoint(geometry.right() - 24, geometry.center().y())
        qtbot.wait(200)                      # let the popup settle (focus events hide tooltips)
        QApplication.sendEvent(menu, QHelpEvent(QEvent.ToolTip, at, menu.mapToGlobal(at)))
        qtbot.wait(30)
        assert QToolTip.isVisible() and "engine" in QToolTip.text()
        # Compose the canvas, the menu and the reason's tooltip as they sit on screen.
        shot = canvas.grab(QRect(0, 0, 700, 330))
        painter = QPainter(shot)
        tips = [w for w in QApplication.topLevelWidgets() if w.inherits("QTipLabel") and w.isVisible()]
        for window in [menu] + tips:
            painter.drawPixmap(window.pos() - corner, window.grab())
        painter.end()
        assert shot.save(str(SHOTS / "canvas_use_menu.png"))
        QToolTip.hideText()
        menu.close()

        theme_sheet = app.styleSheet()     # offscreen has no system colour scheme to follow:
        app.setStyleSheet("")              # set the dark palette as the theme would (a style
        app.setPalette(_dark_palette())    # sheet in place keeps widgets on the old palette)
        app.setStyleSheet(theme_sheet)
        canvas.chips.set_kinds(["image", "music"])
        _wait_for_previews(qtbot, canvas, lib)
        canvas.select([ids.images[0]])
        assert canvas.grab().save(str(SHOTS / "canvas_dark.png"))
    finally:
        app.setStyleSheet(old_sheet)
        app.setPalette(old_palette)
        app.setStyle(old_style)
