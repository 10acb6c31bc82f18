"""Procedural music: real WAVs read back and measured, plus the score behind them."""

import time

import numpy as np
import pytest
from PIL import Image

from sessionstudio.core.errors import Cancelled, StudioError
from sessionstudio.engines.builtin import music
from tests.engines.audio_checks import band_db, onset_rate, read_wav, tempo

LYRICS = "[Verse]\nWe walk along the river light\nThe city hums into the night\nAnd every road leads home"


def compose(tmp_path, name="m.wav", **kw):
    kw.setdefault("seed", 7)
    kw.setdefault("seconds", 10.0)
    out = music.compose_music(tmp_path / name, **kw)
    x, sr, width = read_wav(out)
    return x, sr, out


def test_length_format_and_level(tmp_path):
    x, sr, out = compose(tmp_path, genre="pop", mood="happy", seconds=12.34)
    assert sr == 44100 and x.shape[1] == 2
    assert abs(len(x) / sr - 12.34) <= 0.01
    assert np.sqrt(np.mean(x ** 2)) > 0.05  # not silent
    assert np.max(np.abs(x)) < 0.99  # not clipping
    assert np.abs(x[:, 0] - x[:, 1]).mean() > 1e-3  # real stereo, not two copies
    assert [p.name for p in tmp_path.iterdir()] == ["m.wav"]


def test_same_recipe_same_file_new_seed_is_a_remix(tmp_path):
    _, _, a = compose(tmp_path, "a.wav", genre="jazz", mood="romantic", seed=1)
    _, _, b = compose(tmp_path, "b.wav", genre="jazz", mood="romantic", seed=1)
    x, _, c = compose(tmp_path, "c.wav", genre="jazz", mood="romantic", seed=2)
    assert a.read_bytes() == b.read_bytes()
    assert a.read_bytes() != c.read_bytes()
    assert abs(len(x) / 44100 - 10.0) <= 0.01


def test_exports():
    assert set(music.GENRES) >= {"ambient", "pop", "rock", "electronic", "hip hop", "jazz",
                                 "classical", "lo-fi", "cinematic", "folk"}
    assert set(music.MOODS) >= {"calm", "happy", "sad", "energetic", "dark", "romantic", "epic",
                                "mysterious", "uplifting", "tense"}
    assert {"travel", "corporate", "gaming", "wedding", "nature", "sports"} <= set(music.THEMES)
    assert set(music.DEFAULT_TEMPO) == set(music.GENRES)


def test_genres_are_audibly_different(tmp_path):
    plans = {g: music.plan_music(genre=g, mood="happy", seconds=20, seed=3) for g in music.GENRES}
    line_ups = {g: frozenset(n[0] for n in p.notes) for g, p in plans.items()}
    assert len(set(line_ups.values())) == len(music.GENRES)  # every genre its own band
    assert len({music.DEFAULT_TEMPO[g] for g in music.GENRES}) >= 7
    amb, _, _ = compose(tmp_path, "amb.wav", genre="ambient", mood="happy")
    edm, sr, _ = compose(tmp_path, "edm.wav", genre="electronic", mood="happy")
    lofi, _, _ = compose(tmp_path, "lofi.wav", genre="lo-fi", mood="happy")
    rock, _, _ = compose(tmp_path, "rock.wav", genre="rock", mood="happy")
    assert onset_rate(edm, sr) > 1.5 * onset_rate(amb, sr)
    # Lo-fi is low-passed: far less of its energy sits above 5 kHz than rock's.
    air = lambda x: band_db(x, sr, 5000, 20000) - band_db(x, sr, 20, 20000)  # noqa: E731
    assert air(lofi) < air(rock) - 20


def test_sad_is_minor_and_happy_is_major():
    sad = music.plan_music(mood="sad", genre="pop", seconds=30, seed=4)
    happy = music.plan_music(mood="happy", genre="pop", seconds=30, seed=4)
    mysterious = music.plan_music(mood="mysterious", genre="pop", seconds=30, seed=4)
    tonic = lambda p: next(c for c in p.chords if c.degree == 0)  # noqa: E731
    assert tonic(sad).quality == "minor" and sad.mode == "minor"
    assert tonic(happy).quality == "major" and happy.mode == "major"
    assert mysterious.mode == "dorian"
    assert sad.tempo < happy.tempo
    assert [c.notes for c in sad.chords] != [c.notes for c in happy.chords]


def test_tempo_sets_the_beat(tmp_path):
    slow, sr, _ = compose(tmp_path, "slow.wav", genre="electronic", mood="happy", tempo=90, seconds=12)
    fast, _, _ = compose(tmp_path, "fast.wav", genre="electronic", mood="happy", tempo=150, seconds=12)
    assert abs(tempo(slow, sr) - 90) < 4
    assert abs(tempo(fast, sr) - 150) < 6
    assert music.plan_music(genre="rock", seconds=20, seed=1).tempo != \
        music.plan_music(genre="rock", seconds=20, seed=1, tempo=70).tempo


