"""The inspector, the item viewer and the media player on a real library with real media.

Playback runs on QtMultimedia's FFmpeg backend offscreen. With no PulseAudio server there
is no audio device: QAudioOutput stays on a null device and playback runs on the system
clock (silently), so videos and tracks still play to the end and frames reach the sink."""

from pathlib import Path
from types import SimpleNamespace

import pytest
from PySide6.QtCore import QLocale, QPoint, QPointF, Qt
from PySide6.QtGui import QGuiApplication, QPixmap, QWheelEvent
from PySide6.QtWidgets import QApplication, QLabel

from sessionstudio import library as L
from sessionstudio.library.thumbnails import Thumbnailer
from tests.mediafactory import make_mp4, make_png, make_wav

SHOTS = Path(__file__).resolve().parents[2] / "screenshots"


@pytest.fixture
def env(lib, session_id, qtbot, tmp_path):
    from sessionstudio.ui.bridge import LibraryBridge
    from sessionstudio.ui.tasks import Tasks
    from sessionstudio.ui.thumbs import ThumbnailProvider

    thumbnailer = Thumbnailer(lib.store, lib.paths.thumbs_dir, lib.paths.waveforms_dir)
    lib.thumbnailer = thumbnailer
    bridge, thumbs, tasks = LibraryBridge(lib), ThumbnailProvider(thumbnailer), Tasks()
    app = QApplication.instance()
    saved = (app.style().name(), app.palette(), app.styleSheet(), QLocale())
    QLocale.setDefault(QLocale(QLocale.English, QLocale.UnitedStates))  # readable dates offscreen
    try:  # the app's theme, when present, so screenshots look like the app
        from sessionstudio.ui.theme import apply_theme
        apply_theme(app)
    except ImportError:
        pass

    def add(source, **kw):
        return L.add_item(lib, session_id=session_id, source=source, **kw).created[0]

    yield SimpleNamespace(lib=lib, sid=session_id, bridge=bridge, thumbs=thumbs, tasks=tasks,
                          thumbnailer=thumbnailer, add=add, tmp=tmp_path)
    tasks.shutdown()
    thumbs.shutdown()
    bridge.detach()
    thumbnailer.close()
    app.setStyle(saved[0])
    app.setPalette(saved[1])
    app.setStyleSheet(saved[2])
    QLocale.setDefault(saved[3])


def _png(env, name, w=64, h=48):
    return make_png(env.tmp / name, w, h)


def _inspector(env, qtbot):
    from sessionstudio.ui.views.inspector import ItemInspector
    w = ItemInspector(env.lib, env.tasks, env.bridge, env.thumbs)
    qtbot.addWidget(w)
    w.resize(340, 760)
    w.show()
    return w


def _show(qtbot, inspector, item_id):
    inspector.show_item(item_id)
    qtbot.waitUntil(lambda: inspector.shown_item() is not None
                    and inspector.shown_item().id == item_id, timeout=5000)


def _shot(widget_or_pixmap, name):
    SHOTS.mkdir(exist_ok=True)
    pix = widget_or_pixmap if isinstance(widget_or_pixmap, QPixmap) else widget_or_pixmap.grab()
    assert pix.save(str(SHOTS / name))


def _image_with_reference(env):
    ref = env.add(_png(env, "ref.png"), name="Sketch")
    img = env.add(_png(env, "big.png", 1024, 768), name="Lighthouse at dusk", prompt="A lighthouse at dusk, oil painting",
                  settings={"model": "flux-dev", "quality": "High"}, seed=42, engine="builtin",
                  action="generate", inputs=[L.InputRef("reference", None, ref)])
    return ref, img


