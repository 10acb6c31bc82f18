"""Any sequence of operations undone completely gives back the starting catalog, and
redone completely gives back the final one (Hypothesis picks the sequences)."""

import json

from hypothesis import HealthCheck, given, settings, strategies as st

from sessionstudio import library as L
from sessionstudio.core.errors import StudioError

TABLES = ("folders", "sessions", "items", "item_inputs")


def snapshot(lib):
    return {t: [json.dumps(dict(r), sort_keys=True) for r in lib.query(f"SELECT * FROM {t} ORDER BY id")]
            for t in TABLES}


ops = st.lists(st.tuples(st.sampled_from(
    ["new_session", "rename", "trash", "restore", "purge", "add", "fav", "move", "copy",
     "trash_item", "purge_item", "folder", "move_session", "dup", "trash_folder"]),
    st.integers(0, 1000)), min_size=1, max_size=14)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=ops)
def test_undo_all_then_redo_all(make_lib, tmp_path, steps):
    from tests.mediafactory import make_png
    png = tmp_path / "p.png"
    if not png.exists():
        make_png(png)
    lib = make_lib(f"prop{len(list(tmp_path.glob('prop*')))}")
    base = L.create_session(lib, name="base").created[0]
    start = snapshot(lib)
    applied = 0
    for name, n in steps:
        sessions = [r[0] for r in lib.query("SELECT id FROM sessions ORDER BY id")]
        items = [r[0] for r in lib.query("SELECT id FROM items ORDER BY id")]
        folders = [r[0] for r in lib.query("SELECT id FROM folders ORDER BY id")]
        pick = lambda xs: xs[n % len(xs)] if xs else None  # noqa: E731
        s, i, f = pick(sessions), pick(items), pick(folders)
        ch = None
        try:
            if name == "new_session":
                ch = L.create_session(lib, name=f"s{n}")
            elif name == "rename" and s:
                ch = L.rename_session(lib, session_id=s, name=f"r{n}")
            elif name == "trash" and s:
                ch = L.trash_sessions(lib, session_ids=[s])
            elif name == "restore" and s:
                ch = L.restore_sessions(lib, session_ids=[s])
            elif name == "purge" and s and s != base:
                ch = L.purge_sessions(lib, session_ids=[s])
            elif name == "add" and s:
                ch = L.add_item(lib, session_id=s, source=png, prompt=f"p{n}",
                                inputs=[L.InputRef("reference", "b" * 64)])
            elif name == "fav" and i:
                ch = L.set_favorite(lib, item_ids=[i], favorite=n % 2 == 0)
            elif name == "move" and i and s:
                ch = L.move_items(lib, item_ids=[i], session_id=s)
            elif name == "copy" and i and s:
                ch = L.copy_items(lib, item_ids=[i], session_id=s)
            elif name == "trash_item" and i:
                ch = L.trash_items(lib, item_ids=[i])
            elif name == "purge_item" and i:
                ch = L.purge_items(lib, item_ids=[i])
            elif name == "folder":
                ch = L.create_folder(lib, name=f"f{n}", parent_id=f if n % 2 else None)
            elif name == "move_session" and s:
                ch = L.move_sessions(lib, session_ids=[s], folder_id=f)
            elif name == "dup" and s:
                ch = L.duplicate_session(lib, session_id=s)
            elif name == "trash_folder" and f:
                ch = L.trash_folder(lib, folder_id=f)
            else:
                continue
            if ch.op_seq is not None:  # a no-op (restoring what is not trashed) logs nothing
                applied += 1
        except StudioError:
            continue  # refused operations (e.g. into a trashed session) change nothing
    end = snapshot(lib)
    for _ in range(applied):
        lib.undo()
    assert snapshot(lib) == start
    for _ in range(applied):
        lib.redo()
    assert snapshot(lib) == end
    assert lib.redo_label() is None
    lib.close()
