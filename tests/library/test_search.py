"""Full-text search over session names, item names and prompts."""

from sessionstudio import library as L
from sessionstudio.library.search import fts_query
from tests.mediafactory import make_png


def test_fts_query_is_safe_for_any_text():
    assert fts_query("red fox") == '"red" "fox"*'
    assert fts_query("red ox") == '"red" "ox"'  # two letters: a whole word
    assert fts_query('NEAR("x" OR y) AND -z') == '"NEAR" "x" "OR" "y" "AND" "z"'  # 1 letter: whole
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


def test_long_prefix_finds_rare_words_behind_common_stems(lib, session_id, tmp_path, monkeypatch):
    """"cinder" shares "cin" with a word in every prompt: candidates by stem run out and
    the exact prefix query takes over; accents and case fold like the index."""
    import sys
    search_mod = sys.modules["sessionstudio.library.search"]
    from sessionstudio.library.bulk import bulk_insert
    from sessionstudio.core.ids import uuid7
    monkeypatch.setattr(search_mod, "_CANDIDATES", 300)  # 2,000 rows: force the switch
    rows = [(uuid7(), session_id, "image", f"n{i}", "cinematic light" + (" Cindérella" if i == 7 else ""),
             "{}", "import", "import", None, None, "a" * 64, "image/png", 1, 1, 1, None, 0, i, i)
            for i in range(2000)]
    bulk_insert(lib, items=[rows])
    assert [i.name for i in L.search(lib, "cinde").items] == ["n7"]
    assert [i.name for i in L.search(lib, "CINDÉ").items] == ["n7"]
    assert len(L.search(lib, "cine", limit=10).items) == 10
    assert len(L.search(lib, "cin", limit=10).items) == 10
    assert L.search(lib, "cinematix").items == []
