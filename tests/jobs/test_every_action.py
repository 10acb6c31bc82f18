"""Every action of the built-in engine, chained the way a user would, each result a real
media file with the right kind, size or duration. Small sizes keep it quick."""

import wave

import av
import pytest

from sessionstudio import library as L
from sessionstudio.core.errors import InvalidInput
from sessionstudio.jobs.plan import queue_generate, queue_use


@pytest.fixture
def make(lib, session_id, reg, run):
    def generate(kind, prompt="", **params):
        job = run(queue_generate(lib, reg, session_id=session_id, kind=kind, prompt=prompt,
                                 params=params, seed=11))
        assert job.state == "done", job.error
        return L.get_item(lib, job.outputs[0])

    def use(item, action, prompt="", **params):
        job = run(queue_use(lib, reg, item_id=item.id, action=action, prompt=prompt,
                            params=params, seed=5))
        assert job.state == "done", f"{action}: {job.error}"
        out = L.get_item(lib, job.outputs[0])
        assert out.parent_id == item.id or action in ("recreate", "remix")
        return out
    return generate, use


def _seconds(lib, item) -> float:
    return item.duration_ms / 1000


def _has_audio(lib, item) -> bool:
    with av.open(str(lib.store.path(item.asset_hash))) as c:
        return bool(c.streams.audio)


def test_images_into_video_avatar_and_music(lib, make):
    generate, use = make
    picture = generate("image", "a golden sunset over mountains and a lake", resolution="512",
                       aspect="4:3")
    assert (picture.width, picture.height) == (512, 384)
    edited = use(picture, "edit", "warmer, more contrast")
    assert (edited.width, edited.height) == (512, 384)
    big = use(picture, "upscale", factor="2")
    assert (big.width, big.height) == (1024, 768)
    clip = use(picture, "image_to_video", duration=1.0, fps=8, direction="left")
    assert clip.kind == "video" and abs(_seconds(lib, clip) - 1.0) < 0.2
    assert {i.role for i in clip.inputs} >= {"source", "end_frame"}
    face = use(picture, "avatar", style="posterised")
    assert (face.kind, face.width, face.height) == ("image", 512, 512)
    tune = use(picture, "music_from_media", length=5.0)
    assert tune.kind == "music" and abs(_seconds(lib, tune) - 5.0) < 0.1
    assert tune.settings["mood"] and tune.settings["genre"]


def test_videos_edit_restyle_extend_upscale_avatar_music(lib, make):
    generate, use = make
    clip = generate("video", "a city street at night", duration=1.0, fps=8, aspect="16:9")
    assert clip.kind == "video" and clip.width == 1280
    assert {i.role for i in clip.inputs} == {"start_frame", "end_frame"}
    small = use(clip, "edit", "black and white")
    assert small.kind == "video"
    styled = use(clip, "video_to_video", style="sketch")
    assert abs(_seconds(lib, styled) - _seconds(lib, clip)) < 0.2
    longer = use(clip, "extend", seconds=1.0)
    assert abs(_seconds(lib, longer) - (_seconds(lib, clip) + 1.0)) < 0.3
    still = use(clip, "avatar", style="outline")
    assert still.kind == "image"
    tune = use(clip, "music_from_media", length=5.0)
    assert tune.kind == "music"


def test_sound_voiceover_lipsync_translate_avatar(lib, make):
    generate, use = make
    voice = generate("voiceover", "Hello, welcome to the show.", accent="British",
                     emotion="happy")
    assert voice.kind == "voiceover" and voice.duration_ms > 500
    with wave.open(str(lib.store.path(voice.asset_hash))) as w:
        assert w.getnframes() > 0
    picture = generate("image", "a portrait of a person smiling", resolution="512")
    synced = use(voice, "lipsync", visual=picture.id)
    assert synced.kind == "video" and _has_audio(lib, synced)
    assert abs(synced.duration_ms - voice.duration_ms) < 200
    assert synced.settings["speech_text"] == "Hello, welcome to the show."
    spanish = use(synced, "translate", language="es")
    assert spanish.kind == "video" and _has_audio(lib, spanish)
    assert spanish.settings["speech_text"] != synced.settings["speech_text"]
    talking = use(voice, "avatar")
    assert talking.kind == "video" and _has_audio(lib, talking)
    narrated = use(voice, "voice_to_video", aspect="1:1")
    assert narrated.kind == "video" and narrated.width == narrated.height
    again = use(voice, "recreate")
    assert again.prompt == voice.prompt and again.settings["accent"] == "British"


def test_music_remix_and_lipsync_from_a_video(lib, make, reg, session_id):
    generate, use = make
    track = generate("music", "calm piano", genre="classical", mood="calm", length=5.0)
    assert track.kind == "music" and abs(_seconds(lib, track) - 5.0) < 0.1
    remix = use(track, "remix")
    assert remix.asset_hash != track.asset_hash and remix.settings["genre"] == "classical"
    clip = generate("video", "a face close up", duration=1.0, fps=8)
    synced = use(clip, "lipsync", audio=track.id)
    assert _has_audio(lib, synced) and "speech_text" not in synced.settings
    with pytest.raises(InvalidInput, match="speech recognition"):
        queue_use(lib, reg, item_id=synced.id, action="translate", params={"language": "fr"})
