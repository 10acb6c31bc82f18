"""Artboards: free-form boards holding items from any session, and notes.

A board is a row in `artboards`; what sits on it is rows in `artboard_elements`, each
with a rectangle in board coordinates (x, y, w, h: scene pixels at 100 %), a stacking
order z and a rotation. Every operation is one journaled transaction, so undo/redo
cover boards like everything else. The element operations (add, move, resize, z-order,
notes, remove) live in artboard_elements.py.

An element shows its item as the catalog has it now: an item moved to the trash shows
as a "missing (in the trash)" placeholder and comes back when the item is restored; a
purged item leaves a "deleted" placeholder the user can remove.
"""

import json
from dataclasses import dataclass, field
from typing import Any

from ..core.changes import Changes
from ..core.errors import NotFound
from ..core.ids import now_ms, uuid7
from .journal import Tx
from .library import Library
from .sessions import _clean_name


@dataclass
class ElementItem:
    """What an element shows of its item (read with the element, never cached)."""
    kind: str                 # image | video | music | voiceover
    name: str
    asset_hash: str
    mime: str
    width: int | None
    height: int | None
    duration_ms: int | None
    trashed: bool


@dataclass
class ArtboardElement:
    id: str
    artboard_id: str
    kind: str                 # item | note
    item_id: str | None
    text: str
    x: float
    y: float
    w: float
    h: float
    z: int
    rotation: float
    created_at: int
    updated_at: int
    item: ElementItem | None = None   # None for notes, and for an item purged for good

    @property
    def status(self) -> str:
        """"note", "ok", "trashed" (its item is in the trash) or "deleted" (purged)."""
        if self.kind == "note":
            return "note"
        if self.item is None:
            return "deleted"
        return "trashed" if self.item.trashed else "ok"

    @property
    def rect(self) -> tuple[float, float, float, float]:
        return (self.x, self.y, self.w, self.h)


@dataclass
class Artboard:
    id: str
    name: str
    created_at: int
    updated_at: int
    trashed_at: int | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    element_count: int = 0
    elements: list[ArtboardElement] = field(default_factory=list)   # by z, then age

    def bounds(self) -> tuple[float, float, float, float] | None:
        """(left, top, right, bottom) around every element, or None for an empty board."""
        if not self.elements:
            return None
        return (min(e.x for e in self.elements), min(e.y for e in self.elements),
                max(e.x + e.w for e in self.elements), max(e.y + e.h for e in self.elements))


_ELEMENT_SQL = """
SELECT e.*, i.kind AS i_kind, i.name AS i_name, i.asset_hash AS i_hash, i.mime AS i_mime,
       i.width AS i_width, i.height AS i_height, i.duration_ms AS i_duration,
       i.trashed_at AS i_trashed
FROM artboard_elements e LEFT JOIN items i ON i.id = e.item_id
WHERE e.artboard_id = ? ORDER BY e.z, e.rowid"""


def _element(r) -> ArtboardElement:
    item = None
    if r["kind"] == "item" and r["i_kind"] is not None:
        item = ElementItem(r["i_kind"], r["i_name"], r["i_hash"], r["i_mime"], r["i_width"],
                           r["i_height"], r["i_duration"], r["i_trashed"] is not None)
    return ArtboardElement(r["id"], r["artboard_id"], r["kind"], r["item_id"], r["text"],
                           r["x"], r["y"], r["w"], r["h"], r["z"], r["rotation"],
                           r["created_at"], r["updated_at"], item)


def _board(r, count: int = 0) -> Artboard:
    return Artboard(r["id"], r["name"], r["created_at"], r["updated_at"], r["trashed_at"],
                    json.loads(r["settings"] or "{}"), count)


# -- reading ---------------------------------------------------------------------------
def list_artboards(lib: Library, *, trashed: bool = False) -> list[Artboard]:
    """Boards, newest first, with how many elements each holds (not the elements)."""
    cond = "IS NOT NULL" if trashed else "IS NULL"
    rows = lib.query(f"""SELECT a.*, (SELECT count(*) FROM artboard_elements e
                                      WHERE e.artboard_id = a.id) AS n
                         FROM artboards a WHERE a.trashed_at {cond}
                         ORDER BY a.created_at DESC, a.rowid DESC""")
    return [_board(r, r["n"]) for r in rows]


def get_artboard(lib: Library, artboard_id: str) -> Artboard:
    """A board with its elements (each with its item's current state), bottom to top."""
    with lib.reading() as conn:
        row = conn.execute("SELECT * FROM artboards WHERE id = ?", [artboard_id]).fetchone()
        if row is None:
            raise NotFound(f"No artboard with id {artboard_id}")
        board = _board(row)
        board.elements = [_element(r) for r in conn.execute(_ELEMENT_SQL, [artboard_id])]
    board.element_count = len(board.elements)
    return board


def boards_holding(lib: Library, item_ids: list[str]) -> set[str]:
    """The boards on which any of these items sits (to refresh them when items change)."""
    if not item_ids:
        return set()
    marks = ", ".join("?" for _ in item_ids)
    return {r[0] for r in lib.query(f"SELECT DISTINCT artboard_id FROM artboard_elements "
                                    f"WHERE item_id IN ({marks})", list(item_ids))}


# -- boards ----------------------------------------------------------------------------
def create_artboard(lib: Library, *, name: str, item_ids: list[str] = ()) -> Changes:
    """A new board (first id in `created`), with items already placed on it if given:
    "New board…" in an Add to Artboard menu is one step to undo."""
    name = _clean_name(name)

    def op(tx: Tx) -> None:
        now = now_ms()
        board_id = tx.insert("artboards", {"id": uuid7(), "name": name, "created_at": now,
                                           "updated_at": now, "settings": "{}"})
        if item_ids:
            from .artboard_elements import place_items
            place_items(tx, board_id, list(item_ids), None)
    return lib.write("New board", op)


def rename_artboard(lib: Library, *, artboard_id: str, name: str) -> Changes:
    name = _clean_name(name)
    return lib.write("Rename board", lambda tx: tx.update("artboards", artboard_id, name=name,
                                                            updated_at=now_ms()))


def trash_artboard(lib: Library, *, artboard_id: str) -> Changes:
    def op(tx: Tx) -> None:
        if tx.row("artboards", artboard_id)["trashed_at"] is None:
            tx.update("artboards", artboard_id, trashed_at=now_ms())
    return lib.write("Move board to trash", op)


def restore_artboard(lib: Library, *, artboard_id: str) -> Changes:
    return lib.write("Restore board",
                     lambda tx: tx.update("artboards", artboard_id, trashed_at=None))


def purge_artboard_rows(tx: Tx, artboard_id: str) -> None:
    """Delete a board and its elements (elements first: they point at the board)."""
    for (eid,) in tx.conn.execute("SELECT id FROM artboard_elements WHERE artboard_id = ?",
                                  [artboard_id]).fetchall():
        tx.delete("artboard_elements", eid)
    tx.delete("artboards", artboard_id)


def purge_artboard(lib: Library, *, artboard_id: str) -> Changes:
    """Delete a board for good (journaled: still undoable). The items stay in their sessions."""
    return lib.write("Delete board permanently", lambda tx: purge_artboard_rows(tx, artboard_id))
