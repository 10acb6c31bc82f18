"""Settings said in words: '16:9', '30 seconds', 'calm piano', 'British accent', 'slower'.

`read_params` returns every parameter the words could mean, under the engine's names
(duration, length and seconds for one '30 seconds'; mood and emotion for 'calm'); the
action keeps those its engine declares (actions.py). `strip_settings` removes the
technical phrases from a prompt so '16:9' is not drawn into the picture."""

import re
from typing import Any

from .vocab import (ACCENTS, DIRECTIONS, EFFECTS, EMOTIONS, GENRES, LANGUAGES, MOODS, STYLES,
                    VOICES)

QUOTED = re.compile(r"[\"“]([^\"”]+)[\"”]|'([^']{3,})'")     # "text", “text” or 'text'
_NUM = r"(\d+(?:\.\d+)?)"
_RATIO = re.compile(r"\b(\d{1,2})\s*[:x×]\s*(\d{1,2})\b(?!\s*(?:am|pm))")
_ASPECT_WORDS = {"square": "1:1", "widescreen": "16:9", "landscape": "16:9",
                 "portrait": "9:16", "vertical": "9:16"}
_SECONDS = re.compile(rf"\b{_NUM}\s*(?:-\s*)?(seconds?|secs?|s|minutes?|mins?)\b")
_HALF_MINUTE = re.compile(r"\b(half a minute|a minute|one minute)\b")
_BPM = re.compile(rf"\b{_NUM}\s*bpm\b")
_FPS = re.compile(rf"\b{_NUM}\s*fps\b")
_FACTOR = re.compile(r"\b([24])\s*(?:x|×|times)(?!\s*\d)")
_LYRICS = re.compile(r"\blyrics?\s*(?::|saying|that go|like)?\s*[\"“']([^\"”']+)[\"”']")
_SPEED_X = re.compile(rf"\b{_NUM}\s*x\s*speed\b|\bspeed\s*(?:of\s*)?{_NUM}\b")
_SLOWER = re.compile(r"\b(slower|slowly|slow)\b")
_FASTER = re.compile(r"\b(faster|quickly|fast|quicker)\b")
_QUALITY = {"high quality": "high", "hq": "high", "detailed": "high", "draft": "draft",
            "quick draft": "draft", "low quality": "draft"}
_RESOLUTION = re.compile(r"\b(512|1024|2048)\s*(?:px|pixels)?\b|\b(4k|2k)\b")


def _words_in(text: str, table: dict[str, str]) -> str | None:
    for word in sorted(table, key=len, reverse=True):
        if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text):
            return table[word]
    return None


def seconds_in(text: str) -> float | None:
    m = _SECONDS.search(text)
    if m:
        value = float(m.group(1))
        return value * 60 if m.group(2).startswith("m") else value
    m = _HALF_MINUTE.search(text)
    if m:
        return 30.0 if m.group(1).startswith("half") else 60.0
    return None


def language_in(text: str) -> str | None:
    m = re.search(r"\b(?:in|into|to)\s+([a-z]+)", text)
    if m and m.group(1) in LANGUAGES:
        return LANGUAGES[m.group(1)]
    return None


def read_params(text: str) -> dict[str, Any]:
    """Every parameter the words name (a superset; the action keeps what its engine takes)."""
    t = text.lower()
    out: dict[str, Any] = {}
    ratio = _RATIO.search(t)
    if ratio:
        out["aspect"] = f"{ratio.group(1)}:{ratio.group(2)}"
    elif (word := _words_in(t, _ASPECT_WORDS)) is not None:
        out["aspect"] = word
    secs = seconds_in(t)
    if secs is not None:
        out.update(duration=secs, length=secs, seconds=secs)
    if (m := _BPM.search(t)):
        out["tempo"] = int(float(m.group(1)))
    if (m := _FPS.search(t)):
        out["fps"] = int(float(m.group(1)))
    if (m := _FACTOR.search(t)):
        out["factor"] = m.group(1)
    if (m := _LYRICS.search(text)):
        out["lyrics"] = m.group(1).strip()
    quality = _words_in(t, _QUALITY)
    if quality:
        out["quality"] = quality
    if (m := _RESOLUTION.search(t)):
        out["resolution"] = m.group(1) or ("2048" if m.group(2) == "4k" else "1024")
    style = next((s for s in sorted(STYLES, key=len, reverse=True)
                  if re.search(rf"\b{re.escape(s)}\b", t)), None)
    if style:
        out["style"] = style
    direction = _words_in(t, DIRECTIONS)
    if direction:
        out["direction"] = direction
    _audio(t, out)
    return out


