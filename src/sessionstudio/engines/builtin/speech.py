"""Offline text-to-speech: espeak-ng (through the espeakng-loader wheel) via ctypes.

espeak-ng is one global, non-thread-safe state machine, so each utterance holds _LOCK
from loading the library to unloading it (see _Espeak for why it is reloaded: that is
what makes the same settings give the same samples). Emotions are prosody settings
(pitch, range, rate, volume) plus DSP for whisper and anger; effects are audio_fx's.
"""

from __future__ import annotations

import _ctypes  # dlclose: see _Espeak
import ctypes
import os
import re
import threading
import wave
from collections.abc import Callable
from pathlib import Path

import espeakng_loader
import numpy as np

from sessionstudio.core.errors import Cancelled, InvalidInput, StoreError, StudioError
from sessionstudio.engines.builtin import audio_fx
from sessionstudio.engines.builtin.phrasebook import translate_text  # noqa: F401 - re-exported

MAX_CHARS = 5000
_DATA = Path(espeakng_loader.get_data_path())

# code -> (display name, espeak voice file). zh is Mandarin, whose file is "cmn".
_WANTED = {
    "en": ("English", "en"), "es": ("Spanish", "es"), "fr": ("French", "fr"),
    "de": ("German", "de"), "it": ("Italian", "it"), "pt": ("Portuguese", "pt"),
    "nl": ("Dutch", "nl"), "sv": ("Swedish", "sv"), "da": ("Danish", "da"),
    "nb": ("Norwegian", "nb"), "fi": ("Finnish", "fi"), "pl": ("Polish", "pl"),
    "cs": ("Czech", "cs"), "ro": ("Romanian", "ro"), "hu": ("Hungarian", "hu"),
    "el": ("Greek", "el"), "tr": ("Turkish", "tr"), "ru": ("Russian", "ru"),
    "uk": ("Ukrainian", "uk"), "ja": ("Japanese", "ja"), "zh": ("Chinese", "cmn"),
    "ko": ("Korean", "ko"), "vi": ("Vietnamese", "vi"), "id": ("Indonesian", "id"),
    "hi": ("Hindi", "hi"), "ar": ("Arabic", "ar"), "he": ("Hebrew", "he"),
    "sw": ("Swahili", "sw"),
}
_ACCENTS_WANTED = {
    "en": {"American": "en-us", "British": "en", "Received Pronunciation": "en-gb-x-rp",
           "Scottish": "en-gb-scotland", "Caribbean": "en-029", "New York": "en-us-nyc",
           "Lancashire": "en-gb-x-gbclan", "West Midlands": "en-gb-x-gbcwmd"},
    "es": {"Spain": "es", "Latin American": "es-419"},
    "fr": {"France": "fr", "Belgian": "fr-be", "Swiss": "fr-ch"},
    "pt": {"Portugal": "pt", "Brazilian": "pt-br"},
    "zh": {"Mandarin": "cmn", "Cantonese": "yue"},
    "vi": {"Northern": "vi", "Central": "vi-vn-x-central", "Southern": "vi-vn-x-south"},
}


def _voice_files() -> set[str]:
    """Lower-cased names of the voice files shipped in espeak-ng-data/lang."""
    return {p.name.lower() for p in (_DATA / "lang").rglob("*") if p.is_file()}


_FILES = _voice_files()
LANGUAGES: dict[str, str] = {c: n for c, (n, f) in _WANTED.items() if f in _FILES}
_LANG_FILE = {c: f for c, (n, f) in _WANTED.items() if c in LANGUAGES}
ACCENTS: dict[str, dict[str, str]] = {
    lang: {a: v for a, v in acc.items() if v in _FILES}
    for lang, acc in _ACCENTS_WANTED.items() if lang in LANGUAGES}

# voice -> (espeak variant, pitch offset, rate factor). Variants live in voices/!v.
_VOICE_SPEC = {"female": ("f3", 0, 1.0), "male": ("m3", 0, 1.0),
               "child": ("f5", 22, 1.06), "elder": ("grandpa", -4, 0.88)}
_VARIANTS = {p.name for p in (_DATA / "voices" / "!v").iterdir()}
VOICES = tuple(v for v, (var, *_x) in _VOICE_SPEC.items() if var in _VARIANTS)

# emotion -> (pitch 0-100, range 0-100, rate factor, volume 0-200). 50/50/1/100 is
# espeak's plain reading; the rest follow how people sound: happy is higher and more
# melodic, sad is lower, flatter and slower, angry is louder and clipped.
_EMOTION = {"neutral": (50, 50, 1.0, 100), "happy": (68, 78, 1.08, 105),
            "sad": (32, 22, 0.84, 85), "angry": (46, 70, 1.1, 140),
            "excited": (76, 92, 1.2, 115), "calm": (44, 32, 0.9, 90),
            "whisper": (50, 40, 0.9, 100)}
EMOTIONS = tuple(_EMOTION)
EFFECTS = audio_fx.EFFECTS

