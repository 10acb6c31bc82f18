"""Download: readable, safe, never-overwriting file names, with the recipe embedded."""

import json

import pytest
from PIL import Image

from sessionstudio.core.errors import InvalidInput, StudioError
from sessionstudio.library import add_item, export_item, get_item
from sessionstudio.media.a1111 import parse_parameters
from sessionstudio.media.png_text import read_png_text
from sessionstudio.media.recipes_read import read_recipe
from tests.mediafactory import make_jpeg, make_mp4, make_png, make_wav

SETTINGS = {"negative_prompt": "blurry, low quality", "steps": 28, "cfg_scale": 6.5,
            "sampler": "Euler a", "model": "sdxl-base"}


def _add(lib, session_id, path, **kw):
    return add_item(lib, session_id=session_id, source=path, **kw).created[0]


@pytest.fixture
def png_item(lib, session_id, tmp_path):
    src = make_png(tmp_path / "src.png", 64, 48)
    return _add(lib, session_id, src, name="Red fox", prompt="a red fox in fresh snow, golden hour",
                settings=SETTINGS, engine="comfyui", action="generate", seed=123456)


def test_png_download_embeds_recipe_and_keeps_pixels(lib, png_item, tmp_path):
    item = get_item(lib, png_item)
    out = export_item(lib, item_id=png_item, dest_dir=tmp_path / "downloads")
    assert out.name == "Red fox.png" and out.parent == tmp_path / "downloads"

    with Image.open(lib.store.path(item.asset_hash)) as a, Image.open(out) as b:
        assert (a.mode, a.size) == (b.mode, b.size) == (a.mode, (64, 48))
        assert a.tobytes() == b.tobytes()

    text = read_png_text(out.read_bytes())
    params = text["parameters"]
    assert params.startswith("a red fox in fresh snow, golden hour")
    assert "Negative prompt: blurry, low quality" in params
    assert "Seed: 123456" in params and "Size: 64x48" in params
    parsed = parse_parameters(params)
    assert parsed["prompt"] == item.prompt
    assert parsed["negative_prompt"] == "blurry, low quality"

    embedded = json.loads(text["sessionstudio"])
    assert {k: embedded[k] for k in item.recipe()} == item.recipe()
    assert embedded["id"] == item.id and embedded["created_at"] == item.created_at
    assert embedded["session"]["id"] == item.session_id
    assert not (out.parent / "Red fox.png.json").exists()  # embedded, no sidecar
    assert [p.name for p in out.parent.iterdir()] == ["Red fox.png"]  # no temp files left


@pytest.mark.parametrize("make,kind,ext", [
    (lambda p: make_jpeg(p / "s.jpg", 40, 30), "image", "jpg"),
    (lambda p: make_mp4(p / "s.mp4", 0.5), "video", "mp4"),
])
def test_taggable_types_carry_the_recipe_inside(lib, session_id, tmp_path, make, kind, ext):
    src = make(tmp_path)
    iid = _add(lib, session_id, src, kind=kind, name="Take one", prompt="calm narration",
               settings={"voice": "alto"}, engine="engine-x", seed=7)
    item = get_item(lib, iid)
    out = export_item(lib, item_id=iid, dest_dir=tmp_path / "out")
    assert out.name == f"Take one.{ext}"
    data = read_recipe(out).sessionstudio
    assert {k: data[k] for k in item.recipe()} == item.recipe()
    assert data["id"] == iid and data["created_at"] == item.created_at
    assert [p.name for p in out.parent.iterdir()] == [out.name]  # no sidecar, no temp files


def test_wav_keeps_a_sidecar(lib, session_id, tmp_path):
    src = make_wav(tmp_path / "s.wav", 0.5)
    iid = _add(lib, session_id, src, kind="voiceover", name="Take one", prompt="calm narration",
               settings={"voice": "alto"}, engine="engine-x", seed=7)
    item = get_item(lib, iid)
    out = export_item(lib, item_id=iid, dest_dir=tmp_path / "out")
    assert out.name == "Take one.wav"
    sidecar = out.with_name(out.name + ".json")
    data = json.loads(sidecar.read_text(encoding="utf-8"))
    assert {k: data[k] for k in item.recipe()} == item.recipe()
    assert data["id"] == iid and data["created_at"] == item.created_at
    assert sorted(p.name for p in out.parent.iterdir()) == [out.name, sidecar.name]


def test_unsafe_names_become_safe_file_names(lib, session_id, tmp_path):
    src = make_jpeg(tmp_path / "s.jpg", 16, 16)
    weird = _add(lib, session_id, src, name='a/b\\c:d*e?f"g<h>i|j')
    reserved = _add(lib, session_id, src, name="CON")
    dots = _add(lib, session_id, src, name="  trailing dots... ")
    dest = tmp_path / "out"
    names = [export_item(lib, item_id=i, dest_dir=dest).name for i in (weird, reserved, dots)]
    for n in names:
        assert not set('/\\:*?"<>|') & set(n)
    assert names[0] == "a b c d e f g h i j.jpg"
    assert names[1] == "_CON.jpg"
    assert names[2] == "trailing dots.jpg"
    assert all((dest / n).is_file() for n in names)


def test_second_download_does_not_overwrite(lib, png_item, session_id, tmp_path):
    dest = tmp_path / "out"
    first = export_item(lib, item_id=png_item, dest_dir=dest)
    first.write_bytes(b"edited by the user")
    second = export_item(lib, item_id=png_item, dest_dir=dest)
    assert second.name == "Red fox (2).png"
    assert first.read_bytes() == b"edited by the user"

    wav = _add(lib, session_id, make_wav(tmp_path / "s.wav", 0.2), name="Song")
    a = export_item(lib, item_id=wav, dest_dir=dest)
    b = export_item(lib, item_id=wav, dest_dir=dest)
    assert (a.name, b.name) == ("Song.wav", "Song (2).wav")
    assert (dest / "Song (2).wav.json").is_file()


def test_destination_and_missing_file_errors(lib, png_item, tmp_path):
    not_a_dir = tmp_path / "file.txt"
    not_a_dir.write_text("x")
    with pytest.raises(InvalidInput):
        export_item(lib, item_id=png_item, dest_dir=not_a_dir)

    deep = tmp_path / "new" / "nested"
    assert export_item(lib, item_id=png_item, dest_dir=deep).parent == deep

    lib.store.remove(get_item(lib, png_item).asset_hash)
    with pytest.raises(StudioError, match=r"The file for 'Red fox' is missing from the library "
                                          r"\(run `sessionstudio verify`\)\."):
        export_item(lib, item_id=png_item, dest_dir=tmp_path / "again")
    assert not (tmp_path / "again").exists() or not any((tmp_path / "again").iterdir())
