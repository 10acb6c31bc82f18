"""Offline procedural music: a seeded score (music_plan) rendered with numpy synths.

compose_music() turns the product's music settings (genre, mood, video theme, prompt,
lyrics, track length) into a stereo 44.1 kHz WAV. plan_music() returns just the score,
so tests and the UI can inspect keys and chords. mood_from_colours()/image_stats()
suggest settings for "Generate Music" from a picture. No Qt, no network.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import numpy as np

from sessionstudio.core.errors import Cancelled, InvalidInput
from sessionstudio.engines.builtin import audio_fx, speech
from sessionstudio.engines.builtin.music_parts import INSTRUMENTS, SR
from sessionstudio.engines.builtin.music_plan import MusicPlan, build_plan, stable_hash
from sessionstudio.engines.builtin.music_styles import (
    DEFAULT_TEMPO, GENRE_SPECS, GENRES, MOOD_SPECS, MOODS, PROMPT_ENERGY, PROMPT_GENRES,
    PROMPT_LAYERS, PROMPT_MOODS, PROMPT_TEMPO, THEMES)

__all__ = ["GENRES", "MOODS", "THEMES", "DEFAULT_TEMPO", "MIN_SECONDS", "MAX_SECONDS",
           "compose_music", "plan_music", "mood_from_colours", "image_stats"]

MIN_SECONDS, MAX_SECONDS = 5.0, 600.0
AUTO = ("", "auto", "any")
_NO_DRUMS = ("no drums", "without drums", "drumless", "no percussion", "beatless")


def _no_progress(fraction: float, message: str) -> None:
    """Default progress callback: report nowhere."""


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9][a-z0-9'-]*", text.lower())


def _pick(kind: str, value: str, choices: tuple, found: str | None, fallback: str) -> str:
    """An explicit choice wins; "auto"/"" defers to a word found in prompt or theme."""
    key = value.strip().lower().replace("_", " ")
    if key in AUTO:
        return found or fallback
    key = PROMPT_GENRES.get(key.replace(" ", ""), PROMPT_GENRES.get(key, key)) \
        if kind == "genre" else key
    if key not in choices:
        raise InvalidInput(f"Unknown {kind} {value!r}. Choose one of: {', '.join(choices)}.")
    return key


def plan_music(*, prompt: str = "", genre: str = "ambient", mood: str = "calm",
               seconds: float = 30.0, tempo: int | None = None, theme: str = "",
               seed: int) -> MusicPlan:
    """The score compose_music() would play: sections, chords (with quality) and notes.

    genre/mood may be "auto" to take them from words in the prompt, then the theme.
    theme (one of THEMES, or text containing one) also scales the tempo and adds a
    layer (travel: guitar, gaming: chiptune arpeggio...). Prompt words add instruments
    (piano, guitar, strings, synth, bells, flute, brass), set tempo (slow, fast) and
    energy (calm, epic); "no drums" removes the drums. An explicit tempo is used as is.
    """
    if not MIN_SECONDS <= float(seconds) <= MAX_SECONDS:
        raise InvalidInput(f"Track length must be {MIN_SECONDS:g} to {MAX_SECONDS:g} seconds.")
    if tempo is not None and not 40 <= int(tempo) <= 240:
        raise InvalidInput(f"Tempo {tempo} is out of range; choose 40 to 240 BPM.")
    text = f"{prompt} {theme}".lower()
    words = _words(text)
    theme_key = next((w for w in _words(theme) if w in THEMES), None)
    if theme.strip() and theme.strip().lower() in THEMES:
        theme_key = theme.strip().lower()
    th = THEMES.get(theme_key)
    said_genre = next((PROMPT_GENRES[w] for w in words if w in PROMPT_GENRES), None)
    if "hip hop" in text or "lo fi" in text:
        said_genre = "hip hop" if "hip hop" in text else "lo-fi"
    said_mood = next((PROMPT_MOODS[w] for w in words if w in PROMPT_MOODS), None)
    genre = _pick("genre", genre, GENRES, said_genre or (th and th.genre), "ambient")
    mood = _pick("mood", mood, MOODS, said_mood or (th and th.mood), "calm")
    g, m = GENRE_SPECS[genre], MOOD_SPECS[mood]
    # One generator for every choice, seeded by the seed and the recipe.
    rng = np.random.default_rng([int(seed) & (2**64 - 1), stable_hash(genre), stable_hash(mood)])
    if tempo is None:
        factor = m.tempo * (th.tempo if th else 1.0)
        for w in words:
            factor *= PROMPT_TEMPO.get(w, 1.0)
        tempo = int(np.clip(round(g.tempo * factor * rng.uniform(0.97, 1.03)), 50, 190))
    energy = float(np.clip(m.energy + sum(PROMPT_ENERGY.get(w, 0) for w in set(words)), 0.1, 1.0))

    lead = g.lead
    extras = [(i, s) for i, s in g.extra] + list(th.add if th else ())
    extras += [PROMPT_LAYERS[w] for w in dict.fromkeys(words) if w in PROMPT_LAYERS]
    layers, seen = [(g.chords, g.comp, "chords"), (g.bass, g.bass_style, "bass")], set()
    for inst, style in extras:
        if style == "melody":
            lead = inst  # a named solo instrument takes the tune
        elif (inst, style) not in seen and inst != g.chords:
            role = {"noise": "noise", "accent": "accent"}.get(style, "extra")
            layers.append((inst, style, role))
            seen.add((inst, style))
    layers.append((lead, "melody", "lead"))
    wants_drums = any(w in words for w in ("drums", "beat", "beats", "percussion"))
    if not any(p in text for p in _NO_DRUMS) and (g.drums or wants_drums):
        layers.append(("kit", genre, "drums"))
    return build_plan(genre, mood, int(tempo), float(seconds), energy, layers, rng)


def _render(plan: MusicPlan, seed: int, tick: Callable[[float], None]) -> np.ndarray:
    """Stereo float32 (2, samples) of the plan, with a reverb bus; not yet mastered."""
    total = round(plan.seconds * SR)
    size = total + 3 * SR + (total % 2)  # even, for the half-rate reverb
    dry, send = np.zeros((2, size), np.float32), np.zeros(size, np.float32)
    groups: dict[str, list] = {}
    for note in plan.notes:
        groups.setdefault(note[0], []).append(note)
    for i, (inst, notes) in enumerate(sorted(groups.items())):
        tick(0.05 + 0.75 * i / len(groups))
        fn, gain, pan, reverb, is_drum = INSTRUMENTS[inst]
        rng = np.random.default_rng([int(seed) & (2**64 - 1), stable_hash(inst)])
        buf, cache = np.zeros(size, np.float32), {}
        for k, (_, start, length, midi, vel) in enumerate(notes):
            n = int(length * SR)
            # Drums keep three takes each, so repeated hits are not machine-identical.
            key = (midi, n if (not is_drum or inst == "crackle") else 0, k % 3 if is_drum else 0)
            if key not in cache:
                cache[key] = np.asarray(fn(440.0 * 2 ** ((midi - 69) / 12), n, SR, rng), np.float32)
            wave = cache[key]
            s = int(start * SR)
            e = min(size, s + len(wave))
            if e > s:
                buf[s:e] += vel * wave[: e - s]
        # Pan and send in place: a song-long temporary per step would double the memory.
        angle = (pan + 1) * np.pi / 4  # constant-power pan; pans stay inside +-0.5
        left, right = np.cos(angle) * np.sqrt(2), np.sin(angle) * np.sqrt(2)
        buf *= gain * left
        dry[0] += buf
        buf *= right / left
        dry[1] += buf
        if reverb:
            buf *= reverb / right
            send += buf
        del buf
    g = GENRE_SPECS[plan.genre]
    decay = {"ambient": 4.0, "cinematic": 3.2, "classical": 2.6}.get(plan.genre, 1.8)
    # The reverb runs at half rate: its damped tail has little above 11 kHz, and this
    # halves its time and memory. Pairs are averaged down, then interpolated back up.
    half = (send[0::2] + send[1::2]) * 0.5
    del send
    for ch, spread in ((0, 0), (1, 23)):
        wet = audio_fx.hall(half, SR // 2, decay=decay, wet=1.0, spread=spread)
        wet *= 1.6 * g.reverb
        dry[ch, 0::2] += wet
        dry[ch, 1:-1:2] += 0.5 * (wet[:-1] + wet[1:])
    if g.lowpass:
        for ch in range(2):
            dry[ch] = audio_fx.fir_lowpass(dry[ch], SR, g.lowpass)
    mix = dry[:, :total]
    mix -= mix.mean(axis=1, keepdims=True)
    return mix


def _moving(x: np.ndarray, width: int) -> np.ndarray:
    c = np.cumsum(np.concatenate([np.zeros(width, np.float32), x]))
    return ((c[width:] - c[:-width]) / width).astype(np.float32)


def _sing(mix: np.ndarray, plan: MusicPlan, lyrics: str, voice: str,
          cancelled: Callable[[], bool]) -> np.ndarray:
    """Speak each lyric line from a bar line after the intro, over ducked music."""
    lines = [ln.strip() for ln in lyrics.splitlines() if ln.strip()]
    lines = [ln for ln in lines if not re.fullmatch(r"[\[(].*[\])]", ln)]  # [Chorus] tags
    body = [s for s in plan.sections if s[0] not in ("intro", "outro")]
    if not lines or not body:
        return mix
    bar_s, total = plan.bar_seconds, mix.shape[1]
    limit = (body[-1][1] + body[-1][2]) * bar_s
    emotion = {"happy": "happy", "energetic": "excited", "uplifting": "happy", "sad": "sad",
               "calm": "calm", "romantic": "calm"}.get(plan.mood, "neutral")
    vocal, bar = np.zeros(total, np.float32), body[0][1]
    for line in lines:
        if cancelled():
            raise Cancelled()
        x, sr = speech.synthesize(line, voice=voice, emotion=emotion, speed=0.92)
        spec = np.fft.rfft(x)  # band-limited 2x upsampling to 44.1 kHz
        x = np.fft.irfft(spec, len(x) * SR // sr).astype(np.float32) * (SR / sr)
        start = bar * bar_s + 0.02
        if start + len(x) / SR > limit:
            break
        s = round(start * SR)
        vocal[s:s + len(x)] += x[: total - s]
        bar = int(np.ceil((start + len(x) / SR) / bar_s))
    active = np.abs(vocal) > 0.02
    if not active.any():
        return mix
    # Sit the voice ~4 dB above the music where it sings, with a little room around it.
    music_rms = float(np.sqrt(np.mean(mix[:, active] ** 2))) + 1e-9
    vocal *= 1.6 * music_rms / (float(np.sqrt(np.mean(vocal[active] ** 2))) + 1e-9)
    vocal = audio_fx.hall(vocal, SR, decay=1.4, wet=0.18)
    env = _moving(np.abs(vocal), int(0.05 * SR))
    duck = 1.0 - 0.45 * _moving(np.clip(env / (0.3 * env.max() + 1e-9), 0, 1), int(0.25 * SR))
    mix *= duck
    mix += vocal
    return mix


def compose_music(out: Path, *, prompt: str = "", genre: str = "ambient", mood: str = "calm",
                  seconds: float = 30.0, tempo: int | None = None, theme: str = "",
                  lyrics: str = "", voice: str = "female", seed: int,
                  progress: Callable[[float, str], None] = _no_progress,
                  cancelled: Callable[[], bool] = lambda: False) -> Path:
    """Compose and write a stereo 44.1 kHz 16-bit WAV of exactly `seconds` to `out`.

    See plan_music() for how settings are read. Lyrics (one line per line; [Chorus]
    style tags skipped) are sung by the speech `voice` from bar lines after the intro.
    Same arguments, same file; a new seed is a remix. Raises InvalidInput for bad
    settings and Cancelled when asked; nothing is left at `out` either way.
    """
    if lyrics.strip() and voice not in speech.VOICES:
        raise InvalidInput(f"Unknown voice {voice!r}. Choose one of: {', '.join(speech.VOICES)}.")

    def tick(fraction: float, message: str = "Composing") -> None:
        if cancelled():
            raise Cancelled()
        progress(fraction, message)

    plan = plan_music(prompt=prompt, genre=genre, mood=mood, seconds=seconds, tempo=tempo,
                      theme=theme, seed=seed)
    tick(0.05)
    mix = _render(plan, seed, tick)
    tick(0.82, "Mixing")
    if lyrics.strip():
        mix = _sing(mix, plan, lyrics, voice, cancelled)
    total = mix.shape[1]
    fade_in, fade_out = int(0.02 * SR), int(min(3.0, 0.12 * plan.seconds + 0.5) * SR)
    mix[:, :fade_in] *= np.linspace(0, 1, fade_in, dtype=np.float32)
    mix[:, total - fade_out:] *= (0.5 + 0.5 * np.cos(np.linspace(0, np.pi, fade_out))).astype(np.float32)
    # Loudness to about -16 dBFS RMS, then round off peaks below full scale.
    rms = float(np.sqrt(np.mean(mix ** 2))) + 1e-9
    mix *= min(0.16 / rms, 20.0)
    audio_fx.soft_limit(mix, 0.95, out=mix)
    tick(0.95, "Writing")
    speech.write_wav(Path(out), mix.T, SR)
    progress(1.0, "Done")
    return Path(out)


def image_stats(img) -> dict:
    """Colour summary of a PIL image: mean_rgb (0-1 each), brightness and saturation (0-1)."""
    small = np.asarray(img.convert("RGB").resize((64, 64)), np.float32) / 255.0
    mean = small.reshape(-1, 3).mean(axis=0)
    hi, lo = small.max(axis=2), small.min(axis=2)
    saturation = np.where(hi > 1e-6, (hi - lo) / np.maximum(hi, 1e-6), 0.0)
    luma = small @ np.array([0.299, 0.587, 0.114], np.float32)
    return {"mean_rgb": tuple(float(v) for v in mean), "brightness": float(luma.mean()),
            "saturation": float(saturation.mean())}


def mood_from_colours(mean_rgb: tuple[float, float, float], brightness: float,
                      saturation: float, motion: float = 0.0) -> dict:
    """Suggest {"mood", "genre", "tempo", "why"} for music that fits a picture or clip.

    Colours are 0-1 (0-255 is accepted too). Warm, bright, saturated pictures get
    happy pop; dark blue ones calm ambient (or, very dark, dark cinematic); green
    ones calm folk. `motion` is the mean absolute difference between frames (0-1,
    where 0.1 is already a lot): busy clips get energetic, faster music.
    """
    activity = min(1.0, max(0.0, float(motion)) / 0.15)
    r, g, b = (float(v) for v in mean_rgb)
    if max(r, g, b) > 1.0:
        r, g, b = r / 255.0, g / 255.0, b / 255.0
    warm, cool = r - b, b - max(r, g) * 0.9
    bright, sat = float(brightness), float(saturation)
    if activity >= 0.6:
        mood, genre = "energetic", ("rock" if warm > 0 else "electronic")
        why = "Lots of movement calls for an energetic, faster track."
    elif bright < 0.3:
        if cool > 0:
            mood, genre = ("dark", "cinematic") if bright < 0.15 else ("calm", "ambient")
            why = "Deep blue shadows suggest a slow, atmospheric track."
        elif warm > 0.05:
            mood, genre, why = "tense", "cinematic", "Dark warm tones feel dramatic and tense."
        else:
            mood, genre, why = "mysterious", "ambient", "A dark, muted picture feels mysterious."
    elif sat < 0.18:
        mood, genre = ("calm", "ambient") if bright > 0.6 else ("sad", "classical")
        why = "Soft, pale colours suggest a gentle track." if bright > 0.6 else \
            "Grey, muted colours suggest a reflective piano-and-strings piece."
    elif warm > 0.05:
        mood, genre = ("happy", "pop") if bright > 0.5 else ("romantic", "jazz")
        why = "Warm, bright, saturated colours feel happy and upbeat." if bright > 0.5 else \
            "Warm, glowing colours feel romantic."
    elif g > max(r, b):
        mood, genre, why = "calm", "folk", "Greens feel natural, so an easy acoustic track fits."
    else:
        mood, genre = ("uplifting", "electronic") if bright > 0.5 else ("calm", "lo-fi")
        why = "Cool, vivid colours suggest a bright modern track." if bright > 0.5 else \
            "Cool, moody colours suit a relaxed lo-fi beat."
    tempo = DEFAULT_TEMPO[genre] * MOOD_SPECS[mood].tempo * (0.92 + 0.16 * bright)
    tempo = int(np.clip(round(tempo + 30 * activity), 50, 190))
    return {"mood": mood, "genre": genre, "tempo": tempo, "why": why}
