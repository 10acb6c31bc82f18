"""Voiceovers through espeak-ng: real WAVs read back and measured."""

import threading
from pathlib import Path

import espeakng_loader
import numpy as np
import pytest

from sessionstudio.core.errors import Cancelled, StoreError, StudioError
from sessionstudio.engines.builtin import speech
from sessionstudio.engines.builtin.phrasebook import translate_text
from tests.engines.audio_checks import band_db, f0, read_wav, voiced_fraction

LINE = "Today we explore the mountains and rivers of this beautiful country."


def say(tmp_path: Path, text: str = LINE, name: str = "v.wav", **kw) -> tuple[np.ndarray, int]:
    out = speech.speak(text, tmp_path / name, **kw)
    x, sr, width = read_wav(out)
    assert x.shape[1] == 1 and width == 2 and sr == 22050
    return x[:, 0], sr


def test_writes_a_non_silent_mono_wav(tmp_path):
    x, sr = say(tmp_path)
    assert 2.0 < len(x) / sr < 8.0
    assert np.sqrt(np.mean(x ** 2)) > 0.05
    assert np.max(np.abs(x)) < 1.0
    assert [p.name for p in tmp_path.iterdir()] == ["v.wav"]  # no temp file left


def test_duration_grows_with_text_and_shrinks_with_speed(tmp_path):
    short, sr = say(tmp_path, "Hello there.", "a.wav")
    long, _ = say(tmp_path, LINE + " " + LINE, "b.wav")
    fast, _ = say(tmp_path, LINE + " " + LINE, "c.wav", speed=2.0)
    assert len(long) > 3 * len(short)
    assert len(fast) < 0.65 * len(long)
    estimate = speech.speech_duration(LINE + " " + LINE, 1.0)
    assert 0.6 < estimate / (len(long) / sr) < 1.6
    assert speech.speech_duration(LINE, 2.0) < speech.speech_duration(LINE, 1.0)


def test_required_languages_exist_and_sound_different(tmp_path):
    data = Path(espeakng_loader.get_data_path())
    for code in ("en", "es", "fr", "de", "it", "pt", "nl", "sv", "pl", "ru", "ja", "zh", "hi", "ar"):
        assert code in speech.LANGUAGES
    files = {p.name.lower() for p in (data / "lang").rglob("*") if p.is_file()}
    renders = {lang: say(tmp_path, "Ciao, amore mio, buona notte.", f"{lang}.wav", language=lang)[0]
               for lang in ("en", "it", "de")}
    assert len({r.tobytes() for r in renders.values()}) == 3
    assert all(v in files for table in speech.ACCENTS.values() for v in table.values())


def test_accents_map_to_voices_and_change_the_sound(tmp_path):
    assert {"American", "British", "Scottish"} <= set(speech.ACCENTS["en"])
    us, _ = say(tmp_path, "Can't dance on the water, laughing at the path.", "us.wav", accent="American")
    gb, _ = say(tmp_path, "Can't dance on the water, laughing at the path.", "gb.wav", accent="British")
    assert us.tobytes() != gb.tobytes()
    # Accent names match case-insensitively; languages by name too.
    say(tmp_path, "Hola", "es.wav", language="Spanish", accent="latin american")


def test_voices_differ_in_pitch(tmp_path):
    pitch = {v: f0(*say(tmp_path, LINE, f"{v}.wav", voice=v))[0] for v in speech.VOICES}
    assert set(speech.VOICES) == {"female", "male", "child", "elder"}
    assert pitch["male"] < pitch["female"] < pitch["child"]
    assert pitch["elder"] < pitch["female"]


def test_emotion_changes_pitch(tmp_path):
    pitch = {e: f0(*say(tmp_path, LINE, f"{e}.wav", emotion=e))[0]
             for e in ("happy", "neutral", "sad")}
    assert pitch["happy"] > pitch["neutral"] * 1.1
    assert pitch["neutral"] > pitch["sad"] * 1.1