def test_inspector_image_fields_copy_and_reuse(env, qtbot):
    ref, img = _image_with_reference(env)
    child = env.add(_png(env, "up.png", 128, 96), name="Upscaled lighthouse", parent_id=img,
                    engine="builtin", action="upscale", prompt="A lighthouse at dusk, oil painting")
    w = _inspector(env, qtbot)
    _show(qtbot, w, img)
    item = L.get_item(env.lib, img)
    from sessionstudio.ui.views.inspector_fields import date
    expected = {"Prompt": "A lighthouse at dusk, oil painting", "Model": "flux-dev",
                "Aspect ratio": "4:3", "Quality": "High", "Resolution": "1024 × 768",
                "File type": "PNG", "Date created": date(item.created_at), "Seed": "42",
                "Engine": "builtin · Generate"}
    for label, text in expected.items():
        assert w.value_text(label) == text, label
    assert "None" not in " ".join(l.text() for l in w.findChildren(QLabel))
    refs = w.value_widget("Reference images").buttons()
    assert len(refs) == 1
    qtbot.waitUntil(lambda: not refs[0].icon().isNull() and env.thumbs.image(
        L.get_item(env.lib, ref).asset_hash, "image") is not None, timeout=5000)
    with qtbot.waitSignal(w.sig_item_activated, timeout=2000) as blocker:
        qtbot.mouseClick(refs[0], Qt.LeftButton)
    assert blocker.args == [ref]

    w.copy_button.click()
    assert QGuiApplication.clipboard().text() == "A lighthouse at dusk, oil painting"
    with qtbot.waitSignal(w.sig_reuse_settings_requested, timeout=2000) as blocker:
        w.reuse_button.click()
    assert blocker.args[0] == item.recipe() and blocker.args[0]["seed"] == 42

    used_in = w.value_widget("Used in").buttons()
    assert [b.text() for b in used_in] == ["Upscaled lighthouse"]
    with qtbot.waitSignal(w.sig_item_activated, timeout=2000) as blocker:
        qtbot.mouseClick(used_in[0], Qt.LeftButton)
    assert blocker.args == [child]
    qtbot.waitUntil(lambda: w._preview.pixmap() is not None and not w._preview.pixmap().isNull(),
                    timeout=5000)
    _shot(w, "inspector_image.png")

    _show(qtbot, w, child)
    made_from = w.value_widget("Made from").buttons()
    assert [b.text() for b in made_from] == [item.name]
    with qtbot.waitSignal(w.sig_item_activated, timeout=2000) as blocker:
        qtbot.mouseClick(made_from[0], Qt.LeftButton)
    assert blocker.args == [img]
    assert w.value_text("Quality") == "—" and w.value_text("Seed") == "—"

    L.rename_item(env.lib, item_id=child, name="Renamed elsewhere")  # refresh from the bridge
    qtbot.waitUntil(lambda: w.title_label.text() == "Renamed elsewhere", timeout=5000)


