"""Full-text search over session names, item names and prompts."""

from sessionstudio import library as L
from sessionstudio.library.search import fts_query
from tests.mediafactory import make_png


def test_fts_query_is_safe_for_any_text():
    assert fts_query("red fox") == '"red" "fox"*'
    assert fts_query('NEAR("x" OR y) AND -z') == '"NEAR" "x" "OR" "y" "AND" "z"*'
    assert fts_query("snake_case") == '"snake" "case"*'
    assert fts_query("  !!! ") is None


def test_search_items_and_sessions_newest_first(lib, tmp_path):
    png = make_png(tmp_path / "a.png")
    s1 = L.create_session(lib, name="Fox studies").created[0]
    s2 = L.create_session(lib, name="City").created[0]
    first = L.add_item(lib, session_id=s1, source=png, prompt="a red fox in snow").created[-1]
    L.add_item(lib, session_id=s2, source=png, prompt="neon city at night")
    last = L.add_item(lib, session_id=s2, source=png, prompt="fox crossing a neon street").created[-1]
    res = L.search(lib, "fox")
    assert [i.id for i in res.items] == [last, first]
    assert [s.id for s in res.sessions] == [s1]
    assert [i.id for i in L.search(lib, "fox", session_id=s2).items] == [last]
    assert [i.id for i in L.search(lib, "neo").items][:1] == [last]  # prefix while typing
    assert L.search(lib, "fox", kinds=["video"]).items == []
    assert len(L.search(lib, "fox", rank=True).items) == 2
    L.trash_sessions(lib, session_ids=[s2])
    assert [i.id for i in L.search(lib, "fox").items] == [first]
    assert {s.id for s in L.sessions_matching(lib, "snow")} == {s1}


def test_renames_are_searchable(lib, session_id, tmp_path):
    item = L.add_item(lib, session_id=session_id, source=make_png(tmp_path / "a.png")).created[-1]
    L.rename_item(lib, item_id=item, name="Lighthouse keeper")
    assert [i.id for i in L.search(lib, "lighthouse").items] == [item]
    L.rename_session(lib, session_id=session_id, name="Coastal")
    assert [s.id for s in L.search(lib, "coastal").sessions] == [session_id]
    lib.undo()
    assert L.search(lib, "coastal").sessions == []