def test_lyrics_are_sung_over_ducked_music(tmp_path):
    kw = dict(genre="pop", mood="happy", seconds=20, seed=3)
    plain, sr, _ = compose(tmp_path, "plain.wav", **kw)
    sung, _, _ = compose(tmp_path, "sung.wav", lyrics=LYRICS, **kw)
    plan = music.plan_music(**kw)
    start = next(s for s in plan.sections if s[0] != "intro")[1] * plan.bar_seconds
    window = slice(int((start + 0.2) * sr), int((start + 4) * sr))
    assert band_db(sung[window], sr, 300, 3000) > band_db(plain[window], sr, 300, 3000) + 3
    intro = slice(0, int(start * sr))  # nothing is sung in the intro
    assert abs(band_db(sung[intro], sr, 300, 3000) - band_db(plain[intro], sr, 300, 3000)) < 3
    again, _, _ = compose(tmp_path, "again.wav", lyrics=LYRICS, **kw)
    assert np.array_equal(sung, again)


def test_prompt_and_theme_nudge_the_arrangement():
    plain = music.plan_music(genre="folk", seconds=20, seed=1)
    piano = music.plan_music(genre="folk", prompt="warm piano and strings", seconds=20, seed=1)
    names = lambda p: {n[0] for n in p.notes}  # noqa: E731
    assert {"piano", "strings"} <= names(piano) - names(plain)
    assert not names(music.plan_music(genre="rock", prompt="no drums", seconds=20, seed=1)) & \
        {"kick", "snare"}
    assert music.plan_music(genre="pop", prompt="slow", seconds=20, seed=1).tempo < \
        music.plan_music(genre="pop", prompt="fast", seconds=20, seed=1).tempo
    gaming = music.plan_music(genre="auto", mood="auto", theme="gaming", seconds=20, seed=1)
    assert (gaming.genre, gaming.mood) == ("electronic", "energetic")
    assert music.plan_music(genre="auto", mood="auto", prompt="a sad jazz ballad",
                            seconds=20, seed=1).mood == "sad"
    assert music.plan_music(genre="auto", prompt="lofi beats", seconds=20, seed=1).genre == "lo-fi"


@pytest.mark.parametrize("kwargs, words", [
    ({"genre": "polka"}, ["ambient", "hip hop", "lo-fi"]),
    ({"mood": "hangry"}, ["calm", "tense"]),
    ({"seconds": 4.0}, ["5", "600"]),
    ({"seconds": 601.0}, ["5", "600"]),
    ({"tempo": 10}, ["40", "240"]),
    ({"lyrics": "la la", "voice": "robot"}, ["female", "male"]),
])
def test_bad_settings_list_the_choices(tmp_path, kwargs, words):
    with pytest.raises(StudioError) as err:
        music.compose_music(tmp_path / "bad.wav", seed=1, **kwargs)
    assert all(w in str(err.value) for w in words)
    assert list(tmp_path.iterdir()) == []


def test_cancel_leaves_nothing(tmp_path):
    calls = []

    def cancelled():
        calls.append(1)
        return len(calls) > 3

    with pytest.raises(Cancelled):
        music.compose_music(tmp_path / "c.wav", genre="rock", seed=1, cancelled=cancelled)
    assert list(tmp_path.iterdir()) == []


def test_thirty_seconds_compose_quickly(tmp_path):
    music.compose_music(tmp_path / "warm.wav", genre="cinematic", seconds=5, seed=1)  # tables
    start = time.perf_counter()
    music.compose_music(tmp_path / "t.wav", genre="cinematic", mood="epic", seconds=30, seed=1)
    assert time.perf_counter() - start < 2.0


def test_mood_from_colours():
    sunny = music.mood_from_colours((0.95, 0.7, 0.3), brightness=0.75, saturation=0.6)
    assert (sunny["mood"], sunny["genre"]) == ("happy", "pop")
    night = music.mood_from_colours((0.05, 0.08, 0.25), brightness=0.1, saturation=0.6)
    assert (night["mood"], night["genre"]) in {("calm", "ambient"), ("dark", "cinematic")}
    dusk = music.mood_from_colours((20, 30, 80), brightness=0.25, saturation=0.6)  # 0-255 too
    assert (dusk["mood"], dusk["genre"]) in {("calm", "ambient"), ("dark", "cinematic")}
    busy = music.mood_from_colours((0.95, 0.7, 0.3), brightness=0.75, saturation=0.6, motion=0.12)
    assert busy["mood"] == "energetic" and busy["tempo"] > sunny["tempo"]
    calm_clip = music.mood_from_colours((0.95, 0.7, 0.3), 0.75, 0.6, motion=0.01)
    assert calm_clip["mood"] == "happy" and calm_clip["tempo"] >= sunny["tempo"]
    assert all(isinstance(d["why"], str) and d["why"] for d in (sunny, night, busy))
    assert sunny["genre"] in music.GENRES and sunny["mood"] in music.MOODS


def test_image_stats_feed_mood_from_colours():
    red = music.image_stats(Image.new("RGB", (40, 30), (255, 0, 0)))
    assert np.allclose(red["mean_rgb"], (1, 0, 0), atol=0.01)
    assert red["saturation"] > 0.99 and abs(red["brightness"] - 0.299) < 0.01
    grey = music.image_stats(Image.new("L", (10, 10), 128))
    assert grey["saturation"] < 0.01
    guess = music.mood_from_colours(red["mean_rgb"], red["brightness"], red["saturation"])
    assert guess["mood"] in music.MOODS
