"""Session operations on a real catalog file: each returns Changes and can be undone."""

import re

import pytest

from sessionstudio import library as L
from sessionstudio.core.errors import InvalidInput, NotFound, NothingToUndo


def test_create_names_by_date_or_prompt(lib):
    dated = L.get_session(lib, L.create_session(lib).created[0])
    assert re.fullmatch(r"Session \d{1,2} \w{3} \d\d:\d\d", dated.name)
    assert dated.auto_named
    named = L.get_session(lib, L.create_session(lib, prompt="a red fox in the snow at dawn").created[0])
    assert named.name == "A red fox in the snow at dawn"
    explicit = L.get_session(lib, L.create_session(lib, name="  Moodboard ").created[0])
    assert explicit.name == "Moodboard" and not explicit.auto_named


def test_changes_report_what_changed_and_notify(lib):
    seen = []
    lib.changed.connect(seen.append)
    ch = L.create_session(lib, name="One")
    sid = ch.created[0]
    assert ch.sessions == {sid} and ch.undoable and ch.op_seq is not None
    ch2 = L.rename_session(lib, session_id=sid, name="Two")
    assert ch2.sessions == {sid} and ch2.label == "Rename session"
    assert [c.label for c in seen] == ["New session", "Rename session"]


def test_list_newest_first_with_paging(lib):
    ids = [L.create_session(lib, name=f"S{i}").created[0] for i in range(7)]
    page1 = L.list_sessions(lib, limit=3)
    assert [s.id for s in page1] == ids[::-1][:3]
    last = page1[-1]
    page2 = L.list_sessions(lib, limit=3, before=(last.created_at, last.id))
    assert [s.id for s in page2] == ids[::-1][3:6]
    assert [s.id for s in L.list_sessions(lib, limit=3, offset=3)] == ids[::-1][3:6]
    assert L.count_sessions(lib) == 7


def test_rename_rejects_empty_and_unknown(lib, session_id):
    with pytest.raises(InvalidInput, match="empty"):
        L.rename_session(lib, session_id=session_id, name="   ")
    with pytest.raises(NotFound, match="No session"):
        L.rename_session(lib, session_id="nope", name="x")


def test_open_records_opened_at_without_undo_entry(lib, session_id):
    assert L.get_session(lib, session_id).opened_at is None
    s = L.open_session(lib, session_id=session_id)
    assert s.opened_at is not None
    assert lib.undo_label() == "New session"


def test_trash_restore_purge(lib, session_id):
    L.trash_sessions(lib, session_ids=[session_id])
    assert L.list_sessions(lib) == []
    assert [s.id for s in L.list_sessions(lib, trashed=True)] == [session_id]
    L.restore_sessions(lib, session_ids=[session_id])
    assert [s.id for s in L.list_sessions(lib)] == [session_id]
    L.purge_sessions(lib, session_ids=[session_id])
    with pytest.raises(NotFound):
        L.get_session(lib, session_id)
    lib.undo()  # even a purge can be undone
    assert L.get_session(lib, session_id).name == "Test session"


def test_undo_redo_chain(lib):
    sid = L.create_session(lib, name="A").created[0]
    L.rename_session(lib, session_id=sid, name="B")
    L.rename_session(lib, session_id=sid, name="C")
    assert lib.undo().label == "Rename session"
    assert L.get_session(lib, sid).name == "B"
    lib.undo()
    assert L.get_session(lib, sid).name == "A"
    lib.redo()
    assert L.get_session(lib, sid).name == "B"
    L.rename_session(lib, session_id=sid, name="D")  # a new change ends the redo chain
    with pytest.raises(NothingToUndo, match="redo"):
        lib.redo()
    lib.undo()
    lib.undo()
    lib.undo()
    with pytest.raises(NotFound):
        L.get_session(lib, sid)
    with pytest.raises(NothingToUndo, match="undo"):
        lib.undo()
    lib.redo()
    assert L.get_session(lib, sid).name == "A"


def test_undo_keeps_later_non_undoable_fields(lib, session_id):
    L.rename_session(lib, session_id=session_id, name="Renamed")
    L.open_session(lib, session_id=session_id)
    opened = L.get_session(lib, session_id).opened_at
    lib.undo()
    s = L.get_session(lib, session_id)
    assert s.name == "Test session" and s.opened_at == opened


def test_undo_and_redo_survive_restart(make_lib, tmp_path):
    lib = make_lib("persist")
    sid = L.create_session(lib, name="Before").created[0]
    L.rename_session(lib, session_id=sid, name="After")
    lib.close()
    lib = make_lib("persist")
    assert L.get_session(lib, sid).name == "After"
    lib.undo()
    lib.close()
    lib = make_lib("persist")
    assert L.get_session(lib, sid).name == "Before"
    assert lib.redo_label() == "Rename session"
    lib.redo()
    assert L.get_session(lib, sid).name == "After"


def test_duplicate_session_copies_settings(lib, session_id):
    L.set_session_settings(lib, session_id=session_id, filters=["image"])
    dup = L.get_session(lib, L.duplicate_session(lib, session_id=session_id).created[0])
    assert dup.name == "Test session (copy)" and dup.settings == {"filters": ["image"]}


def test_failed_operation_changes_nothing(lib, session_id):
    before = lib.query("SELECT count(*) FROM ops")[0][0]
    with pytest.raises(NotFound):
        L.trash_sessions(lib, session_ids=[session_id, "missing"])
    assert L.get_session(lib, session_id).trashed_at is None
    assert lib.query("SELECT count(*) FROM ops")[0][0] == before
