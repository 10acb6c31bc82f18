"""read_recipe(): files in each tool's documented format, built here, read back; and
hostile files, which give None or a partial recipe but never raise."""

import json
from pathlib import Path

import pytest
from PIL import Image

from sessionstudio.media.png_text import add_png_text
from sessionstudio.media.recipes_read import read_recipe
from tests.mediafactory import make_encoded_audio, make_jpeg, make_mp4, make_png, make_wav

A1111 = ("a lighthouse in a storm, dramatic light\n"
         "Negative prompt: blurry, lowres\n"
         "Steps: 28, Sampler: DPM++ 2M, Schedule type: Karras, CFG scale: 6.5, Seed: 1234567, "
         "Size: 832x1216, Model hash: 31e35c80fc, Model: sd_xl_base_1.0, Version: v1.10.1")
FORGE = A1111.replace("Version: v1.10.1", "Version: f2.0.1v1.10.1-previous-313-g8a042934")

COMFY_GRAPH = {
    "3": {"class_type": "KSampler", "inputs": {
        "seed": 156680208700286, "steps": 20, "cfg": 8.0, "sampler_name": "euler",
        "scheduler": "normal", "denoise": 1.0, "model": ["10", 0], "positive": ["6", 0],
        "negative": ["7", 0], "latent_image": ["5", 0]}},
    "4": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "v1-5-pruned-emaonly.safetensors"}},
    "5": {"class_type": "EmptyLatentImage", "inputs": {"width": 512, "height": 768, "batch_size": 1}},
    "6": {"class_type": "CLIPTextEncode", "inputs": {"text": "beautiful scenery, glass bottle", "clip": ["10", 1]}},
    "7": {"class_type": "CLIPTextEncode", "inputs": {"text": "text, watermark", "clip": ["10", 1]}},
    "8": {"class_type": "VAEDecode", "inputs": {"samples": ["3", 0], "vae": ["4", 2]}},
    "9": {"class_type": "SaveImage", "inputs": {"filename_prefix": "ComfyUI", "images": ["8", 0]}},
    "10": {"class_type": "LoraLoader", "inputs": {"lora_name": "detail.safetensors", "model": ["4", 0],
                                                  "clip": ["4", 1], "strength_model": 1, "strength_clip": 1}},
    # A hires pass: a second sampler fed by an upscaled latent, not the first-pass one.
    "11": {"class_type": "LatentUpscale", "inputs": {"samples": ["3", 0], "width": 1024, "height": 1536,
                                                     "upscale_method": "nearest-exact", "crop": "disabled"}},
    "12": {"class_type": "KSampler", "inputs": {
        "seed": 1, "steps": 10, "cfg": 5, "sampler_name": "dpmpp_2m", "scheduler": "karras",
        "denoise": 0.5, "model": ["4", 0], "positive": ["6", 0], "negative": ["7", 0],
        "latent_image": ["11", 0]}},
}
COMFY_WORKFLOW = {"last_node_id": 9, "nodes": [
    {"id": 3, "type": "KSampler", "inputs": [{"name": "positive", "link": 4}, {"name": "negative", "link": 6}],
     "widgets_values": [42, "randomize", 25, 7.5, "euler_ancestral", "karras", 1]},
    {"id": 4, "type": "CheckpointLoaderSimple", "widgets_values": ["dreamshaper_8.safetensors"]},
    {"id": 5, "type": "EmptyLatentImage", "widgets_values": [640, 384, 1]},
    {"id": 6, "type": "CLIPTextEncode", "widgets_values": ["a red fox"]},
    {"id": 7, "type": "CLIPTextEncode", "widgets_values": ["ugly"]}],
    "links": [[4, 6, 0, 3, 1, "CONDITIONING"], [6, 7, 0, 3, 2, "CONDITIONING"]]}
INVOKEAI = {"generation_mode": "sdxl_txt2img", "positive_prompt": "a cozy cabin, snow",
            "negative_prompt": "people", "width": 1024, "height": 1024, "seed": 3947502958,
            "rand_device": "cpu", "cfg_scale": 7.5, "steps": 30, "scheduler": "dpmpp_2m_k",
            "model": {"key": "abc", "hash": "blake3:1", "name": "Juggernaut XL v9", "base": "sdxl",
                      "type": "main"}, "app_version": "4.2.9"}