def _audio(t: str, out: dict[str, Any]) -> None:
    genre = _words_in(t, GENRES)
    if genre:
        out["genre"] = genre
    mood = _words_in(t, MOODS)
    if mood:
        out["mood"] = mood
    emotion = _words_in(t, EMOTIONS)
    if emotion:
        out["emotion"] = emotion
    voice = re.search(r"\b([a-z']+)\s+(?:voice|singer|vocals|narrator|speaker)\b", t)
    if voice and voice.group(1) in VOICES:
        out["voice"] = VOICES[voice.group(1)]
    elif (m := re.search(r"\b(?:by|from)\s+an?\s+([a-z']+)\b", t)) and m.group(1) in VOICES:
        out["voice"] = VOICES[m.group(1)]
    accent = re.search(r"\b([a-z]+(?:\s[a-z]+)?)\s+accent\b", t)
    if accent:
        words = accent.group(1)
        out["accent"] = ACCENTS.get(words) or ACCENTS.get(words.split()[-1], "")
        if not out["accent"]:
            del out["accent"]
    lang = language_in(t)
    if lang:
        out["language"] = lang
    effect = next((e for e in EFFECTS if re.search(rf"\b{e}\b", t)), None)
    if effect:
        out["effect"] = effect
    if (m := _SPEED_X.search(t)):
        out["speed"] = float(m.group(1) or m.group(2))
    elif _SLOWER.search(t):
        out["speed"] = 0.8
    elif _FASTER.search(t):
        out["speed"] = 1.25


_STRIP = [
    _RATIO, _SECONDS, _HALF_MINUTE, _BPM, _FPS, _LYRICS,
    re.compile(r"\b(?:with\s+|in\s+)?an?\s+[a-z]+(?:\s[a-z]+)?\s+accent\b"),
    re.compile(r"\b[a-z]+(?:\s[a-z]+)?\s+accent\b"),
    re.compile(r"\b(?:with\s+|in\s+|using\s+)?an?\s+(?:" + "|".join(map(re.escape, VOICES))
               + r")\s+(?:voice|narrator|speaker)\b"),
    re.compile(r"\b(?:in|into)\s+(?:" + "|".join(LANGUAGES) + r")\b"),
    re.compile(r"\b(?:in\s+)?(?:square|widescreen|landscape|portrait|vertical)(?:\s+format)?\b"),
    re.compile(r"\b(?:high|low)\s+quality\b|\bhq\b|\b(?:quick\s+)?draft(?:\s+quality)?\b"),
    re.compile(r"\b(?:with\s+)?(?:a\s+)?(?:slow|slowly|fast|quick)?\s*(?:zoom|zooming|pan|panning|"
               r"tilt|push|pull)\s+(?:in|out|left|right|up|down)\b"),
    re.compile(r"\b(?:spoken\s+)?(?:slowly|quickly)\b"),
]


def strip_settings(prompt: str) -> str:
    """The prompt without the phrases read as settings, tidied up."""
    text = prompt
    for pattern in _STRIP:   # "at 120 bpm", "for 30 seconds": the preposition goes too
        text = re.sub(r"(?:\b(?:at|with|in|for|and)\s+)?" + pattern.pattern, " ", text,
                      flags=re.IGNORECASE)
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s+([,.;!?])", r"\1", text)
    text = re.sub(r"([,;])\1+", r"\1", text)
    text = re.sub(r"^(?:[\s,;:.-]|and\b|with\b|at\b|in\b|of\b)+", "", text, flags=re.I)
    text = re.sub(r"(?:[\s,;:-]|\band\b|\bwith\b|\bat\b|\bin\b|\blong\b|\bof\b)+$", "", text,
                  flags=re.I)
    return text.strip()
