"""Session bundles: a faithful round trip, and refusals that leave the library untouched."""

import hashlib
import io
import json
import warnings
import zipfile

import pytest

from sessionstudio.core.errors import BundleError
from sessionstudio.library import (InputRef, add_item, count_items, create_session, export_bundle,
                                   get_item, get_session, import_bundle, list_items,
                                   list_sessions, trash_items)
from tests.mediafactory import make_jpeg, make_mp4, make_png, make_wav

FIELDS = ("kind", "name", "prompt", "settings", "engine", "action", "seed", "asset_hash", "mime",
          "size", "width", "height", "duration_ms", "favorite", "created_at")


@pytest.fixture
def source(make_lib, tmp_path):
    """A library with one session: image, video, wav, a lineage child with a reference
    input, and a trashed item (not exported)."""
    lib = make_lib("source")
    sid = create_session(lib, name="Fox shoot").created[0]
    from sessionstudio.library import set_session_settings
    set_session_settings(lib, session_id=sid, grid_size=3)
    media = tmp_path / "media"
    media.mkdir()

    def add(path, **kw):
        return add_item(lib, session_id=sid, source=path, **kw).created[0]

    img = add(make_png(media / "fox.png", 32, 24), name="Fox", prompt="a fox",
              settings={"steps": 20, "negative_prompt": "blur"}, engine="comfyui",
              action="generate", seed=42)
    gone = add(make_png(media / "gone.png", 8, 8), name="Discarded", prompt="old")
    vid = add(make_mp4(media / "clip.mp4", 0.5), name="Clip", prompt="fox runs", engine="wan",
              action="animate", seed=9, parent_id=img,
              inputs=[InputRef("start_frame", source_item_id=img,
                               asset_hash=get_item(lib, img).asset_hash)])
    song = add(make_wav(media / "song.wav", 0.5), kind="music", name="Theme", prompt="lofi")
    ref_hash, _ = lib.store.put_file(make_jpeg(media / "ref.jpg", 20, 20))
    child = add(make_png(media / "fox2.png", 40, 30), name="Fox v2", prompt="a fox, winter",
                action="variation", seed=43, parent_id=img,
                inputs=[InputRef("reference", asset_hash=ref_hash),
                        InputRef("source", source_item_id=img,
                                 asset_hash=get_item(lib, img).asset_hash)])
    orphan = add(make_png(media / "orphan.png", 8, 8), name="Orphan", parent_id=gone,
                 inputs=[InputRef("reference", source_item_id=gone)])
    from sessionstudio.library import set_favorite
    set_favorite(lib, item_ids=[song], favorite=True)
    trash_items(lib, item_ids=[gone])
    return {"lib": lib, "sid": sid, "img": img, "vid": vid, "song": song, "child": child,
            "orphan": orphan, "gone": gone, "ref_hash": ref_hash}


@pytest.fixture
def bundle(source, tmp_path):
    return export_bundle(source["lib"], session_id=source["sid"], dest=tmp_path / "fox.zip")


def _oldest_first(lib, sid):
    return list(reversed(list_items(lib, session_id=sid, limit=1000)))


def test_bundle_layout(source, bundle):
    lib = source["lib"]
    with zipfile.ZipFile(bundle) as zf:
        names = zf.namelist()
        manifest = json.loads(zf.read("manifest.json"))
        assert zf.getinfo("manifest.json").compress_type == zipfile.ZIP_DEFLATED
        for n in names:
            if n.startswith("media/"):
                assert zf.getinfo(n).compress_type == zipfile.ZIP_STORED
    assert manifest["format"] == "sessionstudio-bundle" and manifest["version"] == 1
    assert manifest["session"]["name"] == "Fox shoot"
    assert manifest["session"]["settings"] == {"grid_size": 3}
    items = _oldest_first(lib, source["sid"])
    assert [m["id"] for m in manifest["items"]] == [i.id for i in items]
    assert source["gone"] not in [m["id"] for m in manifest["items"]]
    assets = {i.asset_hash for i in items} | {source["ref_hash"]}
    assert sorted(n for n in names if n.startswith("media/")) == sorted(
        {m["file"] for m in manifest["items"]} | {f"media/{source['ref_hash']}.jpg"})
    assert len([n for n in names if n.startswith("media/")]) == len(assets)
    assert sorted(n for n in names if n.startswith("recipes/")) == sorted(
        f"recipes/{i.id}.json" for i in items)
    with zipfile.ZipFile(bundle) as zf:
        recipe = json.loads(zf.read(f"recipes/{source['child']}.json"))
    assert recipe == get_item(lib, source["child"]).recipe()