SWARMUI = {"sui_image_params": {"prompt": "a koi pond, top view", "negativeprompt": "murky",
                                "model": "Flux/flux1-dev-fp8", "seed": 305223794, "steps": 25,
                                "cfgscale": 1.0, "width": 1024, "height": 768, "sampler": "euler",
                                "scheduler": "normal", "swarm_version": "0.9.1.1"},
           "sui_extra_data": {"date": "2024-08-07"}}
FOOOCUS = {"adm_guidance": "(1.5, 0.8, 0.3)", "base_model": "juggernautXL_v8Rundiffusion.safetensors",
           "full_prompt": ["a desert city at noon"], "guidance_scale": 4.0, "negative_prompt": "",
           "performance": "Speed", "prompt": "a desert city at noon", "resolution": "(1152, 896)",
           "sampler": "dpmpp_2m_sde_gpu", "scheduler": "karras", "seed": "8675309", "sharpness": 2.0,
           "steps": 30, "styles": "['Fooocus V2']", "version": "Fooocus v2.5.5"}


def png_with(tmp_path: Path, name: str, entries: dict[str, str]) -> Path:
    src = make_png(tmp_path / f"plain-{name}", 32, 24)
    out = tmp_path / name
    out.write_bytes(add_png_text(src.read_bytes(), entries))
    return out


def exif_image(tmp_path: Path, name: str, fmt: str, comment: bytes | str, ifd0: bool = False,
               extra: dict | None = None) -> Path:
    exif = Image.Exif()
    if ifd0:  # Fooocus: UserComment (a str) and MakerNote straight in IFD0
        exif[0x9286] = comment
        exif.update(extra or {})
    else:  # A1111 through piexif: UserComment in the Exif IFD
        exif.get_ifd(0x8769)[0x9286] = comment
    path = tmp_path / name
    Image.new("RGB", (40, 30), (10, 120, 200)).save(path, fmt, exif=exif.tobytes())
    return path


def check_a1111(recipe, tool="a1111"):
    assert recipe.tool == tool
    assert recipe.prompt == "a lighthouse in a storm, dramatic light"
    assert recipe.negative_prompt == "blurry, lowres"
    assert (recipe.seed, recipe.steps, recipe.cfg_scale) == (1234567, 28, 6.5)
    assert (recipe.width, recipe.height, recipe.model, recipe.sampler) == (832, 1216, "sd_xl_base_1.0", "DPM++ 2M")
    assert recipe.settings["Schedule type"] == "Karras" and recipe.settings["Model hash"] == "31e35c80fc"


def test_a1111_and_forge_png(tmp_path):
    a = read_recipe(png_with(tmp_path, "a.png", {"parameters": A1111}))
    check_a1111(a)
    assert a.raw == {"parameters": A1111} and a.sessionstudio is None
    check_a1111(read_recipe(png_with(tmp_path, "f.png", {"parameters": FORGE})), tool="forge")


def test_comfyui_png_prompt_graph_and_workflow(tmp_path):
    path = png_with(tmp_path, "c.png", {"prompt": json.dumps(COMFY_GRAPH), "workflow": json.dumps(COMFY_WORKFLOW)})
    r = read_recipe(path)
    assert r.tool == "comfyui"
    assert (r.prompt, r.negative_prompt) == ("beautiful scenery, glass bottle", "text, watermark")
    assert (r.seed, r.steps, r.cfg_scale, r.sampler) == (156680208700286, 20, 8.0, "euler")
    assert (r.width, r.height) == (512, 768)  # the first pass, not the hires latent
    assert r.model == "v1-5-pruned-emaonly.safetensors"  # followed through the LoRA loader
    assert r.settings["scheduler"] == "normal"
    assert set(r.raw) == {"prompt", "workflow"} and json.loads(r.raw["workflow"]) == COMFY_WORKFLOW


def test_comfyui_links_to_primitive_nodes(tmp_path):
    graph = {"1": {"class_type": "KSamplerAdvanced", "inputs": {
                 "noise_seed": ["2", 0], "steps": 12, "cfg": 3, "sampler_name": "euler",
                 "positive": ["3", 0], "negative": ["5", 0], "latent_image": ["6", 0], "model": ["7", 0]}},
             "2": {"class_type": "PrimitiveInt", "inputs": {"value": 99}},
             "3": {"class_type": "ControlNetApply", "inputs": {"conditioning": ["4", 0], "strength": 1}},
             "4": {"class_type": "CLIPTextEncode", "inputs": {"text": ["8", 0]}},
             "8": {"class_type": "PrimitiveString", "inputs": {"value": "neon alley"}},
             "5": {"class_type": "CLIPTextEncodeSDXL", "inputs": {"text_g": "dull", "text_l": "dull"}},
             "6": {"class_type": "EmptySD3LatentImage", "inputs": {"width": 1024, "height": 576}},
             "7": {"class_type": "UNETLoader", "inputs": {"unet_name": "flux1-dev.safetensors"}}}
    r = read_recipe(png_with(tmp_path, "c.png", {"prompt": json.dumps(graph)}))
    assert (r.prompt, r.negative_prompt, r.seed, r.steps) == ("neon alley", "dull", 99, 12)
    assert (r.width, r.height, r.model) == (1024, 576, "flux1-dev.safetensors")


