"""`sessionstudio artboards ...`: boards of items from any session, and notes, from the
command line; `export` draws a board as PNG or PDF without a display."""

from ..core.errors import InvalidInput, NotFound
from ..library import (add_note, add_to_artboard, create_artboard, export_artboard, get_artboard,
                       list_artboards, purge_artboard, rename_artboard, restore_artboard,
                       trash_artboard)
from ..library.artboard_elements import GAP, NOTE_SIZE
from .output import emit, table, when
from .refs import resolve_item


def add_parsers(top, add) -> None:
    """Register the artboard commands (add: parser.py's _add helper)."""
    boards = top.add_parser("artboards", help="boards of items from any session, and notes"
                            ).add_subparsers(dest="action", metavar="ACTION", required=True)
    p = add(boards, "ls", artboards_ls, "list boards, newest first", writes=False)
    p.add_argument("--trash", action="store_true", help="the boards in the trash")
    p = add(boards, "show", artboards_show, "list what is on a board", writes=False)
    p.add_argument("board")
    p = add(boards, "new", artboards_new, "create a board", writes=True)
    p.add_argument("name")
    p.add_argument("items", nargs="*", help="items to put on it right away")
    p = add(boards, "rename", artboards_rename, "rename a board", writes=True)
    p.add_argument("board")
    p.add_argument("name")
    p = add(boards, "add", artboards_add, "put items on a board", writes=True)
    p.add_argument("board")
    p.add_argument("items", nargs="+")
    p.add_argument("--at", metavar="X,Y", help="top-left corner (default: right of the content)")
    p = add(boards, "note", artboards_note, "put a text note on a board", writes=True)
    p.add_argument("board")
    p.add_argument("text")
    p.add_argument("--at", metavar="X,Y", help="top-left corner (default: right of the content)")
    p = add(boards, "export", artboards_export, "draw a board as a PNG or PDF file", writes=False)
    p.add_argument("board")
    p.add_argument("file", help="FILE.png or FILE.pdf")
    p.add_argument("--scale", type=float, help="pixels per board pixel (PNG 1, PDF 2)")
    p = add(boards, "rm", artboards_rm, "move a board to the trash", writes=True)
    p.add_argument("board")
    p.add_argument("--purge", action="store_true", help="delete permanently instead")
    p = add(boards, "restore", artboards_restore, "restore a board from the trash", writes=True)
    p.add_argument("board")


def resolve_board(lib, ref: str) -> str:
    """A board by id, unique id prefix (4+ characters) or exact name (case-insensitive;
    a live board wins over ones in the trash)."""
    ref = ref.strip()
    ids = [r[0] for r in lib.query("SELECT id FROM artboards WHERE id = ?", [ref])]
    if not ids and len(ref) >= 4:
        ids = [r[0] for r in lib.query("SELECT id FROM artboards WHERE id LIKE ? ESCAPE '\\' "
                                       "LIMIT 11", [ref.replace("%", "\\%").replace("_", "\\_") + "%"])]
    if not ids:
        rows = lib.query("SELECT id, trashed_at IS NULL AS live FROM artboards "
                         "WHERE name = ? COLLATE NOCASE LIMIT 11", [ref])
        ids = [r[0] for r in rows if r[1]] or [r[0] for r in rows]
    if not ids:
        raise NotFound(f"No board matches '{ref}' (see `sessionstudio artboards ls`).")
    if len(ids) > 1:
        raise InvalidInput(f"'{ref}' matches several boards; use the full id.")
    return ids[0]


def _point(text: str | None) -> tuple[float, float] | None:
    if text is None:
        return None
    try:
        x, y = (float(v) for v in text.split(","))
    except ValueError:
        raise InvalidInput(f"--at takes X,Y (two numbers), not {text!r}.") from None
    return (x, y)


def artboards_ls(lib, args) -> int:
    boards = list_artboards(lib, trashed=args.trash)
    rows = [[b.id, b.name, f"{b.element_count} on it", when(b.updated_at)] for b in boards]
    emit(args, boards, table(rows) or ["No boards" + (" in the trash." if args.trash else " yet.")])
    return 0


def artboards_show(lib, args) -> int:
    board = get_artboard(lib, resolve_board(lib, args.board))
    lines = [f"{board.name}  ({board.id})"]
    for e in board.elements:
        what = (f"note: {e.text.splitlines()[0] if e.text else ''}" if e.kind == "note"
                else f"{e.item.kind}: {e.item.name}" if e.item else "deleted item")
        if e.status == "trashed":
            what += "  (in the trash)"
        lines.append(f"  {e.id[-8:]}  {e.x:>7g},{e.y:<7g} {e.w:g}x{e.h:g}  {what}")
    emit(args, board, lines)
    return 0


def artboards_new(lib, args) -> int:
    items = [resolve_item(lib, ref) for ref in args.items]
    board_id = create_artboard(lib, name=args.name, item_ids=items).created[0]
    emit(args, {"id": board_id}, [f"created board {board_id}"])
    return 0


def artboards_rename(lib, args) -> int:
    rename_artboard(lib, artboard_id=resolve_board(lib, args.board), name=args.name)
    return 0


def artboards_add(lib, args) -> int:
    board_id = resolve_board(lib, args.board)
    items = [resolve_item(lib, ref) for ref in args.items]
    made = add_to_artboard(lib, artboard_id=board_id, item_ids=items, at=_point(args.at)).created
    emit(args, {"elements": made}, [f"added {len(made)} item{'s' if len(made) != 1 else ''}"])
    return 0


def artboards_note(lib, args) -> int:
    board_id = resolve_board(lib, args.board)
    at = _point(args.at)
    if at is None:
        bounds = get_artboard(lib, board_id).bounds()
        at = (0.0, 0.0) if bounds is None else (bounds[2] + 2 * GAP, bounds[1])
    made = add_note(lib, artboard_id=board_id, text=args.text, x=at[0], y=at[1],
                    w=NOTE_SIZE[0], h=NOTE_SIZE[1]).created
    emit(args, {"element": made[0]}, ["added a note"])
    return 0


def artboards_export(lib, args) -> int:
    dest = export_artboard(lib, resolve_board(lib, args.board), args.file, scale=args.scale)
    emit(args, {"file": str(dest)}, [f"exported to {dest}"])
    return 0


def artboards_rm(lib, args) -> int:
    board_id = resolve_board(lib, args.board)
    (purge_artboard if args.purge else trash_artboard)(lib, artboard_id=board_id)
    return 0


def artboards_restore(lib, args) -> int:
    restore_artboard(lib, artboard_id=resolve_board(lib, args.board))
    return 0
