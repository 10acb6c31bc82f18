"""'Make it longer / brighter / slower': a follow-up change, chosen by what the item is.

A longer video is extended; a longer or slower track is remixed with a longer length or
a lower tempo; a slower voiceover is recreated at a lower speed; a brighter picture or
clip is edited 'brighter'. `plan_adjust` says which, as a Step the executor runs."""

import re
from dataclasses import dataclass, field
from typing import Any

from ..core.models import Item
from .vocab import COMPARATIVES

_LITTLE = re.compile(r"\b(a bit|a little|slightly|a touch|somewhat|a tad)\b")
_LOTS = re.compile(r"\b(much|a lot|lots|way|far|significantly|really|even)\b")
_BY_SECONDS = re.compile(r"\bby\s+(\d+(?:\.\d+)?)\s*(?:seconds?|secs?|s)\b")
_ASPECT = re.compile(r"^\s*(\d{1,2}:\d{1,2})\s*$")
CANNOT = {
    ("video", "shorter"): "I can't shorten videos yet: the engine has no trim.",
    ("video", "slower"): "I can't change a video's speed yet.",
    ("video", "faster"): "I can't change a video's speed yet.",
    ("image", "longer"): "An image has no length. Did you mean a video?",
    ("image", "shorter"): "An image has no length. Did you mean a video?",
    ("image", "slower"): "An image has no speed. Did you mean a video or voiceover?",
    ("image", "faster"): "An image has no speed. Did you mean a video or voiceover?",
}


@dataclass
class Step:
    """What an adjustment becomes: a Use action, or a re-run with changed settings."""
    how: str                               # use | rerun | cannot
    action: str = ""                       # use: the action id
    params: dict[str, Any] = field(default_factory=dict)
    prompt: str = ""
    title: str = ""                        # rerun: the job's title
    says: str = ""                         # what the reply calls it ("2 s longer")


def _scale(words: str) -> float:
    return 0.5 if _LITTLE.search(words) else 2.0 if _LOTS.search(words) else 1.0


def _direction(words: str) -> str | None:
    for word in ("longer", "shorter", "slower", "faster", "bigger", "larger", "louder", "quieter"):
        if re.search(rf"\b{word}\b", words):
            return {"larger": "bigger"}.get(word, word)
    if re.search(r"\b(extend|lengthen)\b", words):
        return "longer"
    return None


def _clamp(value: float, low: float, high: float) -> float:
    return round(max(low, min(high, value)), 2)


def plan_adjust(item: Item, words: str, params: dict[str, Any] | None = None) -> Step:
    words = words.lower().strip()
    kind = item.kind
    direction = _direction(words)
    scale = _scale(words)
    if (kind, direction) in CANNOT:
        return Step("cannot", says=CANNOT[(kind, direction)])
    if direction in ("louder", "quieter") and kind != "voiceover":
        return Step("cannot", says="I can't change loudness yet.")
    if direction == "bigger":
        if kind in ("image", "video"):
            return Step("use", "upscale", {"factor": "4" if scale > 1 else "2"}, says="bigger")
        return Step("cannot", says="Only pictures and videos can be made bigger (upscaled).")
    if kind == "video" and direction == "longer":
        by = _BY_SECONDS.search(words)
        seconds = float(by.group(1)) if by else 4.0 * scale
        return Step("use", "extend", {"seconds": seconds}, says=f"{seconds:g} s longer")
    if kind == "music":
        return _music(item, words, direction, scale)
    if kind == "voiceover":
        return _voiceover(item, words, direction, scale)
    aspect = _ASPECT.match(words) or (params or {}).get("aspect")
    if aspect:
        ratio = aspect.group(1) if hasattr(aspect, "group") else aspect
        return Step("use", "edit", prompt=f"crop to {ratio}", says=f"cropped to {ratio}")
    return Step("use", "edit", prompt=words, says=words)


def _music(item: Item, words: str, direction: str | None, scale: float) -> Step:
    settings = item.settings
    length = float(settings.get("length") or (item.duration_ms or 30000) / 1000)
    by = _BY_SECONDS.search(words)
    if direction in ("longer", "shorter"):
        sign = 1 if direction == "longer" else -1
        new = length + sign * float(by.group(1)) if by else \
            length * (1 + sign * 0.5 * scale if sign > 0 else 1 - 0.3 * scale)
        new = _clamp(new, 5, 600)
        return Step("rerun", params={"length": new}, title="Remix",
                    says=f"{new:g} s long (was {length:g} s)")
    if direction in ("slower", "faster"):
        tempo = int(settings.get("tempo") or _default_tempo(settings.get("genre")))
        factor = (1 - 0.2 * scale) if direction == "slower" else (1 + 0.2 * scale)
        new = int(_clamp(tempo * factor, 40, 220))
        return Step("rerun", params={"tempo": new}, title="Remix", says=f"{new} bpm (was {tempo})")
    mood = next((m for w, m in COMPARATIVES.items() if re.search(rf"\b{w}\b", words)), None)
    if mood and mood not in ("angry", "excited", "whisper"):
        return Step("rerun", params={"mood": mood}, title="Remix", says=f"a {mood} mood")
    return Step("cannot", says=f"I don't know how to make a track “{words}”. I can make it "
                               f"longer, shorter, slower, faster, happier, sadder, calmer, darker, "
                               f"more energetic or more epic.")


def _voiceover(item: Item, words: str, direction: str | None, scale: float) -> Step:
    speed = float(item.settings.get("speed") or 1.0)
    if direction in ("slower", "longer", "faster", "shorter"):
        slower = direction in ("slower", "longer")
        new = _clamp(speed * ((1 - 0.2 * scale) if slower else (1 + 0.2 * scale)), 0.5, 2.0)
        return Step("rerun", params={"speed": new}, title="Recreate: slower" if slower
                    else "Recreate: faster", says=f"speed {new:g}× (was {speed:g}×)")
    emotion = next((m for w, m in COMPARATIVES.items() if re.search(rf"\b{w}\b", words)), None)
    if emotion in ("happy", "sad", "angry", "excited", "calm", "whisper"):
        return Step("rerun", params={"emotion": emotion}, title=f"Recreate: {emotion}",
                    says=f"a {emotion} tone")
    return Step("cannot", says=f"I don't know how to make a voiceover “{words}”. I can make it "
                               f"slower, faster, happier, sadder, calmer, angrier or quieter.")


def _default_tempo(genre: str | None) -> int:
    try:   # the built-in engine's tempo for the genre; any engine's track has some tempo
        from ..engines.builtin.music_styles import DEFAULT_TEMPO
        return int(DEFAULT_TEMPO.get(genre or "", 100))
    except Exception:   # noqa: BLE001 - a missing engine module must not stop the agent
        return 100