def test_comfyui_workflow_only(tmp_path):
    r = read_recipe(png_with(tmp_path, "w.png", {"workflow": json.dumps(COMFY_WORKFLOW)}))
    assert r.tool == "comfyui"
    assert (r.prompt, r.negative_prompt, r.seed, r.steps, r.cfg_scale) == ("a red fox", "ugly", 42, 25, 7.5)
    assert (r.width, r.height, r.model, r.sampler) == (640, 384, "dreamshaper_8.safetensors", "euler_ancestral")


def test_invokeai_png(tmp_path):
    r = read_recipe(png_with(tmp_path, "i.png", {"invokeai_metadata": json.dumps(INVOKEAI)}))
    assert r.tool == "invokeai"
    assert (r.prompt, r.negative_prompt, r.seed) == ("a cozy cabin, snow", "people", 3947502958)
    assert (r.model, r.width, r.height, r.steps, r.sampler, r.cfg_scale) == (
        "Juggernaut XL v9", 1024, 1024, 30, "dpmpp_2m_k", 7.5)
    assert r.settings["app_version"] == "4.2.9" and r.settings["model_info"]["base"] == "sdxl"


def test_swarmui_png(tmp_path):
    r = read_recipe(png_with(tmp_path, "s.png", {"parameters": json.dumps(SWARMUI)}))
    assert r.tool == "swarmui"
    assert (r.prompt, r.negative_prompt, r.seed, r.model) == (
        "a koi pond, top view", "murky", 305223794, "Flux/flux1-dev-fp8")
    assert (r.width, r.height, r.steps, r.cfg_scale, r.sampler) == (1024, 768, 25, 1.0, "euler")
    assert r.settings["scheduler"] == "normal" and r.settings["sui_extra_data"] == {"date": "2024-08-07"}


def test_fooocus_png_both_schemes(tmp_path):
    r = read_recipe(png_with(tmp_path, "j.png", {"parameters": json.dumps(FOOOCUS), "fooocus_scheme": "fooocus"}))
    assert r.tool == "fooocus"
    assert (r.prompt, r.seed, r.steps, r.cfg_scale) == ("a desert city at noon", 8675309, 30, 4.0)
    assert (r.width, r.height, r.model, r.sampler) == (1152, 896, "juggernautXL_v8Rundiffusion.safetensors",
                                                       "dpmpp_2m_sde_gpu")
    assert r.settings["performance"] == "Speed"
    text = A1111.replace("Version: v1.10.1", "Version: Fooocus v2.5.5")
    r = read_recipe(png_with(tmp_path, "a.png", {"parameters": text, "fooocus_scheme": "a1111"}))
    assert r.tool == "fooocus" and r.prompt.startswith("a lighthouse") and r.seed == 1234567


@pytest.mark.parametrize("fmt,ext", [("JPEG", "jpg"), ("WEBP", "webp")])
@pytest.mark.parametrize("encoding", ["utf-16-be", "utf-16-le"])
def test_a1111_exif_user_comment(tmp_path, fmt, ext, encoding):
    # piexif (A1111, Forge) writes "UNICODE\0" + UTF-16BE; exiftool may write little-endian.
    text = A1111.replace("a lighthouse", "a lighthouse — ünïcode")
    path = exif_image(tmp_path, f"a.{ext}", fmt, b"UNICODE\x00" + text.encode(encoding))
    r = read_recipe(path)
    assert r.tool == "a1111" and r.prompt == "a lighthouse — ünïcode in a storm, dramatic light"
    assert r.seed == 1234567 and r.raw == {"usercomment": text}


def test_ascii_user_comment_and_fooocus_jpeg(tmp_path):
    r = read_recipe(exif_image(tmp_path, "a.jpg", "JPEG", b"ASCII\x00\x00\x00" + A1111.encode()))
    check_a1111(r)
    path = exif_image(tmp_path, "f.jpg", "JPEG", json.dumps(FOOOCUS), ifd0=True, extra={0x927C: "fooocus"})
    r = read_recipe(path)
    assert r.tool == "fooocus" and r.prompt == "a desert city at noon" and r.seed == 8675309


