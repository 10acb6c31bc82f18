"""What sits on an artboard: place items, add notes, move, resize, restack, edit, remove.

Coordinates are board pixels at 100 % zoom. Each function is one journaled step: a drag
of twelve selected elements is one `move_elements` call, so one Ctrl+Z puts all twelve
back."""

import math

from ..core.changes import Changes
from ..core.errors import InvalidInput
from ..core.ids import now_ms, uuid7
from ..core.models import AUDIO_KINDS
from .journal import Tx
from .library import Library
from .sessions import _label

VISUAL_HEIGHT = 240.0          # a new picture or video is this tall; its width follows its aspect
TRACK_SIZE = (320.0, 96.0)     # a music or voiceover card
NOTE_SIZE = (220.0, 150.0)
GAP = 24.0
MIN_SIDE = 16.0
MAX_NOTE = 20_000              # characters


def _live_board(tx: Tx, artboard_id: str) -> dict:
    board = tx.row("artboards", artboard_id)
    if board["trashed_at"] is not None:
        raise InvalidInput(f"The board '{board['name']}' is in the trash; restore it first.")
    return board


def _touch_board(tx: Tx, artboard_id: str, now: int) -> None:
    tx.update("artboards", artboard_id, updated_at=now)


def _number(value, what: str) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise InvalidInput(f"{what} must be a number, not {value!r}.") from None
    if not math.isfinite(v):
        raise InvalidInput(f"{what} must be a finite number.")
    return round(v, 2)


def item_size(kind: str, width: int | None, height: int | None) -> tuple[float, float]:
    """The size an item gets when placed: a fixed height with the item's own aspect
    (kept between 1:4 and 4:1 so a panorama stays usable), a card for audio."""
    if kind in AUDIO_KINDS:
        return TRACK_SIZE
    aspect = (width / height) if width and height else 1.0
    aspect = min(4.0, max(0.25, aspect))
    return (round(VISUAL_HEIGHT * aspect, 2), VISUAL_HEIGHT)


def grid_positions(sizes: list[tuple[float, float]], origin: tuple[float, float]) -> list[tuple[float, float]]:
    """Top-left corners for a tidy block: one row for up to four, else about as many
    columns as rows (a little wider than tall), rows as tall as their tallest element."""
    n = len(sizes)
    cols = n if n <= 4 else max(1, math.ceil(math.sqrt(n * 1.6)))
    out, (x0, y) = [], origin
    for start in range(0, n, cols):
        row = sizes[start:start + cols]
        x = x0
        for w, _ in row:
            out.append((round(x, 2), round(y, 2)))
            x += w + GAP
        y += max(h for _, h in row) + GAP
    return out


def _next_z(tx: Tx, artboard_id: str) -> int:
    return tx.conn.execute("SELECT coalesce(max(z), 0) + 1 FROM artboard_elements "
                           "WHERE artboard_id = ?", [artboard_id]).fetchone()[0]


def place_items(tx: Tx, artboard_id: str, item_ids: list[str],
                at: tuple[float, float] | None) -> list[str]:
    """Put items on a board (inside an open transaction) and return the element ids.
    Without `at`, the new block goes to the right of what is already there."""
    _live_board(tx, artboard_id)
    if not item_ids:
        raise InvalidInput("Choose at least one item to add to the board.")
    items = [tx.row("items", iid) for iid in item_ids]
    sizes = [item_size(i["kind"], i["width"], i["height"]) for i in items]
    if at is None:
        right, top = tx.conn.execute("SELECT max(x + w), min(y) FROM artboard_elements "
                                     "WHERE artboard_id = ?", [artboard_id]).fetchone()
        at = (0.0, 0.0) if right is None else (right + 2 * GAP, top)
    else:
        at = (_number(at[0], "x"), _number(at[1], "y"))
    z, now, made = _next_z(tx, artboard_id), now_ms(), []
    for item, (w, h), (x, y) in zip(items, sizes, grid_positions(sizes, at)):
        made.append(tx.insert("artboard_elements", {
            "id": uuid7(), "artboard_id": artboard_id, "kind": "item", "item_id": item["id"],
            "text": "", "x": x, "y": y, "w": w, "h": h, "z": z, "rotation": 0.0,
            "created_at": now, "updated_at": now}))
        z += 1
    _touch_board(tx, artboard_id, now)
    return made


def add_to_artboard(lib: Library, *, artboard_id: str, item_ids: list[str],
                    at: tuple[float, float] | None = None) -> Changes:
    """Place items on a board (the new element ids are `created`), in a tidy row or grid
    at `at` or to the right of the existing content."""
    ids = list(item_ids)
    return lib.write(_label("Add to board", ids), lambda tx: place_items(tx, artboard_id, ids, at))