_LOCK = threading.Lock()
_CB = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p)
_RATE, _VOLUME, _PITCH, _RANGE = 1, 2, 3, 4
_SYNCHRONOUS, _CHARS_UTF8, _POS_CHARACTER, _DONT_EXIT = 2, 1, 1, 0x8000


class _Espeak:
    """espeak-ng loaded for one utterance, then unloaded (use with _LOCK held).

    espeak keeps synthesis state in C statics that neither espeak_Terminate nor
    re-initialising resets (the pitch-flutter phase, gain control), so a second
    utterance of the same text comes out slightly different. Unloading the library
    (dlclose) and loading it again starts every utterance from the same state, so
    the same settings always give the same samples; it costs ~8 ms.
    """

    def __enter__(self) -> _Espeak:
        self.lib = lib = ctypes.CDLL(espeakng_loader.get_library_path())
        lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        lib.espeak_ng_SetRandSeed.argtypes = [ctypes.c_long]
        lib.espeak_Synth.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int,
                                     ctypes.c_uint, ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p]
        # DONT_EXIT: without it a missing data file makes espeak call exit().
        self.rate = lib.espeak_Initialize(_SYNCHRONOUS, 0, str(_DATA).encode(), _DONT_EXIT)
        self.chunks: list[np.ndarray] = []
        # Kept on self: a garbage-collected callback would crash espeak mid-synthesis.
        self.callback = _CB(self._collect)
        lib.espeak_SetSynthCallback(self.callback)
        if self.rate <= 0:
            self.__exit__(None, None, None)
            raise StudioError("The speech engine (espeak-ng) could not start.")
        return self

    def _collect(self, wav, count, _events) -> int:
        if count > 0 and wav:
            self.chunks.append(np.ctypeslib.as_array(wav, shape=(count,)).copy())
        return 0

    def say(self, text: str, voice: str, params: dict[int, int]) -> np.ndarray:
        """int16 samples of one sentence."""
        lib = self.lib
        if lib.espeak_SetVoiceByName(voice.encode()) != 0:
            raise StudioError(f"The speech engine has no voice {voice!r}.")
        for param, value in params.items():
            lib.espeak_SetParameter(param, value, 0)
        lib.espeak_ng_SetRandSeed(1)  # breath noise comes from espeak's own generator
        self.chunks.clear()
        data = text.encode("utf-8")
        lib.espeak_Synth(data, len(data) + 1, 0, _POS_CHARACTER, 0, _CHARS_UTF8, None, None)
        lib.espeak_Synchronize()
        return np.concatenate(self.chunks) if self.chunks else np.zeros(0, np.int16)

    def __exit__(self, *exc) -> None:
        self.lib.espeak_Terminate()
        _ctypes.dlclose(self.lib._handle)


def _choose(kind: str, value: str, choices) -> str:
    """Match value case-insensitively against choices, or raise listing them."""
    for c in choices:
        if value.strip().lower() == c.lower():
            return c
    raise InvalidInput(f"Unknown {kind} {value!r}. Choose one of: {', '.join(choices)}.")


def _language(language: str) -> str:
    """A LANGUAGES code from a code ("en", "en-US") or a display name ("English")."""
    key = language.strip().lower().replace("_", "-")
    for code, name in LANGUAGES.items():
        if key in (code, name.lower()):
            return code
    if key.split("-")[0] in LANGUAGES:
        return key.split("-")[0]
    shown = ", ".join(f"{c} ({n})" for c, n in LANGUAGES.items())
    raise InvalidInput(f"Unknown language {language!r}. Choose one of: {shown}.")


def _espeak_voice(language: str, accent: str) -> str:
    lang = _language(language)
    accents = ACCENTS.get(lang, {})
    if not accent.strip() or accent.strip().lower() in ("default", "standard"):
        return _LANG_FILE[lang]
    if not accents:
        raise InvalidInput(f"{LANGUAGES[lang]} has no accent choices; leave the accent empty.")
    return accents[_choose(f"accent for {LANGUAGES[lang]}", accent, list(accents))]


def sentences(text: str) -> list[str]:
    """Split into sentences (Latin and CJK end marks, line breaks) for cancel checks."""
    parts = re.split(r"(?<=[.!?;؟।])\s+|(?<=[。！？])|\n+", text)
    return [p.strip() for p in parts if p and p.strip()]


