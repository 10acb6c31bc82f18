"""LibraryBridge hops library changes from writer threads to the GUI thread. A writer can
be part-way through notifying when the window detaches and frees the bridge; the relay
must then do nothing (before, it emitted on the freed object: 'Signal source has been
deleted' raised out of the write, or the process crashed)."""

import threading

import shiboken6

from sessionstudio.library import create_session, rename_session
from sessionstudio.ui.bridge import LibraryBridge


def test_a_change_being_relayed_while_the_bridge_is_freed_is_dropped(lib, qtbot):
    sid = create_session(lib, name="Before").created[0]
    in_slot, release, outcome = threading.Event(), threading.Event(), {}

    def slow_first_listener(changes):   # runs on the writer thread, before the bridge's
        in_slot.set()
        release.wait(5)
    lib.changed.connect(slow_first_listener)
    bridge = LibraryBridge(lib)
    seen = []
    bridge.sig_changed.connect(seen.append)

    def write():
        try:
            rename_session(lib, session_id=sid, name="After")
            outcome["ok"] = True
        except BaseException as exc:  # noqa: BLE001 - the test reports what escaped
            outcome["error"] = repr(exc)
    writer = threading.Thread(target=write)
    writer.start()
    assert in_slot.wait(5)
    bridge.detach()
    shiboken6.delete(bridge)        # what Qt does when the window owning it goes away
    release.set()
    writer.join(5)
    lib.changed.disconnect(slow_first_listener)
    assert outcome == {"ok": True}
    assert seen == []


def test_a_change_reaches_the_gui_thread_while_attached(lib, qtbot):
    sid = create_session(lib, name="Before").created[0]
    bridge = LibraryBridge(lib)
    seen = []
    bridge.sig_changed.connect(seen.append)
    threading.Thread(target=rename_session, args=(lib,),
                     kwargs={"session_id": sid, "name": "After"}).start()
    qtbot.waitUntil(lambda: len(seen) == 1)
    assert sid in seen[0].sessions
    bridge.detach()


def test_a_change_relayed_before_detach_is_not_delivered_after_it(lib, qtbot):
    """Its queued delivery would reach views after the window let go of the library
    (which may be closed by then: their reads would fail)."""
    sid = create_session(lib, name="Before").created[0]
    bridge = LibraryBridge(lib)
    seen = []
    bridge.sig_changed.connect(seen.append)
    rename_session(lib, session_id=sid, name="After")   # relayed now, delivered later
    bridge.detach()
    qtbot.wait(50)
    assert seen == []
