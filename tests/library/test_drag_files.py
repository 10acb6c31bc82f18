"""Files for a drag out, made ahead of the drag: each is a Download (recipe embedded),
made once per item version, found again without disk or catalog work, made anew after
the item changes, and removed after an hour."""

import os
import time

from sessionstudio.library import add_item, get_item, rename_item
from sessionstudio.library.drag_files import MAX_AGE_S, DragFiles
from sessionstudio.media.png_text import read_png_text
from tests.mediafactory import make_png, make_wav


def _add(lib, session_id, path, **kw):
    return add_item(lib, session_id=session_id, source=path, **kw).created[0]


def test_prepared_files_carry_the_recipe_and_are_reused(lib, session_id, tmp_path):
    pic = _add(lib, session_id, make_png(tmp_path / "a.png"), name="Fox", prompt="a red fox")
    drag = DragFiles(lib)
    assert drag.ready([get_item(lib, pic)]) == {}
    made = drag.prepare([pic])
    path = made[pic]
    assert path.name == "Fox.png" and path.is_file()
    assert read_png_text(path.read_bytes())["parameters"].startswith("a red fox")
    assert drag.ready([get_item(lib, pic)]) == {pic: path}
    assert drag.prepare([pic]) == {pic: path}              # not made twice
    assert len(list(drag.root.iterdir())) == 1


def test_a_changed_item_gets_a_new_file_and_undo_finds_the_old_one(lib, session_id, tmp_path):
    pic = _add(lib, session_id, make_png(tmp_path / "a.png"), name="Fox")
    drag = DragFiles(lib)
    first = drag.prepare([pic])[pic]
    rename_item(lib, item_id=pic, name="Wolf")
    assert drag.ready([get_item(lib, pic)]) == {}           # that file shows the old name
    second = drag.prepare([pic])[pic]
    assert second.name == "Wolf.png" and second != first
    lib.undo()
    assert get_item(lib, pic).name == "Fox"
    assert drag.prepare([pic])[pic].name == "Fox.png"


def test_items_gone_or_without_a_file_are_left_out(lib, session_id, tmp_path):
    pic = _add(lib, session_id, make_png(tmp_path / "a.png"))
    track = _add(lib, session_id, make_wav(tmp_path / "t.wav"), name="Track")
    lib.store.path(get_item(lib, pic).asset_hash).unlink()
    made = DragFiles(lib).prepare([pic, "no-such-item", track])
    assert list(made) == [track] and made[track].name == "Track.wav"


def test_a_file_removed_from_the_drag_folder_is_made_again(lib, session_id, tmp_path):
    pic = _add(lib, session_id, make_png(tmp_path / "a.png"), name="Fox")
    drag = DragFiles(lib)
    path = drag.prepare([pic])[pic]
    path.unlink()
    again = drag.prepare([pic])[pic]
    assert again.is_file() and again.name == "Fox.png"


def test_folders_older_than_an_hour_are_removed(lib, session_id, tmp_path):
    old_pic = _add(lib, session_id, make_png(tmp_path / "a.png"), name="Old")
    new_pic = _add(lib, session_id, make_png(tmp_path / "b.png", 32, 32), name="New")
    drag = DragFiles(lib)
    old = drag.prepare([old_pic])[old_pic]
    new = drag.prepare([new_pic])[new_pic]
    long_ago = time.time() - MAX_AGE_S - 60
    os.utime(old.parent, (long_ago, long_ago))
    drag.prune(now=time.time() + 120)   # the last look was just now: wait out the minute
    assert not old.parent.exists() and new.is_file()
    assert drag.ready([get_item(lib, old_pic)]) == {}
    assert drag.ready([get_item(lib, new_pic)]) == {new_pic: new}


def test_a_folder_handed_out_gets_another_hour(lib, session_id, tmp_path):
    """Made long ago, dragged just now: the drop target still has its hour."""
    pic = _add(lib, session_id, make_png(tmp_path / "a.png"), name="Fox")
    drag = DragFiles(lib)
    path = drag.prepare([pic])[pic]
    long_ago = time.time() - MAX_AGE_S + 30
    os.utime(path.parent, (long_ago, long_ago))
    assert drag.for_drag([pic], [get_item(lib, pic)]) == {pic: path}
    drag.prune(now=time.time() + 120)
    assert path.is_file()


def test_made_ahead_in_the_background_skipping_files_too_big(lib, session_id, tmp_path,
                                                            monkeypatch):
    import sessionstudio.library.drag_files as df
    small = _add(lib, session_id, make_png(tmp_path / "a.png", 16, 16), name="Small")
    big = _add(lib, session_id, make_png(tmp_path / "b.png", 400, 300), name="Big")
    monkeypatch.setattr(df, "AHEAD_MAX_BYTES", get_item(lib, small).size)
    drag = DragFiles(lib)
    drag.prepare_soon([small, big])
    deadline = time.time() + 10
    while drag._worker is not None and time.time() < deadline:
        time.sleep(0.01)
    items = [get_item(lib, small), get_item(lib, big)]
    assert list(drag.ready(items)) == [small]          # the big one waits for a real drag
    made = drag.for_drag([small, big], items)
    assert made[big].name == "Big.png" and made[small] == drag.ready(items)[small]


def test_forget_makes_every_file_again(lib, session_id, tmp_path):
    pic = _add(lib, session_id, make_png(tmp_path / "a.png"), name="Fox")
    drag = DragFiles(lib)
    first = drag.prepare([pic])[pic]
    drag.forget()
    assert drag.ready([get_item(lib, pic)]) == {}
    assert drag.prepare([pic])[pic] != first