def test_inspector_video_music_voiceover_and_selection(env, qtbot):
    start = env.add(_png(env, "s.png"), name="First frame")
    end_asset = L.get_item(env.lib, env.add(_png(env, "e.png", 48, 48))).asset_hash
    video = env.add(make_mp4(env.tmp / "v.mp4", seconds=1.0, w=64, h=36), prompt="Waves roll in",
                    settings={"aspect_ratio": "16:9"}, engine="builtin", action="image_to_video",
                    inputs=[L.InputRef("start_frame", None, start), L.InputRef("end_frame", end_asset)])
    w = _inspector(env, qtbot)
    _show(qtbot, w, video)
    assert w.value_text("Duration") == "0:01" and w.value_text("Aspect ratio") == "16:9"
    assert w.value_text("File type") == "MP4" and w.value_text("Resolution") == "64 × 36"
    assert len(w.value_widget("Start frame").buttons()) == 1
    end_button = w.value_widget("End frame").buttons()[0]
    assert not end_button.isEnabled() or end_button.cursor().shape() == Qt.ArrowCursor  # no item
    with qtbot.waitSignal(w.sig_item_activated, timeout=2000) as blocker:
        qtbot.mouseClick(w.value_widget("Start frame").buttons()[0], Qt.LeftButton)
    assert blocker.args == [start]

    music = env.add(make_wav(env.tmp / "m.wav", seconds=2.0), kind="music", prompt="Upbeat synthwave",
                    settings={"genre": "Synthwave", "mood": "Happy", "video_theme": "Night drive",
                              "lyrics": "Neon lights\nall night"}, engine="builtin", action="generate")
    _show(qtbot, w, music)
    for label, text in {"Track length": "0:02", "Genre": "Synthwave", "Mood": "Happy",
                        "Video theme": "Night drive", "Prompt": "Upbeat synthwave",
                        "Lyrics": "Neon lights\nall night", "File type": "WAV"}.items():
        assert w.value_text(label) == text, label

    voice = env.add(make_wav(env.tmp / "vo.wav"), kind="voiceover", name="Studio welcome",
                    prompt="Welcome to Session Studio.", seed=7, engine="builtin", action="generate",
                    settings={"model": "espeak-ng", "voice": "Ava", "language": "English",
                              "accent": "British", "emotion": "Calm", "speed": 1.25, "effect": "Radio"})
    _show(qtbot, w, voice)
    for label, text in {"AI model": "espeak-ng", "Voice": "Ava", "Language": "English",
                        "Accent": "British", "Emotion": "Calm", "Speed": "1.25×", "Effect": "Radio",
                        "Text": "Welcome to Session Studio.", "Seed": "7"}.items():
        assert w.value_text(label) == text, label
    assert w.copy_button.text() == "Copy text"
    _shot(w, "inspector_voiceover.png")

    imported = env.add(make_wav(env.tmp / "plain.wav"), kind="voiceover")
    _show(qtbot, w, imported)
    assert w.value_text("Engine") == "Imported"
    assert w.value_text("Voice") == "—" and w.value_text("AI model") == "—"

    w.show_selection([video, music, voice])
    qtbot.waitUntil(lambda: w.title_label.text() == "3 items selected", timeout=5000)
    assert w.summary_label.text() == "1 video · 1 music track · 1 voiceover"
    w.show_item(None)
    assert w.title_label.text() == "Nothing selected"


def _viewer(env, qtbot, size=(960, 640)):
    from sessionstudio.ui.views.viewer import ItemViewer
    v = ItemViewer(env.lib, env.tasks, env.bridge, env.thumbs)
    qtbot.addWidget(v)
    v.resize(*size)
    v.show()
    return v


