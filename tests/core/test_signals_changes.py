from sessionstudio.core.changes import Changes
from sessionstudio.core.signals import Signal


def test_signal_connect_emit_disconnect():
    got = []
    sig = Signal()
    sig.connect(got.append)
    sig.connect(got.append)  # connecting twice delivers once
    sig.emit(1)
    sig.disconnect(got.append)
    sig.emit(2)
    assert got == [1]


def test_changes_summarise_large_sets():
    ch = Changes(label="x")
    ch.touch_many("items", (str(i) for i in range(5000)))
    ch.touch("sessions", "s")
    assert not ch.empty
    d = ch.as_dict(max_ids=1000)
    assert d["items"] == {"count": 5000} and d["sessions"] == ["s"]
    assert Changes().empty
