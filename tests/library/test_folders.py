"""Folders: nesting, moving sessions and folders, trash and restore as a unit."""

import pytest

from sessionstudio import library as L
from sessionstudio.core.errors import InvalidInput


def _folder(lib, name, parent=None):
    return L.create_folder(lib, name=name, parent_id=parent).created[0]


def test_nesting_and_moves(lib, session_id):
    work = _folder(lib, "Work")
    client = _folder(lib, "Client", work)
    L.move_sessions(lib, session_ids=[session_id], folder_id=client)
    assert [s.id for s in L.list_sessions(lib, folder=client)] == [session_id]
    assert L.list_sessions(lib, folder=None) == []
    L.move_folder(lib, folder_id=client, parent_id=None)
    assert {f.name: f.parent_id for f in L.list_folders(lib)} == {"Work": None, "Client": None}
    L.rename_folder(lib, folder_id=work, name="Jobs")
    assert "Jobs" in [f.name for f in L.list_folders(lib)]


def test_folder_cannot_go_inside_itself(lib):
    a = _folder(lib, "A")
    b = _folder(lib, "B", a)
    c = _folder(lib, "C", b)
    for target in (a, c):
        with pytest.raises(InvalidInput, match="inside itself"):
            L.move_folder(lib, folder_id=a, parent_id=target)


def test_trash_folder_takes_contents_and_restore_brings_them_back(lib, session_id):
    a = _folder(lib, "A")
    b = _folder(lib, "B", a)
    L.move_sessions(lib, session_ids=[session_id], folder_id=b)
    other = L.create_session(lib, name="elsewhere").created[0]
    L.trash_folder(lib, folder_id=a)
    assert L.list_folders(lib) == []
    assert [s.id for s in L.list_sessions(lib)] == [other]
    L.restore_folder(lib, folder_id=a)
    assert {f.name for f in L.list_folders(lib)} == {"A", "B"}
    assert {s.id for s in L.list_sessions(lib)} == {session_id, other}


def test_restoring_a_session_restores_its_folder(lib, session_id):
    a = _folder(lib, "A")
    L.move_sessions(lib, session_ids=[session_id], folder_id=a)
    L.trash_folder(lib, folder_id=a)
    L.restore_sessions(lib, session_ids=[session_id])
    assert [f.name for f in L.list_folders(lib)] == ["A"]


def test_purge_folder_is_undoable(lib, session_id):
    a = _folder(lib, "A")
    b = _folder(lib, "B", a)
    L.move_sessions(lib, session_ids=[session_id], folder_id=b)
    L.purge_folder(lib, folder_id=a)
    assert L.list_folders(lib) == [] and L.list_sessions(lib) == []
    lib.undo()
    assert {f.name for f in L.list_folders(lib)} == {"A", "B"}
    assert [s.id for s in L.list_sessions(lib, folder=b)] == [session_id]