def test_camera_comments_are_not_prompts(tmp_path):
    exif = Image.Exif()
    exif[0x010E] = "OLYMPUS DIGITAL CAMERA"
    exif.get_ifd(0x8769)[0x9286] = b"ASCII\x00\x00\x00Holiday snaps"
    path = tmp_path / "camera.jpg"
    Image.new("RGB", (16, 16)).save(path, "JPEG", exif=exif.tobytes(), comment=b"Created with GIMP")
    assert read_recipe(path) is None
    assert read_recipe(make_jpeg(tmp_path / "plain.jpg")) is None
    assert read_recipe(make_png(tmp_path / "plain.png")) is None


def test_comfyui_mp4_tags(tmp_path):
    path = make_mp4(tmp_path / "c.mp4", seconds=0.25, metadata={
        "prompt": json.dumps(COMFY_GRAPH), "workflow": json.dumps(COMFY_WORKFLOW)})
    r = read_recipe(path)
    assert r.tool == "comfyui" and r.prompt == "beautiful scenery, glass bottle" and r.seed == 156680208700286
    assert set(r.raw) == {"prompt", "workflow"}
    # Video Helper Suite style: one comment tag holding {"prompt": ..., "workflow": ...}.
    path = make_mp4(tmp_path / "v.mp4", seconds=0.25, metadata={
        "comment": json.dumps({"prompt": json.dumps(COMFY_GRAPH), "workflow": COMFY_WORKFLOW})})
    assert read_recipe(path).negative_prompt == "text, watermark"
    assert read_recipe(make_mp4(tmp_path / "plain.mp4", seconds=0.25)) is None


def test_mp3_id3_frames(tmp_path):
    from mutagen.id3 import COMM, TIT2, TXXX
    from mutagen.mp3 import MP3

    path = make_encoded_audio(tmp_path / "song.mp3", 0.3)
    audio = MP3(path)
    if audio.tags is None:
        audio.add_tags()
    audio.tags.add(COMM(encoding=3, lang="eng", desc="", text=[A1111]))
    audio.tags.add(TIT2(encoding=3, text=["Storm song"]))
    audio.tags.add(TXXX(encoding=3, desc="mood", text=["wild"]))
    audio.save()
    r = read_recipe(path)
    check_a1111(r)
    assert r.settings["title"] == "Storm song" and r.raw == {"comment": A1111}
    assert read_recipe(make_encoded_audio(tmp_path / "plain.mp3", 0.3)) is None


@pytest.mark.parametrize("ext", ["flac", "ogg"])
def test_vorbis_comments(tmp_path, ext):
    import mutagen

    path = make_encoded_audio(tmp_path / f"song.{ext}", 0.3)
    audio = mutagen.File(path)
    audio["PROMPT"] = "lofi beat, rain on window"
    audio["DESCRIPTION"] = "made on a rainy day"
    audio.save()
    r = read_recipe(path)
    assert r.prompt == "lofi beat, rain on window" and r.tool == "unknown"
    audio["COMMENT"] = A1111
    audio.save()
    check_a1111(read_recipe(path))


def test_sessionstudio_chunk_wins(tmp_path):
    ours = {"kind": "image", "name": "Fox", "prompt": "a fox", "settings": {"steps": 9, "negative_prompt": "x"},
            "engine": "builtin", "action": "generate", "seed": 5}
    r = read_recipe(png_with(tmp_path, "o.png", {"parameters": A1111, "sessionstudio": json.dumps(ours)}))
    assert r.tool == "sessionstudio" and r.sessionstudio == ours
    assert (r.prompt, r.negative_prompt, r.steps, r.seed) == ("a fox", "x", 9, 5)


