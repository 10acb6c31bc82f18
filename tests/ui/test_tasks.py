"""Tasks: results come back on the GUI thread in any order for reads, in order for writes,
and a window that closes while answers are still on their way neither raises out of the
event loop nor loses a write that was asked for before it closed."""

import threading
import time

from sessionstudio import library as L
from sessionstudio.ui.tasks import Tasks


def test_writes_run_in_order_and_reads_come_back(qtbot):
    tasks, seen = Tasks(), []
    for n in range(20):
        tasks.write(lambda n=n: n, done=seen.append)
    tasks.read(lambda: "read", done=seen.append)
    qtbot.waitUntil(lambda: len(seen) == 21)
    assert [v for v in seen if v != "read"] == list(range(20))
    tasks.shutdown()


def test_a_failure_reaches_failed_or_the_error_signal(qtbot):
    tasks, failures = Tasks(), []
    tasks.read(lambda: 1 / 0, failed=failures.append)
    qtbot.waitUntil(lambda: len(failures) == 1)
    assert isinstance(failures[0], ZeroDivisionError)
    with qtbot.waitSignal(tasks.sig_error) as blocker:
        tasks.write(lambda: {}["missing"])
    assert "missing" in blocker.args[0]
    tasks.shutdown()


def test_shutdown_finishes_writes_and_drops_late_answers(qtbot, lib):
    """A done callback that arrives after shutdown and asks for more work (the viewer does:
    a loaded image starts its decode) used to raise 'cannot schedule new futures'."""
    tasks, delivered, gate = Tasks(), [], threading.Event()
    sid = L.create_session(lib, name="Before").created[0]
    tasks.read(lambda: gate.wait(5), done=lambda _: (delivered.append("late"),
                                                    tasks.read(lambda: None)))
    tasks.write(lambda: L.rename_session(lib, session_id=sid, name="Kept"))
    threading.Timer(0.2, gate.set).start()
    tasks.shutdown()                       # waits for the write and the running read
    qtbot.wait(100)                        # the late answer's signal is processed here
    assert delivered == []
    assert L.get_session(lib, sid).name == "Kept"
    tasks.read(lambda: None)               # after shutdown: nothing, no exception
    tasks.write(lambda: None)


def test_an_answer_for_a_closed_view_is_dropped_quietly(qtbot):
    """A dialog closed while its read was running: Qt has deleted it when the answer
    arrives, and the answer goes nowhere instead of raising out of the event loop."""
    from PySide6.QtGui import QStandardItemModel
    tasks, gate, touched = Tasks(), threading.Event(), []
    model = QStandardItemModel()

    def show(rows):
        touched.append(rows)
        model.setRowCount(rows)              # raises: the C++ object is gone
    tasks.read(lambda: gate.wait(5) and 3, done=show)
    model.deleteLater()
    qtbot.wait(50)                           # deleted now
    gate.set()
    qtbot.waitUntil(lambda: touched == [3])
    qtbot.wait(50)
    errors = []
    tasks.read(lambda: 1 / 0, failed=errors.append)   # and the next answer still arrives
    qtbot.waitUntil(lambda: len(errors) == 1)
    tasks.shutdown()


def test_read_latest_delivers_only_the_newest_and_supersede_drops_it(qtbot):
    tasks, shown, gate = Tasks(), [], threading.Event()
    tasks.read_latest("list", lambda: gate.wait(5) and "old", done=shown.append)
    tasks.read_latest("list", lambda: "new", done=shown.append)     # answered first
    qtbot.waitUntil(lambda: shown == ["new"])
    gate.set()
    tasks.read_latest("other", lambda: "kept", done=shown.append)   # another key is apart
    qtbot.waitUntil(lambda: "kept" in shown)
    qtbot.wait(50)
    assert shown == ["new", "kept"]                  # the old answer was dropped
    tasks.read_latest("list", lambda: time.sleep(0.1) or "late", done=shown.append)
    tasks.supersede("list")
    qtbot.wait(300)
    assert shown == ["new", "kept"]
    tasks.shutdown()