def test_viewer_navigates_renames_favorites_deletes(env, qtbot):
    ids = [env.add(_png(env, f"p{i}.png", 800, 600), name=f"Picture {i}") for i in range(3)]
    v = _viewer(env, qtbot)
    v.open_item(ids[1], ids)
    qtbot.waitUntil(lambda: v.current_item() is not None and v.canvas.has_full_image(), timeout=5000)
    assert v.title_edit.text() == "Picture 1" and v.position_label.text() == "2 of 3"
    assert v.canvas.is_fit() and v.canvas.shown_pixmap().width() == 800

    qtbot.keyClick(v, Qt.Key_Right)
    qtbot.waitUntil(lambda: v.title_edit.text() == "Picture 2", timeout=5000)
    assert not v.next_button.isEnabled()
    qtbot.keyClick(v, Qt.Key_Right)  # at the end: stays
    qtbot.keyClick(v, Qt.Key_Left)
    qtbot.keyClick(v, Qt.Key_Left)
    qtbot.waitUntil(lambda: v.title_edit.text() == "Picture 0", timeout=5000)
    assert not v.prev_button.isEnabled()
    v.next_button.click()
    qtbot.waitUntil(lambda: v.current_item_id() == ids[1] and v.current_item() is not None, timeout=5000)

    qtbot.keyClick(v.canvas, Qt.Key_Right)  # keys reach the viewer from the focused canvas
    qtbot.waitUntil(lambda: v.title_edit.text() == "Picture 2", timeout=5000)
    qtbot.keyClick(v.canvas, Qt.Key_Left)
    qtbot.waitUntil(lambda: v.title_edit.text() == "Picture 1" and v.current_item() is not None,
                    timeout=5000)

    before = v.canvas.zoom()
    center = QPointF(v.canvas.viewport().rect().center())
    wheel = QWheelEvent(center, v.canvas.mapToGlobal(center), QPoint(), QPoint(0, 240),
                        Qt.NoButton, Qt.NoModifier, Qt.NoScrollPhase, False)
    QApplication.sendEvent(v.canvas.viewport(), wheel)
    assert v.canvas.zoom() > before * 1.3 and not v.canvas.is_fit()
    qtbot.keyClick(v, Qt.Key_1)
    assert v.canvas.zoom() == pytest.approx(1.0) and not v.canvas.is_fit()
    qtbot.keyClick(v, Qt.Key_Plus)
    assert v.canvas.zoom() == pytest.approx(1.25)
    qtbot.keyClick(v, Qt.Key_0)
    assert v.canvas.is_fit()

    v.rename_button.click()
    assert v.title_edit.hasFocus() or not v.title_edit.isReadOnly()
    v.title_edit.setText("Harbour at noon")
    qtbot.keyClick(v.title_edit, Qt.Key_Return)
    qtbot.waitUntil(lambda: L.get_item(env.lib, ids[1]).name == "Harbour at noon", timeout=5000)
    assert v.title_edit.isReadOnly()
    v.rename_button.click()
    v.title_edit.setText("Not kept")
    qtbot.keyClick(v.title_edit, Qt.Key_Escape)
    assert v.title_edit.text() == "Harbour at noon"
    assert L.get_item(env.lib, ids[1]).name == "Harbour at noon"
    v.rename_button.click()                  # rename again and back out before any refresh
    v.title_edit.setText("Harbour at dusk")
    qtbot.keyClick(v.title_edit, Qt.Key_Return)
    v.rename_button.click()
    qtbot.keyClick(v.title_edit, Qt.Key_Escape)
    assert v.title_edit.text() == "Harbour at dusk"
    qtbot.waitUntil(lambda: L.get_item(env.lib, ids[1]).name == "Harbour at dusk", timeout=5000)

    v.favorite_button.click()
    qtbot.waitUntil(lambda: L.get_item(env.lib, ids[1]).favorite, timeout=5000)
    qtbot.waitUntil(lambda: v.favorite_button.text() == "Favorited" and v.favorite_button.isChecked(),
                    timeout=5000)
    assert v.artboard_button.isEnabled()
    v.set_artboard_choices(lambda: [("b1", "Harbours")])
    boards = v.artboard_button.menu()
    boards.aboutToShow.emit()
    assert [a.text() for a in boards.actions() if not a.isSeparator()] == ["Harbours", "New board…"]
    with qtbot.waitSignal(v.sig_add_to_artboard_requested, timeout=2000) as blocker:
        boards.actions()[-1].trigger()
    assert blocker.args == [[ids[1]], ""]
    with qtbot.waitSignal(v.sig_download_requested, timeout=2000) as blocker:
        v.download_button.click()
    assert blocker.args == [[ids[1]]]

    with qtbot.waitSignal(v.sig_item_deleted, timeout=5000) as blocker:
        v.delete_button.click()
    assert blocker.args == [ids[1]]
    assert L.get_item(env.lib, ids[1]).trashed_at is not None
    qtbot.waitUntil(lambda: v.current_item_id() == ids[2] and v.title_edit.text() == "Picture 2",
                    timeout=5000)
    assert v.position_label.text() == "2 of 2"
    L.trash_items(env.lib, item_ids=[ids[2]])  # trashed elsewhere while shown: move on
    qtbot.waitUntil(lambda: v.current_item_id() == ids[0], timeout=5000)
    with qtbot.waitSignal(v.sig_close_requested, timeout=2000):
        qtbot.keyClick(v, Qt.Key_Escape)


def test_alias_with_extension_links_once(tmp_path, monkeypatch):
    from sessionstudio.ui.views.player import alias_with_extension
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path / "t"))
    original = make_wav(tmp_path / "abc123")
    link = alias_with_extension(original, "audio/wav")
    assert link.name == "abc123.wav" and link.read_bytes() == original.read_bytes()
    assert alias_with_extension(original, "audio/wav") == link
    assert alias_with_extension(original, None) is None


