"""'Generate an image of X, 16:9', 'compose 30 seconds of calm piano music', 'say
"Welcome"', 'make a video from this image': a new item (or a Use action on the item
named after 'from' / 'for'). Returns the fields of an Intent (intents.py builds it)."""

import re
from typing import Any

from .param_words import QUOTED, read_params, strip_settings
from .ref_words import parse_ref
from .vocab import KIND_NOUN_PATTERN, KIND_NOUNS

_GENERATE = re.compile(r"^(?:generate|create|make|draw|render|compose|produce|record|paint|write|"
                       r"give\s+me|design|shoot|film|i\s+(?:want|need)|get\s+me)\s+(?P<rest>.+)$", re.I)
_SAY = re.compile(r"^(?:say|narrate|read\s+out|speak)\s+(?P<rest>.+)$", re.I)
_AVATAR = re.compile(r"^(?:an?\s+)?avatar\s+(?:from|of|out\s+of|for|based\s+on)\s+(?P<ref>.+)$", re.I)
_KIND_NOUN = re.compile(rf"(?<![\w-])(?:{KIND_NOUN_PATTERN})(?![\w-])", re.I)
_SOURCE_LINK = re.compile(r"^\s*(?:from|for|out\s+of|based\s+on|to\s+go\s+with|to\s+match|"
                          r"that\s+matches)\s+", re.I)
_CONNECTOR = re.compile(r"^\s*(?:of|about|showing|depicting|with|that\s+says|saying|that\s+reads|"
                        r"which\s+says|reading|[:,-])\s*", re.I)
_ARTICLES = re.compile(r"^(?:(?:me|us|a|an|some|another|new|the|one|quick|short|little)\s+)+", re.I)


def read_generation(t: str) -> dict[str, Any] | None:
    m = _SAY.match(t)
    if m:
        return _generate_from("voiceover", "", m.group("rest"), m.group("rest"))
    m = _GENERATE.match(t)
    rest = m.group("rest") if m else t
    avatar = _AVATAR.match(rest)
    if avatar and (ref := parse_ref(avatar.group("ref"))):
        return {"kind": "use", "action": "avatar", "target": ref}
    noun = _KIND_NOUN.search(rest)
    # Without a verb only "a video of …" counts; a noun far in is not what is asked for.
    if noun is None or noun.start() > 40 or (m is None and not re.match(r"^(?:an?|some)\s", rest, re.I)):
        return None
    kind = KIND_NOUNS[re.sub(r"\s+", " ", noun.group(0).lower())]
    before, after = rest[:noun.start()], rest[noun.end():]
    if re.search(r"\b(?:it|this|that|the)\s*$", before, re.I):
        return None     # "make the clip …" is an adjustment, not a new item
    link = _SOURCE_LINK.match(after)
    if link and (ref := parse_ref(after[link.end():])) is not None:
        return {"kind": "use", "action": "to_music" if kind == "music" else "to_video",
                "target": ref, "params": read_params(before + " " + after)}
    return _generate_from(kind, before, after, rest)


def _generate_from(kind: str, before: str, after: str, rest: str) -> dict[str, Any]:
    params = read_params(rest)
    quoted = QUOTED.search(rest)
    if quoted and kind == "voiceover":           # the words to speak, as written
        prompt = quoted.group(1) or quoted.group(2)
        params.pop("lyrics", None)
    else:
        after = _CONNECTOR.sub("", after, count=1)
        if not before.strip():
            after = _ARTICLES.sub("", after)
        before = _ARTICLES.sub("", before.strip() + " ")
        prompt = strip_settings(f"{before} {after}".strip())
        if kind == "voiceover":
            prompt = QUOTED.sub(lambda q: q.group(1) or q.group(2), prompt)
    if kind == "music" and params.get("voice") and not params.get("lyrics"):
        params.pop("voice")                      # "a male voice" only matters when sung
    return {"kind": "generate", "media": kind, "prompt": prompt, "params": params}
