"""The built-in interpreter: what each kind of plain instruction is understood as."""

import pytest

from sessionstudio.agent.intents import parse
from sessionstudio.agent.ref_words import parse_ref

# (said, kind, action or media, expected params subset, prompt or name)
CASES = [
    ("generate an image of a lighthouse at dusk, 16:9", "generate", "image", {"aspect": "16:9"},
     "a lighthouse at dusk"),
    ("make a square picture of a red fox", "generate", "image", {"aspect": "1:1"}, "a red fox"),
    ("paint a watercolor of a fox in the snow", "generate", "image", {"style": "watercolor"},
     "a fox in the snow"),
    ("make a video of waves crashing on rocks, 10 seconds, zoom out", "generate", "video",
     {"duration": 10.0, "direction": "out"}, "waves crashing on rocks"),
    ("generate 30 seconds of calm piano music", "generate", "music", {"length": 30.0, "mood": "calm"},
     "calm piano"),
    ("compose an upbeat jazz song at 120 bpm", "generate", "music",
     {"tempo": 120, "genre": "jazz", "mood": "energetic"}, "upbeat jazz"),
    ("create a voiceover saying \"Welcome to the show\" with a British accent, slower",
     "generate", "voiceover", {"accent": "British", "speed": 0.8}, "Welcome to the show"),
    ("say 'hello there' in Spanish with a male voice", "generate", "voiceover",
     {"language": "es", "voice": "male"}, "hello there"),
    ("edit the last image: warmer and crop to 16:9", "use", "edit", {}, "warmer and crop to 16:9"),
    ("upscale the selected image 4x", "use", "upscale", {"factor": "4"}, ""),
    ("animate the last image, 6 seconds", "use", "to_video", {"duration": 6.0}, ""),
    ("turn #1 into a video", "use", "to_video", {}, ""),
    ("extend the outro by 3 seconds", "use", "extend", {"seconds": 3.0}, ""),
    ("remix the song", "use", "remix", {}, ""),
    ("recreate it", "use", "recreate", {}, ""),
    ("lip-sync the intro to the voiceover", "use", "lipsync", {}, ""),
    ("translate the outro to French", "use", "translate", {"language": "fr"}, ""),
    ("generate music for the intro", "use", "to_music", {}, ""),
    ("make an avatar from the last image", "use", "avatar", {}, ""),
    ("rename the second clip to Beach walk", "rename", "", {}, "Beach walk"),
    ("call it \"Sunset\"", "rename", "", {}, "Sunset"),
    ("favorite #3", "favorite", "", {}, ""),
    ("delete the last image", "delete", "", {}, ""),
    ("make the outro a bit longer", "adjust", "a bit longer", {}, ""),
    ("make it brighter", "adjust", "brighter", {}, ""),
    ("it's too dark", "adjust", "brighter", {}, ""),
]


@pytest.mark.parametrize("said,kind,what,params,text", CASES)
def test_instructions_are_understood(said, kind, what, params, text):
    intent = parse(said)
    assert intent.kind == kind
    assert (intent.media if kind == "generate" else intent.action) == what
    assert params.items() <= intent.params.items()
    assert (intent.name if kind == "rename" else intent.prompt) == text


@pytest.mark.parametrize("said,kinds", [
    ("show only videos", ["video"]), ("show images and videos", ["image", "video"]),
    ("only audio", ["music", "voiceover"]), ("show everything", []), ("clear the filter", []),
    ("hide the music", ["image", "video", "voiceover"]),
])
def test_filters(said, kinds):
    intent = parse(said)
    assert intent.kind == "filter" and intent.kinds == kinds


@pytest.mark.parametrize("said,kind", [
    ("undo that", "undo"), ("actually, undo that last change", "undo"), ("Undo.", "undo"),
    ("redo", "redo"), ("do the same thing to the second clip", "repeat"), ("again", "repeat"),
    ("help", "help"), ("what is the weather like", "unknown"), ("#5", "ref"),
    ("unfavorite it", "favorite"), ("remove that", "delete"),
])
def test_conversation_words(said, kind):
    assert parse(said).kind == kind


@pytest.mark.parametrize("phrase,form,kind,n", [
    ("it", "it", None, None), ("that", "it", None, None), ("this", "this", None, None),
    ("this image", "this", "image", None), ("the selected items", "selected", None, None),
    ("the last image", "ordinal", "image", -1), ("the second clip", "ordinal", "video", 2),
    ("the second to last video", "ordinal", "video", -2), ("the third one", "ordinal", None, 3),
    ("the intro", "intro", "video", None), ("the outro", "outro", "video", None),
    ("#3", "number", None, 3), ("item 4", "number", None, 4), ("the song", "only", "music", None),
    ("the voice over", "only", "voiceover", None),
])
def test_reference_forms(phrase, form, kind, n):
    ref = parse_ref(phrase)
    assert (ref.form, ref.kind, ref.n) == (form, kind, n)


def test_named_reference_keeps_the_name_as_written():
    ref = parse_ref('the image called "Dunes at Noon"')
    assert (ref.form, ref.kind, ref.name) == ("name", "image", "Dunes at Noon")
    assert parse_ref("a cat") is None