def speech_duration(text: str, speed: float = 1.0) -> float:
    """Rough seconds for text at speed: ~2.9 words/s, CJK ~4 chars/s, plus pauses."""
    cjk = len(re.findall(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]", text))
    words = len(re.findall(r"\w+", re.sub(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]", " ", text)))
    pauses = len(re.findall(r"[.!?;。！？]", text)) * 0.35 + len(re.findall(r"[,、，]", text)) * 0.15
    speed = min(2.0, max(0.5, speed))
    return (words / 2.9 + cjk / 4.0) / speed + pauses / speed + 0.1


def _check(text, voice, emotion, effect, speed) -> tuple[str, str, str, str]:
    text = text.strip()
    if not text:
        raise InvalidInput("There is no text to speak.")
    if len(text) > MAX_CHARS:
        raise InvalidInput(f"The text is {len(text):,} characters; the limit is {MAX_CHARS:,}.")
    if not 0.5 <= speed <= 2.0:
        raise InvalidInput(f"Speed {speed} is out of range; choose 0.5 to 2.0.")
    return (text, _choose("voice", voice, VOICES), _choose("emotion", emotion, EMOTIONS),
            _choose("effect", effect, EFFECTS))


def _no_progress(fraction: float, message: str) -> None:
    """Default progress callback: report nowhere."""


def synthesize(text: str, *, voice: str = "female", language: str = "en", accent: str = "",
               emotion: str = "neutral", speed: float = 1.0, effect: str = "none",
               progress: Callable[[float, str], None] = _no_progress,
               cancelled: Callable[[], bool] = lambda: False) -> tuple[np.ndarray, int]:
    """Speech as (mono float32 samples in -1..1, sample rate); see speak()."""
    text, voice, emotion, effect = _check(text, voice, emotion, effect, speed)
    name = _espeak_voice(language, accent)
    variant, pitch_shift, voice_rate = _VOICE_SPEC[voice]
    pitch, rng, rate_f, volume = _EMOTION[emotion]
    # espeak reads 175 words per minute by default and accepts 80-450.
    wpm = int(np.clip(175 * speed * rate_f * voice_rate, 80, 450))
    params = {_RATE: wpm, _PITCH: int(np.clip(pitch + pitch_shift, 0, 100)), _RANGE: rng,
              _VOLUME: volume}
    parts = sentences(text)
    pieces = []
    # One lock for the whole text: espeak is a single global state machine.
    with _LOCK, _Espeak() as engine:
        sr = engine.rate
        for i, sentence in enumerate(parts):
            if cancelled():
                raise Cancelled()
            progress(0.9 * i / len(parts), "Speaking")
            samples = engine.say(sentence, f"{name}+{variant}", params)
            pieces.append(samples.astype(np.float32) / 32768.0)
    if cancelled():
        raise Cancelled()
    progress(0.9, "Applying effects")
    x = np.concatenate(pieces) if pieces else np.zeros(0, np.float32)
    if x.size == 0 or not np.any(x):
        raise InvalidInput("The text has nothing the voice can pronounce.")
    if emotion == "whisper":
        x = audio_fx.whisper(x, sr)
    elif emotion == "angry":
        # A little drive adds the strained edge of a raised voice.
        x = np.tanh(2.2 * x / np.max(np.abs(x))).astype(np.float32)
    x = audio_fx.apply_effect(effect, x, sr)
    # Normalise to -1 dBFS-ish so voices and effects come out equally loud.
    x = audio_fx.soft_limit(x * (0.89 / max(1e-6, float(np.max(np.abs(x))))), 0.95)
    return x.astype(np.float32), sr


def write_wav(path: Path, samples: np.ndarray, sr: int) -> None:
    """Write float samples (mono 1-D or (n, channels)) as 16-bit PCM via a temp file,
    so `path` only ever appears complete."""
    path = Path(path)
    data = np.asarray(samples, np.float32)
    channels = 1 if data.ndim == 1 else data.shape[1]
    tmp = path.with_name(f".{path.name}.part")
    try:
        # Open the file first: wave.open(path) on a bad path leaves a half-built writer.
        with open(tmp, "wb") as fh, wave.open(fh, "wb") as w:
            w.setnchannels(channels)
            w.setsampwidth(2)
            w.setframerate(sr)
            for i in range(0, len(data), 1 << 20):  # in chunks: a long song stays small
                chunk = np.clip(data[i:i + (1 << 20)], -1.0, 1.0) * 32767.0
                w.writeframes(chunk.round().astype("<i2").tobytes())
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise StoreError(f"Could not write {path.name}: {exc.strerror or exc}.") from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def speak(text: str, out: Path, *, voice: str = "female", language: str = "en", accent: str = "",
          emotion: str = "neutral", speed: float = 1.0, effect: str = "none",
          progress: Callable[[float, str], None] = _no_progress,
          cancelled: Callable[[], bool] = lambda: False) -> Path:
    """Speak text into a mono 16-bit WAV at espeak's rate (22050 Hz) and return `out`.

    voice: VOICES; language: a LANGUAGES code or name; accent: a key of
    ACCENTS[language] or "" for the default; emotion: EMOTIONS; speed: 0.5-2.0;
    effect: EFFECTS. Raises InvalidInput (a StudioError) listing valid choices, and
    Cancelled between sentences; either way nothing is left at `out`.
    """
    x, sr = synthesize(text, voice=voice, language=language, accent=accent, emotion=emotion,
                       speed=speed, effect=effect, progress=progress, cancelled=cancelled)
    write_wav(Path(out), x, sr)
    progress(1.0, "Done")
    return Path(out)