def add_note(lib: Library, *, artboard_id: str, text: str, x: float, y: float,
             w: float = NOTE_SIZE[0], h: float = NOTE_SIZE[1]) -> Changes:
    if len(text) > MAX_NOTE:
        raise InvalidInput(f"A note can hold at most {MAX_NOTE} characters.")

    def op(tx: Tx) -> None:
        _live_board(tx, artboard_id)
        now = now_ms()
        tx.insert("artboard_elements", {
            "id": uuid7(), "artboard_id": artboard_id, "kind": "note", "item_id": None,
            "text": text, "x": _number(x, "x"), "y": _number(y, "y"),
            "w": max(MIN_SIDE, _number(w, "w")), "h": max(MIN_SIDE, _number(h, "h")),
            "z": _next_z(tx, artboard_id), "rotation": 0.0, "created_at": now, "updated_at": now})
        _touch_board(tx, artboard_id, now)
    return lib.write("Add note", op)


def move_elements(lib: Library, *, moves: dict[str, tuple[float, float]]) -> Changes:
    """Move elements to new top-left corners: a multi-select drag is one step."""
    clean = {eid: (_number(x, "x"), _number(y, "y")) for eid, (x, y) in moves.items()}

    def op(tx: Tx) -> None:
        now, boards = now_ms(), set()
        for eid, (x, y) in clean.items():
            boards.add(tx.row("artboard_elements", eid)["artboard_id"])
            tx.update("artboard_elements", eid, x=x, y=y, updated_at=now)
        for board_id in boards:
            _touch_board(tx, board_id, now)
    return lib.write(_label("Move on board", list(clean)), op)


def resize_element(lib: Library, *, element_id: str, w: float, h: float,
                   x: float | None = None, y: float | None = None) -> Changes:
    """New size (and corner, when a top or left handle was dragged)."""
    fields = {"w": max(MIN_SIDE, _number(w, "w")), "h": max(MIN_SIDE, _number(h, "h"))}
    if x is not None:
        fields["x"] = _number(x, "x")
    if y is not None:
        fields["y"] = _number(y, "y")

    def op(tx: Tx) -> None:
        now = now_ms()
        board_id = tx.row("artboard_elements", element_id)["artboard_id"]
        tx.update("artboard_elements", element_id, **fields, updated_at=now)
        _touch_board(tx, board_id, now)
    return lib.write("Resize on board", op)


def set_z(lib: Library, *, element_ids: list[str], to: str) -> Changes:
    """Bring elements to the front ("front") or send them to the back ("back"), keeping
    their order among themselves."""
    if to not in ("front", "back"):
        raise InvalidInput(f"to must be 'front' or 'back', not {to!r}.")

    def op(tx: Tx) -> None:
        rows = sorted((tx.row("artboard_elements", eid) for eid in dict.fromkeys(element_ids)),
                      key=lambda r: (r["z"], r["_rowid"]))
        now = now_ms()
        for board_id in dict.fromkeys(r["artboard_id"] for r in rows):
            mine = [r for r in rows if r["artboard_id"] == board_id]
            lo, hi = tx.conn.execute("SELECT min(z), max(z) FROM artboard_elements "
                                     "WHERE artboard_id = ?", [board_id]).fetchone()
            first = hi + 1 if to == "front" else lo - len(mine)
            for n, r in enumerate(mine):
                tx.update("artboard_elements", r["id"], z=first + n, updated_at=now)
            _touch_board(tx, board_id, now)
    return lib.write(_label("Bring to front" if to == "front" else "Send to back",
                            list(element_ids)), op)


def edit_note(lib: Library, *, element_id: str, text: str, h: float | None = None) -> Changes:
    """Change a note's text (and its height, when the text grew past it)."""
    if len(text) > MAX_NOTE:
        raise InvalidInput(f"A note can hold at most {MAX_NOTE} characters.")
    fields = {"text": text}
    if h is not None:
        fields["h"] = max(MIN_SIDE, _number(h, "h"))

    def op(tx: Tx) -> None:
        row = tx.row("artboard_elements", element_id)
        if row["kind"] != "note":
            raise InvalidInput("Only notes have text to edit.")
        if any(row[k] != v for k, v in fields.items()):   # no empty step in the undo history
            now = now_ms()
            tx.update("artboard_elements", element_id, **fields, updated_at=now)
            _touch_board(tx, row["artboard_id"], now)
    return lib.write("Edit note", op)


def remove_elements(lib: Library, *, element_ids: list[str]) -> Changes:
    """Take elements off their board (the items themselves stay in their sessions)."""
    def op(tx: Tx) -> None:
        now = now_ms()
        for eid in dict.fromkeys(element_ids):
            row = tx.row("artboard_elements", eid)
            tx.delete("artboard_elements", eid)
            _touch_board(tx, row["artboard_id"], now)
    return lib.write(_label("Remove from board", list(element_ids)), op)
