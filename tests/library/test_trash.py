"""Emptying the trash (with a cutoff) and freeing files nothing refers to."""

from sessionstudio import library as L
from tests.mediafactory import make_png, make_wav


def test_empty_trash_respects_cutoff_and_is_undoable(lib, session_id, tmp_path):
    png = make_png(tmp_path / "a.png")
    keep = L.add_item(lib, session_id=session_id, source=png).created[-1]
    old = L.add_item(lib, session_id=session_id, source=png).created[-1]
    gone_session = L.create_session(lib, name="gone").created[0]
    folder = L.create_folder(lib, name="F").created[0]
    L.trash_items(lib, item_ids=[old])
    L.trash_sessions(lib, session_ids=[gone_session])
    L.trash_folder(lib, folder_id=folder)
    assert L.empty_trash(lib, older_than_days=1).empty  # nothing is a day old yet
    ch = L.empty_trash(lib)
    assert old in ch.items and gone_session in ch.sessions and folder in ch.folders
    assert L.list_trash(lib) == {"sessions": [], "items": []}
    assert [i.id for i in L.list_items(lib, session_id=session_id)] == [keep]
    lib.undo()
    assert [i.id for i in L.list_trash(lib)["items"]] == [old]


def test_gc_frees_only_unreferenced_files(lib, session_id, tmp_path):
    png = L.add_item(lib, session_id=session_id, source=make_png(tmp_path / "a.png")).created[-1]
    wav = L.add_item(lib, session_id=session_id, source=make_wav(tmp_path / "b.wav")).created[-1]
    orphan, _ = lib.store.put_bytes(b"left behind by an interrupted import")
    wav_hash = L.get_item(lib, wav).asset_hash
    L.purge_items(lib, item_ids=[wav])
    result = L.collect_garbage(lib)
    assert result["removed"] == 1 and not lib.store.has(orphan)
    assert lib.store.has(wav_hash)  # undo could still bring the purged item back
    assert lib.store.has(L.get_item(lib, png).asset_hash)
