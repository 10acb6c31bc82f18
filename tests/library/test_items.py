"""Items from real media files: add with recipe, list by kind, move, copy, trash, undo."""

import pytest

from sessionstudio import library as L
from sessionstudio.core.errors import InvalidInput, MediaError
from sessionstudio.library.thumbnails import Thumbnailer
from tests.mediafactory import make_mp4, make_png, make_wav


@pytest.fixture
def media(tmp_path):
    return {"png": make_png(tmp_path / "sunset.png", 80, 60),
            "mp4": make_mp4(tmp_path / "clip.mp4", seconds=1.0),
            "wav": make_wav(tmp_path / "theme.wav", seconds=0.5)}


def _add(lib, sid, path, **kw):
    ch = L.add_item(lib, session_id=sid, source=path, **kw)
    return L.get_item(lib, next(i for i in ch.created if i in ch.items))


def test_add_each_kind_with_probed_facts(lib, session_id, media):
    img = _add(lib, session_id, media["png"], prompt="orange sunset over the sea",
               settings={"model": "sdxl", "aspect_ratio": "4:3"}, seed=7, engine="builtin",
               action="generate")
    vid = _add(lib, session_id, media["mp4"])
    mus = _add(lib, session_id, media["wav"])
    vo = _add(lib, session_id, media["wav"], kind="voiceover", name="Narration")
    assert (img.kind, img.width, img.height, img.mime) == ("image", 80, 60, "image/png")
    assert img.settings == {"model": "sdxl", "aspect_ratio": "4:3"} and img.seed == 7
    assert img.name == "sunset" and img.prompt == "orange sunset over the sea"
    assert vid.kind == "video" and abs(vid.duration_ms - 1000) <= 100 and vid.width == 64
    assert mus.kind == "music" and abs(mus.duration_ms - 500) <= 50
    assert vo.kind == "voiceover" and vo.name == "Narration"
    assert mus.asset_hash == vo.asset_hash  # identical content stored once
    assert lib.store.path(img.asset_hash).read_bytes() == media["png"].read_bytes()


def test_first_prompt_names_an_auto_named_session(lib, media):
    sid = L.create_session(lib).created[0]
    _add(lib, sid, media["png"], prompt="misty pine forest at dawn")
    assert L.get_session(lib, sid).name == "Misty pine forest at dawn"
    _add(lib, sid, media["png"], prompt="something else entirely")
    assert L.get_session(lib, sid).name == "Misty pine forest at dawn"


def test_list_filters_by_any_set_of_kinds_newest_first(lib, session_id, media):
    ids = {}
    for key, kind in (("png", None), ("mp4", None), ("wav", None), ("wav", "voiceover"), ("png", None)):
        item = _add(lib, session_id, media[key], kind=kind)
        ids.setdefault(item.kind, []).append(item.id)
    everything = L.list_items(lib, session_id=session_id)
    assert len(everything) == 5
    assert [i.created_at for i in everything] == sorted((i.created_at for i in everything), reverse=True)
    visual = L.list_items(lib, session_id=session_id, kinds=["image", "video"])
    assert {i.kind for i in visual} == {"image", "video"} and len(visual) == 3
    assert [i.id for i in L.list_items(lib, session_id=session_id, kinds=["image"])] == ids["image"][::-1]
    page = L.list_items(lib, session_id=session_id, limit=2, offset=2)
    assert [i.id for i in page] == [i.id for i in everything[2:4]]
    assert L.count_items(lib, session_id=session_id) == {"image": 2, "video": 1, "music": 1, "voiceover": 1}
    with pytest.raises(InvalidInput, match="Unknown kind 'gif'"):
        L.list_items(lib, session_id=session_id, kinds=["gif"])


def test_bad_media_is_refused_and_nothing_is_saved(lib, session_id, tmp_path):
    junk = tmp_path / "broken.png"
    junk.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 50)
    with pytest.raises(MediaError, match="broken.png"):
        L.add_item(lib, session_id=session_id, source=junk)
    with pytest.raises(MediaError, match="no such file"):
        L.add_item(lib, session_id=session_id, source=tmp_path / "missing.png")
    png = make_png(tmp_path / "ok.png")
    with pytest.raises(InvalidInput, match="image file, not video"):
        L.add_item(lib, session_id=session_id, source=png, kind="video")
    assert L.list_items(lib, session_id=session_id) == []
    assert lib.undo_label() == "New session"


def test_add_from_bytes(lib, session_id, media):
    item = _add(lib, session_id, media["png"].read_bytes(), filename="pasted.png")
    assert item.name == "pasted" and item.kind == "image"
    assert not any(lib.paths.tmp_dir.glob("*.incoming"))


