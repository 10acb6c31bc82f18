"""Generation from the window: Use menus enabled by the engines, the form built from an
action's parameters, a job running in a worker while the window stays responsive, the
Jobs dock following it, and the result appearing in the canvas."""

from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QComboBox

from sessionstudio import library as L
from sessionstudio.engines.registry import load_registry
from sessionstudio.jobs.runner import JobRunner
from sessionstudio.ui.main_window import MainWindow
from tests.mediafactory import make_png

SHOTS = Path(__file__).resolve().parents[2] / "screenshots"


@pytest.fixture
def window(qtbot, lib):
    reg = load_registry()
    runner = JobRunner(lib, reg, concurrency=1)
    runner.start()
    w = MainWindow(lib, registry=reg, runner=runner)
    qtbot.addWidget(w)
    w.resize(1300, 820)
    w.show()
    yield w
    w.close()
    runner.stop()


def _answer_form(w, fill):
    """The form runs modally: fill and accept it from inside its event loop."""
    def go():
        dialog = w.generation.last_dialog
        fill(dialog)
        dialog.accept()
    QTimer.singleShot(50, go)


def test_use_menu_is_enabled_by_the_engine_and_explains_the_rest(lib, window, qtbot, tmp_path):
    sid = L.create_session(lib, name="Use").created[0]
    item = L.add_item(lib, session_id=sid, source=make_png(tmp_path / "p.png")).created[0]
    window.open_session(sid)
    qtbot.waitUntil(lambda: window.canvas._providers is not None)   # read after the first frame
    menu = window.canvas.use_menu_for(item)
    entries = {a.text(): a for a in menu.actions() if a.text()}
    for title in ("Edit Image", "Recreate", "Upscale", "Generate Video", "Create Avatar",
                  "Generate Music"):
        assert entries[title].isEnabled(), title
    assert entries["Use with AI Agent"].isEnabled()


def test_upscale_from_the_canvas_runs_a_job_and_the_result_appears(lib, window, qtbot, tmp_path):
    sid = L.create_session(lib, name="Upscale").created[0]
    item = L.add_item(lib, session_id=sid, source=make_png(tmp_path / "p.png", 80, 60)).created[0]
    window.open_session(sid)
    qtbot.waitUntil(lambda: window.canvas.visual.model.rowCount() == 1)

    def fill(dialog):
        box = dialog.fields["factor"]
        assert isinstance(box, QComboBox)
        box.setCurrentIndex(box.findData("4"))
    _answer_form(window, fill)
    window.canvas.sig_use_requested.emit(item, "upscale")
    qtbot.waitUntil(lambda: window.canvas.visual.model.rowCount() == 2, timeout=30000)
    newest = L.get_item(lib, window.canvas.visual.model.id_at(0))
    assert (newest.width, newest.height, newest.parent_id) == (320, 240, item)
    qtbot.waitUntil(lambda: window.jobs.model.rowCount() == 1
                    and window.jobs.model.job_at(0).state == "done")
    assert window.jobs_label.text() == "No jobs running"


def test_generate_menu_form_queues_a_voiceover(lib, window, qtbot):
    sid = L.create_session(lib, name="Voices").created[0]
    window.open_session(sid)

    def fill(dialog):
        dialog.prompt_edit.setPlainText("Good morning and welcome.")
        dialog.fields["emotion"].setCurrentIndex(dialog.fields["emotion"].findData("calm"))
    _answer_form(window, fill)
    window.generation.generate("voiceover")
    qtbot.waitUntil(lambda: window.canvas.audio.model.rowCount() == 1, timeout=30000)
    made = L.list_items(lib, session_id=sid)[0]
    assert (made.kind, made.prompt, made.settings["emotion"]) == \
        ("voiceover", "Good morning and welcome.", "calm")
    qtbot.waitUntil(lambda: window.jobs.model.job_at(0) is not None
                    and window.jobs.model.job_at(0).state == "done")
    window.jobs_dock.raise_()
    SHOTS.mkdir(exist_ok=True)
    qtbot.wait(300)
    assert window.grab().save(str(SHOTS / "window_jobs.png"))


def test_the_form_refuses_bad_input_and_stays_open(lib, window, qtbot):
    sid = L.create_session(lib, name="Empty").created[0]
    window.open_session(sid)
    seen = {}

    def fill(dialog):
        dialog.prompt_edit.setPlainText("")
        dialog.accept()                      # refused: no text
        seen["open"] = dialog.isVisible()
        seen["error"] = dialog.error_label.text()
        dialog.reject()
    QTimer.singleShot(50, lambda: fill(window.generation.last_dialog))
    window.generation.generate("voiceover")
    assert seen["open"] and "needs" in seen["error"]
    assert L.list_items(lib, session_id=sid) == []