def test_whisper_and_effects_change_the_voice(tmp_path):
    plain, sr = say(tmp_path, LINE, "plain.wav")
    whisper, _ = say(tmp_path, LINE, "whisper.wav", emotion="whisper")
    assert voiced_fraction(whisper, sr) < 0.3 * voiced_fraction(plain, sr)
    radio, _ = say(tmp_path, LINE, "radio.wav", effect="radio")
    assert (band_db(radio, sr, 800, 2500) - band_db(radio, sr, 20, 250)) - \
        (band_db(plain, sr, 800, 2500) - band_db(plain, sr, 20, 250)) > 15
    hall, _ = say(tmp_path, LINE, "hall.wav", effect="hall")
    assert len(hall) > len(plain) + sr  # the reverb tail is kept
    robot, _ = say(tmp_path, LINE, "robot.wav", effect="robot")
    assert f0(robot, sr)[1] < f0(plain, sr)[1]


@pytest.mark.parametrize("kwargs, words", [
    ({"language": "klingon"}, ["en (English)", "ja (Japanese)"]),
    ({"accent": "Martian"}, ["American", "Scottish"]),
    ({"voice": "robot"}, ["female", "male", "child", "elder"]),
    ({"emotion": "bored"}, ["happy", "whisper"]),
    ({"effect": "flanger"}, ["echo", "radio", "robot", "hall"]),
    ({"language": "de", "accent": "Bavarian"}, ["no accent"]),
    ({"speed": 3.0}, ["0.5 to 2.0"]),
])
def test_bad_choices_list_the_valid_ones(tmp_path, kwargs, words):
    out = tmp_path / "bad.wav"
    with pytest.raises(StudioError) as err:
        speech.speak("Hello", out, **kwargs)
    assert all(w in str(err.value) for w in words)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("text", ["", "   ", "x" * 5001])
def test_empty_or_too_long_text_is_refused(tmp_path, text):
    with pytest.raises(StudioError):
        speech.speak(text, tmp_path / "bad.wav")
    assert list(tmp_path.iterdir()) == []


def test_unwritable_destination_is_a_store_error(tmp_path):
    with pytest.raises(StoreError):
        speech.speak("Hello", tmp_path / "missing" / "v.wav")


def test_cancel_between_sentences_leaves_nothing(tmp_path):
    asked = []

    def cancelled():
        asked.append(1)
        return len(asked) > 1  # let the first sentence through, then stop

    with pytest.raises(Cancelled):
        speech.speak("One. Two. Three.", tmp_path / "c.wav", cancelled=cancelled)
    assert list(tmp_path.iterdir()) == []


def test_progress_reports_up_to_done(tmp_path):
    seen = []
    speech.speak("One. Two. Three.", tmp_path / "p.wav", progress=lambda f, m: seen.append(f))
    assert seen == sorted(seen) and seen[-1] == 1.0 and len(seen) >= 4


def test_same_settings_give_the_same_samples(tmp_path):
    a, _ = say(tmp_path, LINE, "a.wav", voice="male")
    say(tmp_path, "Something else in between.", "b.wav", voice="elder", emotion="happy")
    c, _ = say(tmp_path, LINE, "c.wav", voice="male")
    assert np.array_equal(a, c)


def test_threads_share_the_engine_safely(tmp_path):
    texts = [f"Voice number {i} is speaking now." for i in range(4)]
    serial = [say(tmp_path, t, f"s{i}.wav", voice=speech.VOICES[i])[0] for i, t in enumerate(texts)]
    errors = []

    def work(i):
        try:
            speech.speak(texts[i], tmp_path / f"t{i}.wav", voice=speech.VOICES[i])
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    for i in range(4):
        assert np.array_equal(read_wav(tmp_path / f"t{i}.wav")[0][:, 0], serial[i])


def test_phrasebook_translates_phrases_and_common_words():
    assert translate_text("Hello! Welcome to the show.", "es") == "¡Hola! Bienvenidos al programa."
    assert translate_text("Thank you", "fr") == "Merci"
    assert translate_text("Good morning", "de") == "Guten Morgen"
    assert translate_text("Let's get started.", "it") == "Cominciamo."
    assert translate_text("Goodbye", "pt") == "Adeus"
    assert translate_text("My friends love music", "es") == "Mi amigos amor música"
    assert translate_text("Three blue cars", "de") == "Drei blau cars"  # 2 of 3 words known
    assert translate_text("Three quantum cars", "de") is None  # 1 of 3 is too few
    assert translate_text("Hello", "German") == "Hallo"
    assert translate_text("Hello", "en") == "Hello"


def test_phrasebook_gives_up_on_unknown_text():
    assert translate_text("The quantum flux capacitor overheated", "fr") is None
    assert translate_text("Hello", "ja") is None
    assert translate_text("", "es") is None
