"""Artboards travel like sessions: boards, their items and notes, moves and trash, with the
same merge rules (an element arriving before its board waits for it)."""

import time

from sessionstudio import library as L
from sessionstudio.sync import list_conflicts
from tests.sync.conftest import sync_all
from tests.sync.test_merge import _item


def _board(lib, name="Moodboard"):
    sid = L.create_session(lib, name="S").created[0]
    iid = _item(lib, sid)
    bid = L.create_artboard(lib, name=name, item_ids=[iid]).created[0]
    L.add_note(lib, artboard_id=bid, text="warmer light", x=400, y=40)
    return bid, iid


def test_a_board_with_items_and_notes_reaches_the_other_device(device):
    a, b = device("a"), device("b")
    bid, iid = _board(a.lib)
    sync_all(a, b)
    board = L.get_artboard(b.lib, bid)
    assert board.name == "Moodboard"
    kinds = sorted((e.kind, e.item_id or e.text) for e in board.elements)
    assert kinds == [("item", iid), ("note", "warmer light")]
    assert b.lib.store.has(L.get_item(b.lib, iid).asset_hash)
    assert a.state() == b.state()


def test_moves_on_two_devices_merge_per_field_and_trash_travels(device):
    a, b = device("a"), device("b")
    bid, _ = _board(a.lib)
    sync_all(a, b)
    note = [e for e in L.get_artboard(a.lib, bid).elements if e.kind == "note"][0]
    L.move_elements(a.lib, moves={note.id: (10.0, 20.0)})
    time.sleep(0.005)
    L.edit_note(b.lib, element_id=note.id, text="cooler light")      # another field
    L.rename_artboard(b.lib, artboard_id=bid, name="Final board")
    sync_all(a, b)
    for d in (a, b):
        e = [e for e in L.get_artboard(d.lib, bid).elements if e.id == note.id][0]
        assert (e.x, e.y, e.text) == (10.0, 20.0, "cooler light")
        assert L.get_artboard(d.lib, bid).name == "Final board"
    assert not [c for c in list_conflicts(a.lib) if c.table.startswith("artboard")]
    L.trash_artboard(b.lib, artboard_id=bid)
    sync_all(a, b)
    assert L.get_artboard(a.lib, bid).trashed_at is not None
    L.restore_artboard(a.lib, artboard_id=bid)
    sync_all(a, b)
    assert L.get_artboard(b.lib, bid).trashed_at is None
    assert a.state() == b.state()


def test_purged_board_versus_a_note_added_elsewhere_keeps_the_note(device):
    a, b = device("a"), device("b")
    bid, _ = _board(a.lib)
    sync_all(a, b)
    L.purge_artboard(a.lib, artboard_id=bid)
    L.add_note(b.lib, artboard_id=bid, text="added offline", x=0, y=300)
    sync_all(a, b)
    for d in (a, b):
        texts = [e.text for e in L.get_artboard(d.lib, bid).elements if e.kind == "note"]
        assert "added offline" in texts                 # not lost: the board came back
    assert a.state() == b.state()
