"""Bulk import: one transaction, searchable afterwards, undoable as one step."""

from sessionstudio import library as L
from sessionstudio.core.ids import uuid7
from sessionstudio.library.bulk import bulk_insert


def _rows(session_id, n, start=0):
    return [(uuid7(), session_id, "image" if i % 3 else "music", f"item {i}",
             f"prompt number {i} {'harbor' if i % 10 == 0 else 'field'}", "{}", "import", "import",
             i, None, "a" * 64, "image/png", 10, 8, 8, None, 0, start + i, start + i)
            for i in range(n)]


def test_bulk_insert_is_listed_searchable_and_undoable(lib, session_id):
    other = uuid7()
    ch = bulk_insert(lib, sessions=[(other, "Imported", 0, None, 5, 5)],
                     items=[_rows(session_id, 500), _rows(other, 300, start=1000)])
    assert ch.session_contents == {session_id, other} and ch.undoable
    assert L.count_items(lib, session_id=session_id) == {"image": 333, "music": 167,
                                                          "video": 0, "voiceover": 0}
    assert len(L.search(lib, "harbor", limit=1000).items) == 80
    assert [s.id for s in L.search(lib, "imported").sessions] == [other]
    # The triggers are back: a later rename is searchable.
    first = L.list_items(lib, session_id=other, limit=1)[0]
    L.rename_item(lib, item_id=first.id, name="zeppelin")
    assert [i.id for i in L.search(lib, "zeppelin").items] == [first.id]
    L.rename_session(lib, session_id=other, name="Dirigibles")
    assert [s.id for s in L.search(lib, "dirigibles").sessions] == [other]
    lib.undo()
    lib.undo()  # rename
    lib.undo()  # bulk import
    assert L.list_items(lib, session_id=session_id) == []
    assert L.search(lib, "harbor").items == []
    lib.redo()
    assert len(L.list_items(lib, session_id=other, limit=1000)) == 300
    assert len(L.search(lib, "harbor", limit=1000).items) == 80
