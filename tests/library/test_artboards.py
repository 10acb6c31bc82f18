"""Artboards on a real library: placement, moves as one undo step, z-order, notes,
boards in the trash, items trashed while on a board, undo/redo of every operation, and
PNG/PDF exports checked pixel by pixel (the PNG is saved to screenshots/ to look at)."""

from pathlib import Path

import pytest
from PIL import Image

from sessionstudio import library as L
from sessionstudio.core.errors import InvalidInput
from sessionstudio.library.artboard_elements import GAP, TRACK_SIZE, VISUAL_HEIGHT
from sessionstudio.library.artboard_export import MARGIN, render_artboard
from sessionstudio.library.artboards import boards_holding
from sessionstudio.library.artboard_tiles import BOARD_BACKGROUND, NOTE_FILL, TRACK_FILL
from tests.mediafactory import make_mp4, make_wav

SHOTS = Path(__file__).resolve().parents[2] / "screenshots"
RED, BLUE, GREEN = (220, 40, 40), (40, 90, 220), (40, 170, 80)


def solid(path: Path, size, colour) -> Path:
    Image.new("RGB", size, colour).save(path)
    return path


@pytest.fixture
def items(lib, session_id, tmp_path):
    """A wide red, a tall blue and a square green picture, a track and a video."""
    def add(path, **kw):
        return L.add_item(lib, session_id=session_id, source=path, **kw).created[0]
    return {
        "red": add(solid(tmp_path / "red.png", (400, 200), RED)),
        "blue": add(solid(tmp_path / "blue.png", (150, 300), BLUE)),
        "green": add(solid(tmp_path / "green.png", (120, 120), GREEN)),
        "track": add(make_wav(tmp_path / "theme.wav", seconds=0.5), kind="music", name="Theme"),
        "video": add(make_mp4(tmp_path / "clip.mp4", seconds=0.5)),
    }


@pytest.fixture
def board(lib):
    return L.create_artboard(lib, name="Moodboard").created[0]


def rects(lib, board_id):
    return {e.item_id or e.text: e.rect for e in L.get_artboard(lib, board_id).elements}


def test_items_are_placed_in_a_row_sized_by_their_aspect(lib, board, items):
    ch = L.add_to_artboard(lib, artboard_id=board, item_ids=[items["red"], items["blue"], items["track"]])
    assert len(ch.created) == 3 and ch.artboards == {board}
    r = rects(lib, board)
    assert r[items["red"]] == (0, 0, VISUAL_HEIGHT * 2, VISUAL_HEIGHT)
    assert r[items["blue"]] == (VISUAL_HEIGHT * 2 + GAP, 0, VISUAL_HEIGHT / 2, VISUAL_HEIGHT)
    assert r[items["track"]][2:] == TRACK_SIZE
    # The next block goes to the right of everything, top-aligned.
    L.add_to_artboard(lib, artboard_id=board, item_ids=[items["green"]])
    green = rects(lib, board)[items["green"]]
    right = max(x + w for x, _, w, _ in r.values())
    assert green == (right + 2 * GAP, 0, VISUAL_HEIGHT, VISUAL_HEIGHT)
    # Many at once make a grid, and `at` puts it where asked.
    many = [items["green"]] * 9
    L.add_to_artboard(lib, artboard_id=board, item_ids=many, at=(0, 1000))
    placed = [e for e in L.get_artboard(lib, board).elements if e.y >= 1000]
    assert len({e.x for e in placed}) == 4 and len({e.y for e in placed}) == 3
    assert min(e.x for e in placed) == 0 and min(e.y for e in placed) == 1000
    assert [b.element_count for b in L.list_artboards(lib)] == [13]


