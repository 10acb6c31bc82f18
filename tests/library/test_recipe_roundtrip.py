"""Download then import again: the item comes back with its whole recipe, in every format,
and the media itself (pixels, packets) is untouched by the tagging."""

import json

import av
import pytest
from PIL import Image

from sessionstudio.library import add_item, create_session, export_item, get_item
from sessionstudio.media.png_text import add_png_text
from tests.mediafactory import make_encoded_audio, make_jpeg, make_mp4, make_png, make_wav

RECIPE = dict(
    name="Fox at dawn", prompt="a red fox in fresh snow, golden hour\nsecond line — ünïcode, 50% zoom",
    settings={"negative_prompt": "blurry, low quality", "steps": 28, "cfg_scale": 6.5,
              "sampler": "Euler a", "model": "sdxl-base", "loras": [{"name": "film", "weight": 0.6}],
              "style": {"palette": "warm"}, "strength": 0.35, "tiling": False},
    engine="builtin", action="generate", seed=123456789)
FIELDS = ("kind", "name", "prompt", "settings", "engine", "action", "seed")


def _webp(path, lossless, alpha=False):
    image = Image.new("RGBA" if alpha else "RGB", (48, 32), (200, 90, 30, 128) if alpha else (200, 90, 30))
    image.save(path, "WEBP", lossless=lossless, quality=80)
    return path


MAKERS = {
    "png": (lambda p: make_png(p / "s.png", 48, 32), "image"),
    "jpg": (lambda p: make_jpeg(p / "s.jpg", 48, 32, exif_orientation=6), "image"),
    "webp-lossy": (lambda p: _webp(p / "s.webp", lossless=False), "image"),
    "webp-lossless-alpha": (lambda p: _webp(p / "s.webp", lossless=True, alpha=True), "image"),
    "mp4": (lambda p: make_mp4(p / "s.mp4", seconds=0.5, with_audio=True, rotation=90), "video"),
    "m4a": (lambda p: make_encoded_audio(p / "s.m4a", 0.3), "music"),
    "mp3": (lambda p: make_encoded_audio(p / "s.mp3", 0.3, cover_art=True), "voiceover"),
    "flac": (lambda p: make_encoded_audio(p / "s.flac", 0.3), "music"),
    "ogg": (lambda p: make_encoded_audio(p / "s.ogg", 0.3), "voiceover"),
    "wav": (lambda p: make_wav(p / "s.wav", 0.3), "voiceover"),
}


def _fields(item):
    return {f: getattr(item, f) for f in FIELDS}


def _packets(path):
    with av.open(str(path)) as c:
        return [(p.stream.type, bytes(p)) for p in c.demux() if p.dts is not None]


def _scan(data: bytes) -> bytes:
    return data[data.index(b"\xff\xda"):]  # JPEG entropy-coded data from start of scan


@pytest.mark.parametrize("fmt", list(MAKERS))
def test_download_then_import_keeps_the_recipe(lib, session_id, tmp_path, fmt):
    make, kind = MAKERS[fmt]
    src = make(tmp_path)
    original = get_item(lib, add_item(lib, session_id=session_id, source=src, kind=kind, **RECIPE).created[0])
    out = export_item(lib, item_id=original.id, dest_dir=tmp_path / "downloads")
    sidecar = out.with_name(out.name + ".json")
    assert sidecar.exists() == (fmt == "wav")  # everything else carries it inside

    other = create_session(lib, name="Elsewhere").created[0]
    again = get_item(lib, add_item(lib, session_id=other, source=out).created[0])
    assert _fields(again) == _fields(original)
    assert (again.width, again.height, again.mime) == (original.width, original.height, original.mime)

    # The media is the same: decoded pixels, or compressed packets copied as they were.
    if kind == "image":
        with Image.open(src) as a, Image.open(out) as b:
            assert a.tobytes() == b.tobytes()
    else:
        assert _packets(out) == _packets(src)
    if fmt == "jpg":
        assert _scan(out.read_bytes()) == _scan(src.read_bytes())
        with Image.open(out) as b:
            assert b.getexif().get(0x0112) == 6  # orientation kept alongside the new tags


def test_bytes_import_and_caller_recipe_win(lib, session_id, tmp_path):
    iid = add_item(lib, session_id=session_id, source=make_png(tmp_path / "s.png"), **RECIPE).created[0]
    out = export_item(lib, item_id=iid, dest_dir=tmp_path / "d")
    from_bytes = get_item(lib, add_item(lib, session_id=session_id, source=out.read_bytes()).created[0])
    assert _fields(from_bytes) == _fields(get_item(lib, iid))
    mine = get_item(lib, add_item(lib, session_id=session_id, source=out, prompt="my own words").created[0])
    assert (mine.prompt, mine.settings, mine.engine, mine.seed) == ("my own words", {}, "import", None)


def test_other_tool_import_then_download_round_trip(lib, session_id, tmp_path):
    graph = {"3": {"class_type": "KSampler", "inputs": {
                 "seed": 2**64 - 1, "steps": 20, "cfg": 8, "sampler_name": "euler", "scheduler": "normal",
                 "positive": ["6", 0], "negative": ["7", 0], "latent_image": ["5", 0], "model": ["4", 0]}},
             "4": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "v1-5.safetensors"}},
             "5": {"class_type": "EmptyLatentImage", "inputs": {"width": 512, "height": 512}},
             "6": {"class_type": "CLIPTextEncode", "inputs": {"text": "a glass bottle"}},
             "7": {"class_type": "CLIPTextEncode", "inputs": {"text": "watermark"}}}
    src = make_png(tmp_path / "ComfyUI_00001_.png")
    src.write_bytes(add_png_text(src.read_bytes(), {"prompt": json.dumps(graph), "workflow": "{}"}))
    item = get_item(lib, add_item(lib, session_id=session_id, source=src).created[0])
    assert (item.engine, item.action, item.prompt, item.name) == ("comfyui", "import", "a glass bottle",
                                                                  "ComfyUI_00001_")
    assert item.seed is None and item.settings["seed"] == 2**64 - 1  # too big for the column
    assert item.settings["negative_prompt"] == "watermark" and item.settings["model"] == "v1-5.safetensors"
    assert item.settings["source_tool"] == "comfyui" and json.loads(item.settings["raw"]["prompt"]) == graph

    out = export_item(lib, item_id=item.id, dest_dir=tmp_path / "d")
    again = get_item(lib, add_item(lib, session_id=session_id, source=out).created[0])
    assert _fields(again) == _fields(item)


def test_jpeg_recipe_too_big_for_a_segment_gets_a_sidecar(lib, session_id, tmp_path):
    big = dict(RECIPE, settings={**RECIPE["settings"], "notes": "ü" * 40_000})
    iid = add_item(lib, session_id=session_id, source=make_jpeg(tmp_path / "s.jpg"), **big).created[0]
    out = export_item(lib, item_id=iid, dest_dir=tmp_path / "d")
    assert out.with_name(out.name + ".json").is_file()
    again = get_item(lib, add_item(lib, session_id=session_id, source=out).created[0])
    assert _fields(again) == _fields(get_item(lib, iid))