def test_round_trip_into_another_library(source, bundle, make_lib):
    src = source["lib"]
    dst = make_lib("target")
    changes = import_bundle(dst, path=bundle)
    [session] = list_sessions(dst)
    assert changes.created[0] == session.id != source["sid"]
    assert session.name == "Fox shoot" and session.settings == {"grid_size": 3}

    before = _oldest_first(src, source["sid"])
    after = _oldest_first(dst, session.id)
    assert count_items(dst, session_id=session.id) == count_items(src, session_id=source["sid"])
    assert len(after) == len(before) == 5
    old_to_new = {}
    for a, b in zip(before, after):
        assert b.id != a.id
        for f in FIELDS:
            assert getattr(b, f) == getattr(a, f), f
        assert dst.store.has(b.asset_hash)
        old_to_new[a.id] = b.id
    for a in before:
        a, b = get_item(src, a.id), get_item(dst, old_to_new[a.id])
        # lineage inside the bundle follows the new ids; outside it is kept as it was
        assert b.parent_id == old_to_new.get(a.parent_id, a.parent_id)
        assert [(i.role, i.asset_hash, i.position) for i in b.inputs] == \
               [(i.role, i.asset_hash, i.position) for i in a.inputs]
        assert [i.source_item_id for i in b.inputs] == \
               [old_to_new.get(i.source_item_id, i.source_item_id) for i in a.inputs]
    child = get_item(dst, old_to_new[source["child"]])
    assert child.parent_id == old_to_new[source["img"]]
    assert get_item(dst, old_to_new[source["orphan"]]).parent_id == source["gone"]
    assert dst.store.has(source["ref_hash"])
    assert dst.store.verify().ok
    assert not any(dst.paths.tmp_dir.iterdir())

    # A second import is another new session; a name can be given.
    import_bundle(dst, path=bundle, name="Again")
    assert sorted(s.name for s in list_sessions(dst)) == ["Again", "Fox shoot"]
    assert get_session(dst, list_sessions(dst)[0].id).name == "Again"


# --- refusals ---------------------------------------------------------------------------

def _snapshot(lib):
    rows = {t: [tuple(r) for r in lib.query(f"SELECT * FROM {t} ORDER BY id")]
            for t in ("sessions", "items", "item_inputs")}
    files = sorted(p.name for p in lib.paths.assets_dir.rglob("*") if p.is_file())
    return rows, files


def _rebuild(src, dst, *, drop=(), replace=None, add=()):
    """Copy a bundle, dropping/replacing members and appending (ZipInfo|name, data) pairs."""
    replace = replace or {}
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            if info.filename in drop:
                continue
            data = zin.read(info)
            zout.writestr(info, replace[info.filename](data) if info.filename in replace else data)
        for member, data in add:
            zout.writestr(member, data)
    return dst


def _member(name, attr=None, compress=zipfile.ZIP_STORED):
    info = zipfile.ZipInfo(name)
    info.compress_type = compress
    if attr is not None:
        info.external_attr = attr
    return info


def _first_media(bundle):
    with zipfile.ZipFile(bundle) as zf:
        return next(n for n in zf.namelist() if n.endswith(".png"))


def _flip_last_byte(data):
    return data[:-1] + bytes([data[-1] ^ 0xFF])


def _manifest_edit(fn):
    def edit(data):
        m = json.loads(data)
        fn(m)
        return json.dumps(m).encode()
    return edit