def test_move_of_several_elements_is_one_undo_step(lib, board, items):
    ids = L.add_to_artboard(lib, artboard_id=board, item_ids=[items["red"], items["blue"]]).created
    before = rects(lib, board)
    L.move_elements(lib, moves={ids[0]: (100, 50), ids[1]: (700.5, -20)})
    after = rects(lib, board)
    assert after[items["red"]][:2] == (100, 50) and after[items["blue"]][:2] == (700.5, -20)
    assert lib.undo_label() == "Move on board (2)"
    ch = lib.undo()
    assert ch.artboards == {board} and rects(lib, board) == before
    lib.redo()
    assert rects(lib, board) == after


def test_resize_z_order_and_remove_undo_and_redo(lib, board, items):
    a, b, c = L.add_to_artboard(lib, artboard_id=board,
                                item_ids=[items["red"], items["blue"], items["green"]]).created
    order = lambda: [e.id for e in L.get_artboard(lib, board).elements]   # noqa: E731
    assert order() == [a, b, c]
    L.set_z(lib, element_ids=[a], to="front")
    assert order() == [b, c, a]
    L.set_z(lib, element_ids=[c, a], to="back")
    assert order() == [c, a, b]
    lib.undo()
    assert order() == [b, c, a]
    lib.undo()
    assert order() == [a, b, c]
    L.resize_element(lib, element_id=b, w=60, h=120, x=-10, y=-20)
    assert rects(lib, board)[items["blue"]] == (-10, -20, 60, 120)
    lib.undo()
    assert rects(lib, board)[items["blue"]] == (VISUAL_HEIGHT * 2 + GAP, 0, 120, 240)
    L.remove_elements(lib, element_ids=[a, c])
    assert order() == [b]
    lib.undo()
    assert order() == [a, b, c]
    lib.redo()
    assert order() == [b]
    assert L.get_item(lib, items["red"]).trashed_at is None     # the items stay in their session


def test_notes_are_added_edited_and_undone(lib, board):
    note = L.add_note(lib, artboard_id=board, text="Warm palette", x=10, y=20).created[0]
    (e,) = L.get_artboard(lib, board).elements
    assert (e.kind, e.status, e.text, e.rect[:2]) == ("note", "note", "Warm palette", (10, 20))
    L.edit_note(lib, element_id=note, text="Warm palette, soft light", h=300)
    e = L.get_artboard(lib, board).elements[0]
    assert (e.text, e.h) == ("Warm palette, soft light", 300)
    seq = lib.undo_label()
    L.edit_note(lib, element_id=note, text="Warm palette, soft light", h=300)
    assert lib.undo_label() == seq                  # no change, no empty undo step
    lib.undo()
    assert L.get_artboard(lib, board).elements[0].text == "Warm palette"
    lib.undo()
    assert L.get_artboard(lib, board).elements == []
    lib.redo()
    assert L.get_artboard(lib, board).elements[0].text == "Warm palette"


def test_board_rename_trash_restore_and_purge(lib, board, items):
    other = L.create_artboard(lib, name="Later", item_ids=[items["red"]]).created[0]
    assert [b.name for b in L.list_artboards(lib)] == ["Later", "Moodboard"]
    assert lib.undo_label() == "New board"
    L.rename_artboard(lib, artboard_id=board, name="Palette")
    L.trash_artboard(lib, artboard_id=other)
    assert [b.name for b in L.list_artboards(lib)] == ["Palette"]
    assert [b.name for b in L.list_artboards(lib, trashed=True)] == ["Later"]
    with pytest.raises(InvalidInput, match="in the trash"):
        L.add_note(lib, artboard_id=other, text="x", x=0, y=0)
    L.restore_artboard(lib, artboard_id=other)
    assert [b.name for b in L.list_artboards(lib)] == ["Later", "Palette"]
    L.purge_artboard(lib, artboard_id=other)
    assert [b.name for b in L.list_artboards(lib)] == ["Palette"]
    lib.undo()
    assert L.get_artboard(lib, other).element_count == 1
    L.trash_artboard(lib, artboard_id=other)
    L.empty_trash(lib)
    assert L.list_artboards(lib, trashed=True) == []
    lib.undo()
    assert L.list_artboards(lib, trashed=True)[0].id == other