def test_viewer_image_screenshot_zoomed(env, qtbot):
    _, img = _image_with_reference(env)
    v = _viewer(env, qtbot, size=(1100, 640))
    v.open_item(img, [img])
    qtbot.waitUntil(lambda: v.canvas.has_full_image(), timeout=5000)
    fit = v.canvas.zoom()
    qtbot.keyClick(v, Qt.Key_Plus)
    assert v.canvas.zoom() == pytest.approx(fit * 1.25)
    assert v.zoom_label.text().endswith("%") and not v.canvas.is_fit()
    _shot(v, "viewer_image.png")


def _wait_finished(qtbot, player, start):
    with qtbot.waitSignal(player.sig_finished, timeout=10000):
        start()


def test_player_plays_video_to_the_end_with_frames(env, qtbot):
    from sessionstudio.ui.views.player import MediaPlayerWidget
    p = MediaPlayerWidget()
    qtbot.addWidget(p)
    p.resize(480, 360)
    p.show()
    frames, positions = [], []
    p.video_sink().videoFrameChanged.connect(lambda f: frames.append(f.startTime()))
    p.sig_position_changed.connect(positions.append)
    video = env.add(make_mp4(env.tmp / "clip.mp4", seconds=1.0, with_audio=True))
    item = L.get_item(env.lib, video)
    path = env.lib.store.path(item.asset_hash)  # content-addressed: no extension
    p.load(path, "video", item.mime)
    _wait_finished(qtbot, p, p.play)
    if p.player.error() != p.player.Error.NoError:
        pytest.fail(f"QtMultimedia could not play the MP4: {p.player.errorString()}")
    assert len(frames) >= 6, frames
    assert max(positions) >= 800 and p.duration_label.text() == "0:01"
    img = p.last_frame_image()
    assert img is not None and img.width() == 64


def test_player_plays_wav_to_the_end(env, qtbot):
    from sessionstudio.ui.views.player import MediaPlayerWidget
    p = MediaPlayerWidget()
    qtbot.addWidget(p)
    p.show()
    track = env.add(make_wav(env.tmp / "tone.wav", seconds=1.0), kind="music")
    item = L.get_item(env.lib, track)
    p.load(env.lib.store.path(item.asset_hash), "music", item.mime)
    playing = []
    p.sig_playing_changed.connect(playing.append)
    _wait_finished(qtbot, p, p.play)
    assert playing[0] is True and not p.is_playing()
    assert p.time_label.text() == "0:01"


def test_viewer_video_with_strip_and_audio_track(env, qtbot):
    start = env.add(_png(env, "start.png", 64, 36), name="Start")
    ref = env.add(_png(env, "ref2.png", 48, 48), name="Style")
    video = env.add(make_mp4(env.tmp / "v.mp4", seconds=1.0, w=320, h=180, with_audio=True),
                    name="Waves", prompt="Waves roll in", engine="builtin", action="image_to_video",
                    inputs=[L.InputRef("start_frame", None, start), L.InputRef("reference", None, ref)])
    track = env.add(make_wav(env.tmp / "t.wav", seconds=1.0), kind="music", name="Night drive")
    v = _viewer(env, qtbot)
    frames = []
    v.player.video_sink().videoFrameChanged.connect(frames.append)
    with qtbot.waitSignal(v.player.sig_finished, timeout=10000):
        v.open_item(video, [video, track])  # videos start playing when opened
    assert len(frames) >= 6
    assert [b.text() for b in v.strip.buttons()] == ["Start frame", "Reference"]
    qtbot.waitUntil(lambda: all(not env.thumbs.image(L.get_item(env.lib, i).asset_hash, "image") is None
                                for i in (start, ref)), timeout=5000)
    v.strip._on_ready(L.get_item(env.lib, start).asset_hash)
    v.strip._on_ready(L.get_item(env.lib, ref).asset_hash)
    _shot(v.player.snapshot(v), "viewer_video.png")

    qtbot.keyClick(v, Qt.Key_Right)
    qtbot.waitUntil(lambda: v.media_title.text() == "Night drive", timeout=5000)
    with qtbot.waitSignal(v.player.sig_finished, timeout=10000):
        qtbot.keyClick(v, Qt.Key_Space)
    qtbot.waitUntil(lambda: bool(v.player.waveform._peaks), timeout=5000)
    _shot(v, "viewer_audio.png")