def test_rename_favorite_trash_restore_purge_undo(lib, session_id, media):
    item = _add(lib, session_id, media["png"])
    L.rename_item(lib, item_id=item.id, name="Hero shot")
    L.set_favorite(lib, item_ids=[item.id])
    assert L.get_item(lib, item.id).favorite
    assert [i.id for i in L.list_items(lib, session_id=session_id, favorites=True)] == [item.id]
    L.trash_items(lib, item_ids=[item.id])
    assert L.list_items(lib, session_id=session_id) == []
    assert [i.id for i in L.list_trash(lib)["items"]] == [item.id]
    L.restore_items(lib, item_ids=[item.id])
    L.purge_items(lib, item_ids=[item.id])
    assert L.list_items(lib, session_id=session_id) == []
    lib.undo()  # purge
    restored = L.get_item(lib, item.id)
    assert restored.name == "Hero shot" and restored.favorite
    lib.undo()  # restore
    lib.undo()  # trash
    lib.undo()  # favorite
    lib.undo()  # rename
    assert L.get_item(lib, item.id).name == "sunset" and not L.get_item(lib, item.id).favorite
    lib.undo()  # add
    assert L.list_items(lib, session_id=session_id) == []
    lib.redo()
    assert L.get_item(lib, item.id).name == "sunset"


def test_move_and_copy_between_sessions(lib, session_id, media):
    other = L.create_session(lib, name="Other").created[0]
    a = _add(lib, session_id, media["png"], prompt="a", inputs=[L.InputRef("reference", "f" * 64)])
    b = _add(lib, session_id, media["mp4"])
    ch = L.move_items(lib, item_ids=[a.id], session_id=other)
    assert ch.session_contents == {session_id, other}
    assert [i.id for i in L.list_items(lib, session_id=other)] == [a.id]
    ch = L.copy_items(lib, item_ids=[b.id], session_id=other)
    copy = L.get_item(lib, [i for i in ch.created if i in ch.items][0])
    assert copy.asset_hash == b.asset_hash and copy.session_id == other and copy.id != b.id
    assert len(L.list_items(lib, session_id=session_id)) == 1
    dup = L.duplicate_session(lib, session_id=other).created[0]
    dup_items = L.list_items(lib, session_id=dup)
    assert len(dup_items) == 2
    dup_a = next(i for i in dup_items if i.prompt == "a")
    assert [(x.role, x.asset_hash) for x in L.get_item(lib, dup_a.id).inputs] == [("reference", "f" * 64)]
    trashed = L.create_session(lib, name="gone").created[0]
    L.trash_sessions(lib, session_ids=[trashed])
    with pytest.raises(InvalidInput, match="in the trash"):
        L.move_items(lib, item_ids=[a.id], session_id=trashed)


def test_restoring_an_item_restores_its_session(lib, session_id, media):
    item = _add(lib, session_id, media["png"])
    L.trash_items(lib, item_ids=[item.id])
    L.trash_sessions(lib, session_ids=[session_id])
    L.restore_items(lib, item_ids=[item.id])
    assert L.get_session(lib, session_id).trashed_at is None


def test_lineage_children(lib, session_id, media):
    parent = _add(lib, session_id, media["png"])
    child = _add(lib, session_id, media["png"], parent_id=parent.id, action="upscale")
    assert [c.id for c in L.children_of(lib, parent.id)] == [child.id]


def test_thumbnails_made_in_background_and_rebuilt_after_cache_loss(lib, session_id, media):
    thumbs = Thumbnailer(lib.store, lib.paths.thumbs_dir, lib.paths.waveforms_dir)
    lib.thumbnailer = thumbs
    ready = []
    thumbs.ready.connect(ready.append)
    try:
        img = _add(lib, session_id, media["png"])
        mus = _add(lib, session_id, media["wav"])
        thumbs.wait()
        assert set(ready) == {img.asset_hash, mus.asset_hash}
        assert thumbs.cached(img.asset_hash) is not None
        assert thumbs.waveform_path(mus.asset_hash).exists()
        import shutil
        shutil.rmtree(lib.paths.cache_dir)
        assert thumbs.cached(img.asset_hash) is None
        assert thumbs.ensure(img.asset_hash, "image").exists()
    finally:
        thumbs.close()


def test_ids_and_batches_for_view_models(lib, session_id, media):
    a = _add(lib, session_id, media["png"])
    b = _add(lib, session_id, media["wav"])
    assert L.list_item_ids(lib, session_id=session_id) == [b.id, a.id]
    assert L.list_item_ids(lib, session_id=session_id, kinds=["music"]) == [b.id]
    rows = L.get_items(lib, [a.id, b.id, "missing"])
    assert set(rows) == {a.id, b.id} and rows[a.id].kind == "image"