def _bad_bundles(bundle, tmp):
    """name -> (path, expected message fragment)"""
    media = _first_media(bundle)
    out = {}

    def make(key, match, **kw):
        out[key] = (_rebuild(bundle, tmp / f"{key}.zip", **kw), match)

    make("zip_slip", r"\.\./evil\.txt.*'\.\.'", add=[("../evil.txt", b"pwned")])
    make("zip_slip_nested", r"'\.\.'", add=[("media/../../evil.txt", b"pwned")])
    make("absolute", r"/etc/x.*absolute", add=[(_member("/etc/x"), b"root")])
    make("windows_path", r"backslash", add=[(_member("C:\\x"), b"x")])
    make("drive_letter", r"absolute", add=[(_member("C:/x"), b"x")])
    make("symlink", r"media/link.*symbolic link",
         add=[(_member("media/link", attr=0o120777 << 16), b"/etc/passwd")])
    make("fifo", r"not a regular file", add=[(_member("media/fifo", attr=0o010644 << 16), b"")])
    make("zip_bomb", r"media/zeros\.bin.*200:1",
         add=[(_member("media/zeros.bin", compress=zipfile.ZIP_DEFLATED), bytes(50 << 20))])
    make("hash_mismatch", rf"{media}.*SHA-256", replace={media: _flip_last_byte})
    make("missing_manifest", r"no manifest\.json", drop={"manifest.json"})
    make("bad_json", r"manifest\.json.*not valid JSON", replace={"manifest.json": lambda d: d[:-5]})
    make("wrong_format", r"not a sessionstudio-bundle manifest",
         replace={"manifest.json": _manifest_edit(lambda m: m.update(format="other"))})
    make("wrong_version", r"version 99",
         replace={"manifest.json": _manifest_edit(lambda m: m.update(version=99))})
    make("unknown_kind", r"unknown kind 'hologram'",
         replace={"manifest.json": _manifest_edit(lambda m: m["items"][0].update(kind="hologram"))})
    make("size_mismatch", r"manifest says 1",
         replace={"manifest.json": _manifest_edit(lambda m: m["items"][0].update(size=1))})
    make("kind_mismatch", r"is image, not video",
         replace={"manifest.json": _manifest_edit(lambda m: m["items"][0].update(kind="video"))})
    make("not_an_object", r"manifest\.json.*not a sessionstudio-bundle manifest",
         replace={"manifest.json": lambda d: b"[1, 2, 3]"})
    make("file_not_in_zip", rf"{media}.*not in the bundle", drop={media})
    fake = b"not an image at all"
    make("not_media", r"media/fake\.png.*not a readable media file",
         replace={"manifest.json": _manifest_edit(lambda m: m["media"].append(
             {"asset": hashlib.sha256(fake).hexdigest(), "file": "media/fake.png"}))},
         add=[("media/fake.png", fake)])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate, as it should
        make("duplicate", r"manifest\.json.*twice", add=[("manifest.json", b"{}")])
    (tmp / "not_zip.zip").write_text("just some text, not a zip")
    out["not_zip"] = (tmp / "not_zip.zip", r"not_zip\.zip is not a Session Studio bundle \(not a zip file\)")
    data = bundle.read_bytes()
    (tmp / "truncated.zip").write_bytes(data[: len(data) // 2])
    out["truncated"] = (tmp / "truncated.zip", r"not a Session Studio bundle")
    (tmp / "truncated_tail.zip").write_bytes(data[:-10])
    out["truncated_tail"] = (tmp / "truncated_tail.zip", r"not a Session Studio bundle")
    return out


@pytest.fixture
def bad_bundles(bundle, tmp_path):
    tmp = tmp_path / "bad"
    tmp.mkdir()
    return _bad_bundles(bundle, tmp)


def test_refusals_leave_the_library_unchanged(bad_bundles, bundle, make_lib):
    dst = make_lib("target")
    import_bundle(dst, path=bundle)  # something already there, which must stay as it is
    before = _snapshot(dst)
    undo_label = dst.undo_label()
    for key, (path, match) in bad_bundles.items():
        with pytest.raises(BundleError, match=match):
            import_bundle(dst, path=path)
            pytest.fail(f"{key}: not refused")
        assert _snapshot(dst) == before, key
        assert not any(dst.paths.tmp_dir.iterdir()), key
    assert dst.undo_label() == undo_label


def test_damaged_member_data_is_refused(bundle, tmp_path, make_lib):
    """Central directory intact, but a media member's data damaged in place."""
    dst = make_lib("target")
    media = _first_media(bundle)
    with zipfile.ZipFile(bundle) as zf:
        info = zf.getinfo(media)
        raw = bytearray(bundle.read_bytes())
    # Overwrite the member's stored bytes with zeros: the CRC and hash can no longer match.
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    raw[start:start + info.compress_size] = bytes(info.compress_size)
    bad = tmp_path / "damaged.zip"
    bad.write_bytes(bytes(raw))
    before = _snapshot(dst)
    with pytest.raises(BundleError, match=media):
        import_bundle(dst, path=bad)
    assert _snapshot(dst) == before


def test_export_of_a_session_with_a_missing_file_fails_cleanly(source, tmp_path):
    lib = source["lib"]
    lib.store.remove(get_item(lib, source["vid"]).asset_hash)
    from sessionstudio.core.errors import StudioError
    with pytest.raises(StudioError, match="'Clip' is missing"):
        export_bundle(lib, session_id=source["sid"], dest=tmp_path / "x.zip")
    assert not (tmp_path / "x.zip").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")] == []


def test_export_into_a_folder_names_the_zip_after_the_session(source, tmp_path):
    out = tmp_path / "exports"
    out.mkdir()
    first = export_bundle(source["lib"], session_id=source["sid"], dest=out)
    second = export_bundle(source["lib"], session_id=source["sid"], dest=out)
    assert (first.name, second.name) == ("Fox shoot.zip", "Fox shoot (2).zip")
    assert zipfile.is_zipfile(io.BytesIO(first.read_bytes()))