# -- hostile input -----------------------------------------------------------------------
def test_malformed_json_and_wrong_types(tmp_path):
    bad = {"parameters": "{not json", "prompt": "{\"3\": [1, 2", "workflow": "[[[[",
           "invokeai_metadata": "[1, 2, 3]", "sessionstudio": "{\"kind\": "}
    r = read_recipe(png_with(tmp_path, "b.png", bad))
    assert r is not None and r.tool == "unknown" and r.prompt == "{not json"  # parameters as plain text
    typed = {"3": {"class_type": "KSampler", "inputs": {
        "seed": "abc", "steps": [1], "cfg": {"x": 1}, "sampler_name": 7, "positive": ["99", 0],
        "negative": [[], 0], "latent_image": None, "model": ["3", 0]}}, "x": "not a node"}
    r = read_recipe(png_with(tmp_path, "t.png", {"prompt": json.dumps(typed)}))
    assert r.tool == "comfyui" and (r.seed, r.steps, r.cfg_scale, r.prompt) == (None, None, None, "")
    assert r.sampler == "7"
    invoke = dict(INVOKEAI, seed=True, width="wide", model=["list"], positive_prompt=None)
    r = read_recipe(png_with(tmp_path, "i.png", {"invokeai_metadata": json.dumps(invoke)}))
    assert r.tool == "invokeai" and r.seed is None and r.width is None and r.model is None and r.prompt == ""
    swarm = {"sui_image_params": {"prompt": 5, "seed": "12", "steps": "many", "cfgscale": "nan"}}
    r = read_recipe(png_with(tmp_path, "s.png", {"parameters": json.dumps(swarm)}))
    assert (r.prompt, r.seed, r.steps, r.cfg_scale) == ("5", 12, None, None)


def test_cyclic_and_deep_graphs(tmp_path):
    cyclic = {"1": {"class_type": "KSampler", "inputs": {"positive": ["2", 0], "negative": ["2", 0],
                                                          "model": ["1", 0], "latent_image": ["1", 0]}},
              "2": {"class_type": "ConditioningCombine", "inputs": {"conditioning_1": ["2", 0]}}}
    r = read_recipe(png_with(tmp_path, "c.png", {"prompt": json.dumps(cyclic)}))
    assert r.tool == "comfyui" and r.prompt == ""
    deep = "[" * 100_000 + "]" * 100_000
    r = read_recipe(png_with(tmp_path, "d.png", {"prompt": deep, "invokeai_metadata": deep}))
    assert r is None or r.tool == "unknown"


def test_giant_and_broken_files(tmp_path):
    giant = png_with(tmp_path, "g.png", {"parameters": "x" * (9 * 1024 * 1024)})
    assert read_recipe(giant) is None  # over the block limit: skipped, not parsed
    ok = png_with(tmp_path, "ok.png", {"parameters": A1111})
    truncated = tmp_path / "trunc.png"
    truncated.write_bytes(ok.read_bytes()[:60])
    assert read_recipe(truncated) is None
    for name, data in [("junk.png", b"\x89PNG\r\n\x1a\n" + b"\xff" * 100), ("junk.jpg", b"\xff\xd8\xff" + b"\x00" * 50),
                       ("junk.mp4", b"\x00\x00\x00\x18ftypisom" + b"\x00" * 40), ("junk.mp3", b"ID3\x04" + b"\xff" * 30),
                       ("empty.webp", b""), ("text.txt", b"hello")]:
        (tmp_path / name).write_bytes(data)
        assert read_recipe(tmp_path / name) is None
    assert read_recipe(tmp_path / "missing.png") is None
    garbage = exif_image(tmp_path, "g.jpg", "JPEG", b"UNICODE\x00\xff\xfe\x00\xd8garbage\x00")
    r = read_recipe(garbage)
    assert r is None or isinstance(r.prompt, str)


def test_sidecar_beside_the_file(tmp_path):
    wav = make_wav(tmp_path / "take.wav", 0.2)
    (tmp_path / "take.wav.json").write_text(json.dumps({"kind": "voiceover", "prompt": "hello there",
                                                        "settings": {}, "seed": 3}))
    r = read_recipe(wav)
    assert r.tool == "sessionstudio" and r.prompt == "hello there" and r.seed == 3
    (tmp_path / "take.wav.json").write_text("{broken")
    assert read_recipe(wav) is None


@pytest.mark.filterwarnings("ignore:Corrupt EXIF data:UserWarning")  # Pillow's, and expected
def test_damaged_exif_does_not_hide_the_xmp_recipe(tmp_path):
    from sessionstudio.media.exif_write import jpeg_with_metadata, xmp_packet

    ours = {"kind": "image", "prompt": "a fox", "settings": {}, "seed": 1}
    data = jpeg_with_metadata(make_jpeg(tmp_path / "s.jpg").read_bytes(),
                              exif=b"Exif\x00\x00MM\x00*garbage", xmp=xmp_packet(ours, "a fox"))
    (tmp_path / "d.jpg").write_bytes(data)
    r = read_recipe(tmp_path / "d.jpg")
    assert r.tool == "sessionstudio" and r.sessionstudio == ours