def test_an_item_trashed_while_on_a_board_shows_as_missing(lib, board, items):
    L.add_to_artboard(lib, artboard_id=board, item_ids=[items["red"], items["blue"]])
    ch = L.trash_items(lib, item_ids=[items["red"]])
    assert items["red"] in ch.items
    assert boards_holding(lib, list(ch.items)) == {board}
    status = lambda: [e.status for e in L.get_artboard(lib, board).elements]   # noqa: E731
    assert status() == ["trashed", "ok"]
    L.restore_items(lib, item_ids=[items["red"]])
    assert status() == ["ok", "ok"]
    L.trash_items(lib, item_ids=[items["red"]])
    L.empty_trash(lib)
    assert status() == ["deleted", "ok"]            # the element stays, as a placeholder
    lib.undo()
    assert status() == ["trashed", "ok"]


def test_png_export_draws_each_element_where_it_sits(lib, board, items):
    L.add_to_artboard(lib, artboard_id=board, item_ids=[items["red"], items["blue"]])
    L.add_to_artboard(lib, artboard_id=board, item_ids=[items["track"], items["video"]],
                      at=(0, VISUAL_HEIGHT + GAP))
    L.add_note(lib, artboard_id=board, text="Keep the reds warm and the blues deep. "
               "Video loops; theme under the intro.", x=VISUAL_HEIGHT * 2.5 + 2 * GAP, y=-40,
               w=240, h=170)
    trashed = L.add_to_artboard(lib, artboard_id=board, item_ids=[items["green"]]).created[0]
    L.trash_items(lib, item_ids=[items["green"]])
    SHOTS.mkdir(exist_ok=True)
    dest = L.export_artboard(lib, board, SHOTS / "artboard_export.png")
    img = Image.open(dest).convert("RGB")
    left = min(x for x, *_ in rects(lib, board).values())
    top = -40

    def at(x, y):
        return img.getpixel((round(x - left + MARGIN), round(y - top + MARGIN)))

    def near(a, b, tol=12):
        return all(abs(p - q) <= tol for p, q in zip(a, b))

    assert near(at(VISUAL_HEIGHT, VISUAL_HEIGHT / 2), RED)              # centre of the red one
    assert near(at(VISUAL_HEIGHT * 2 + GAP + 60, 120), BLUE)
    assert near(at(VISUAL_HEIGHT * 2.5 + 2 * GAP + 230, -35), NOTE_FILL)   # the note's corner area
    track_y = VISUAL_HEIGHT + GAP
    assert near(at(TRACK_SIZE[0] - 8, track_y + 8), TRACK_FILL, 6)
    assert near(at(-20, -20), BOARD_BACKGROUND, 2)                      # margin
    e = next(e for e in L.get_artboard(lib, board).elements if e.id == trashed)
    assert not near(at(e.x + e.w / 2, e.y + 20), GREEN, 60)             # placeholder, not the picture
    # Scale 2 doubles the size; an empty board or another format is refused.
    assert render_artboard(lib, board, scale=2).size == (img.width * 2, img.height * 2)
    empty = L.create_artboard(lib, name="Empty").created[0]
    with pytest.raises(InvalidInput, match="empty"):
        L.export_artboard(lib, empty, SHOTS / "never.png")
    with pytest.raises(InvalidInput, match=".png or .pdf"):
        L.export_artboard(lib, board, SHOTS / "board.gif")


def test_pdf_export_is_one_page_the_boards_size(lib, board, items, tmp_path):
    L.add_to_artboard(lib, artboard_id=board, item_ids=[items["red"]])
    dest = L.export_artboard(lib, board, tmp_path / "board.pdf")
    data = dest.read_bytes()
    assert data.startswith(b"%PDF") and data.count(b"/Type /Page\n") == 1
    width, height = VISUAL_HEIGHT * 2 + 2 * MARGIN, VISUAL_HEIGHT + 2 * MARGIN
    assert f"/MediaBox [ 0 0 {width:.1f} {height:.1f} ]".encode() in data   # a point per board pixel
