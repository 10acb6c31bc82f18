"""Voiceovers and tracks are stored as WAV and can be downloaded as MP3 or Ogg, recipe
inside, and imported back with it."""

import av
import pytest

from sessionstudio import library as L
from sessionstudio.core.errors import InvalidInput
from tests.mediafactory import make_png, make_wav


@pytest.mark.parametrize("fmt,codec", [("mp3", "mp3"), ("ogg", "opus")])
def test_voiceover_downloads_as_mp3_or_ogg_with_its_recipe(lib, session_id, tmp_path, fmt, codec):
    item = L.add_item(lib, session_id=session_id, source=make_wav(tmp_path / "v.wav", seconds=1.5),
                      kind="voiceover", name="Welcome", prompt="Welcome to the show.",
                      settings={"voice": "female", "accent": "British"}, engine="builtin",
                      action="generate", seed=9).created[0]
    out = L.export_item(lib, item_id=item, dest_dir=tmp_path / "out", audio_format=fmt)
    assert out.suffix == f".{fmt}" and out.name.startswith("Welcome")
    with av.open(str(out)) as c:
        stream = c.streams.audio[0]
        assert stream.codec_context.name.startswith(codec)      # decoders: mp3float, opus
        assert abs(float(c.duration / 1_000_000) - 1.5) < 0.15
    assert not list((tmp_path / "out").glob(".converting*"))      # no temp left behind
    back = L.get_item(lib, L.add_item(lib, session_id=session_id, source=out).created[0])
    assert (back.kind, back.prompt, back.seed, back.settings["accent"]) == \
        ("voiceover", "Welcome to the show.", 9, "British")


def test_audio_format_is_ignored_for_pictures_and_checked(lib, session_id, tmp_path):
    pic = L.add_item(lib, session_id=session_id, source=make_png(tmp_path / "p.png")).created[0]
    assert L.export_item(lib, item_id=pic, dest_dir=tmp_path / "o", audio_format="mp3").suffix == ".png"
    track = L.add_item(lib, session_id=session_id, source=make_wav(tmp_path / "t.wav")).created[0]
    with pytest.raises(InvalidInput, match="mp3 or ogg"):
        L.export_item(lib, item_id=track, dest_dir=tmp_path / "o", audio_format="aiff")
