"""Plain language -> an Intent: what to do, to which reference, with which settings.

The built-in interpreter: rules, no model. One instruction per message; settings in
words are read by param_words, references by ref_words. Anything not understood is
an Intent of kind "unknown" (the agent then says what it can do, never guesses)."""

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from .generate_words import read_generation
from .param_words import QUOTED, language_in, read_params
from .ref_words import Ref, find_ref, parse_ref
from .vocab import FILTER_GROUPS, KIND_NOUNS

KINDS = ("generate", "use", "rename", "favorite", "delete", "filter", "undo", "redo",
         "repeat", "adjust", "ref", "help", "unknown")


@dataclass
class Intent:
    kind: str                          # one of KINDS
    action: str = ""                   # use: edit, upscale, to_video, extend, ...; adjust: the words
    media: str | None = None           # generate: the kind of item to make
    target: Ref | None = None
    partner: Ref | None = None         # lip-sync: the other item
    params: dict[str, Any] = field(default_factory=dict)
    prompt: str = ""
    name: str = ""                     # rename
    value: bool = True                 # favorite (False: unfavorite)
    kinds: list[str] = field(default_factory=list)   # filter ([] = everything)
    text: str = ""                     # what was said

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "Intent":
        d = dict(d)
        d["target"] = Ref.from_dict(d.get("target"))
        d["partner"] = Ref.from_dict(d.get("partner"))
        return cls(**d)


_POLITE = re.compile(r"^(?:(?:ok(?:ay)?|so|now|then|and|also|actually|oops|hmm|hey|please|"
                     r"can you|could you|would you|will you|i want you to|i'd like you to|"
                     r"let's|lets|go ahead and|just)[\s,]+)+", re.I)
_UNDO = re.compile(r"^(?:undo|revert|take\s+(?:that|it)\s+back|go\s+back|cancel\s+that|"
                   r"roll\s+back)(?:\s+(?:that|it|this|the\s+last(?:\s+(?:change|edit|one|step))?|"
                   r"(?:that\s+|the\s+)?last\s+(?:change|edit)|what\s+you\s+(?:just\s+)?did|your\s+last\s+change))?"
                   r"(?:\s+please)?$", re.I)
_REDO = re.compile(r"^(?:redo|re-do|put\s+it\s+back|bring\s+it\s+back)(?:\s+(?:that|it|the\s+last"
                   r"(?:\s+change)?))?(?:\s+please)?$", re.I)
_REPEAT = re.compile(r"^(?:(?:do|apply)\s+(?:exactly\s+)?(?:the\s+)?same(?:\s+thing)?|same(?:\s+thing)?"
                     r"|(?:do\s+)?(?:that|it)\s+again)(?:\s+(?:to|for|on|with)\s+(?P<ref>.+))?$", re.I)
_AGAIN = re.compile(r"^(?:again|once more|one more time|do it again)$", re.I)
_FILTER = re.compile(r"^(?:show|filter(?:\s+the\s+canvas)?(?:\s+(?:to|by))?|display|list)\s+"
                     r"(?:me\s+)?(?:only\s+|just\s+)?(?:the\s+)?(?P<what>.+?)(?:\s+only)?$", re.I)
_ONLY = re.compile(r"^(?:only|just)\s+(?:the\s+)?(?P<what>.+)$", re.I)
_CLEAR_FILTER = re.compile(r"^(?:clear|remove|reset|turn\s+off)\s+(?:the\s+)?filters?$|"
                           r"^show\s+(?:me\s+)?(?:all|everything)(?:\s+again)?$", re.I)
_HIDE = re.compile(r"^hide\s+(?:the\s+)?(?P<what>.+)$", re.I)
_RENAME = re.compile(r"^(?:rename|retitle)\s+(?:(?P<ref>.+?)\s+)?(?:to|as|into)\s+(?P<name>.+)$", re.I)
_CALL = re.compile(r"^(?:call|name|title)\s+(?P<ref>.+?)\s+(?P<name>.+)$", re.I)
_FAVORITE = re.compile(r"^(?P<un>un-?)?(?:favou?rite|star|heart)\s*(?P<ref>.*)$|"
                       r"^(?:add|put)\s+(?P<ref2>.+?)\s+(?:to|in|into)\s+(?:my\s+)?favou?rites$|"
                       r"^mark\s+(?P<ref3>.+?)\s+as\s+(?:a\s+)?favou?rites?$", re.I)
_UNFAVORITE = re.compile(r"^remove\s+(?P<ref>.+?)\s+from\s+(?:my\s+)?favou?rites$", re.I)
_DELETE = re.compile(r"^(?:delete|remove|trash|discard|bin|get\s+rid\s+of|throw\s+(?:away|out)|"
                     r"move)\s+(?P<ref>.+?)(?:\s+(?:to|in|into)\s+the\s+(?:trash|bin))?$", re.I)
_MAKE = re.compile(r"^make\s+(?P<rest>.+)$", re.I)
_TOO = re.compile(r"^(?:it's|it\s+is|that's|that\s+is|(?P<ref>.+?)\s+is)\s+(?P<adv>a\s+bit\s+|a\s+little\s+|"
                  r"way\s+|much\s+)?too\s+(?P<adj>short|long|dark|bright|fast|slow|quiet|small)$", re.I)
_OPPOSITE = {"short": "longer", "long": "shorter", "dark": "brighter", "bright": "darker",
             "fast": "slower", "slow": "faster", "small": "bigger"}
_BARE_ADJUST = re.compile(r"^(?:(?:a\s+bit|a\s+little|slightly|much|a\s+lot|even)\s+)?"
                          r"(?:longer|shorter|brighter|darker|slower|faster|warmer|cooler|bigger|"
                          r"happier|sadder|calmer|more\s+\w+|less\s+\w+)(?:\s+please)?$", re.I)
_VERB_ADJUST = {"lengthen": "longer", "shorten": "shorter", "brighten": "brighter",
                "darken": "darker", "slow down": "slower", "speed up": "faster"}
_USE_VERBS: list[tuple[str, str]] = [
    (r"upscale|enlarge|upsize|upres", "upscale"),
    (r"animate|bring\s+to\s+life", "to_video"),
    (r"extend|continue", "extend"),
    (r"remix", "remix"),
    (r"recreate|regenerate|re-?roll|make\s+(?:another|a\s+new)\s+version\s+of|make\s+a\s+variation\s+of", "recreate"),
    (r"lip[\s-]?sync", "lipsync"),
    (r"translate|dub|re-?voice", "translate"),
    (r"restyle|stylize|stylise", "to_video"),
    (r"edit|change|modify|retouch|tweak|adjust|fix", "edit"),
]
_HELP = re.compile(r"^(?:help|\?|what\s+can\s+you\s+do\??|how\s+does\s+this\s+work\??)$", re.I)


def parse(text: str) -> Intent:
    said = text.strip()
    t = _POLITE.sub("", said.rstrip(" .!?")).strip()
    t = re.sub(r"[\s,]+(?:please|thanks|thank you)$", "", t, flags=re.I)
    for rule in (_simple, _filter, _rename_fav_delete, _adjust, _use, _generate):
        intent = rule(t)
        if intent is not None:
            intent.text = said
            return intent
    ref = parse_ref(t)
    return Intent("ref", target=ref, text=said) if ref else Intent("unknown", text=said)


def _simple(t: str) -> Intent | None:
    if _HELP.match(t):
        return Intent("help")
    if _UNDO.match(t):
        return Intent("undo")
    if _REDO.match(t):
        return Intent("redo")
    if _AGAIN.match(t):
        return Intent("repeat")
    m = _REPEAT.match(t)
    if m:
        ref = parse_ref(m.group("ref")) if m.group("ref") else None
        if m.group("ref") and ref is None:
            return None
        return Intent("repeat", target=ref)
    return None


def _kinds_in(what: str) -> list[str] | None:
    """'videos and images' -> ['video', 'image']; None unless every word names kinds."""
    kinds: list[str] = []
    for word in re.split(r"\s*(?:,|\band\b|\bor\b|&|\+|/)\s*", what.lower().strip()):
        word = re.sub(r"^(?:the|my|all|all\s+the)\s+", "", word.strip())
        if not word:
            continue
        if word in FILTER_GROUPS:
            kinds += FILTER_GROUPS[word]
        elif word in KIND_NOUNS:
            kinds.append(KIND_NOUNS[word])
        else:
            return None
    return list(dict.fromkeys(kinds))


def _filter(t: str) -> Intent | None:
    if _CLEAR_FILTER.match(t):
        return Intent("filter", kinds=[])
    m = _HIDE.match(t)
    if m and (hidden := _kinds_in(m.group("what"))):
        return Intent("filter", kinds=[k for k in ("image", "video", "music", "voiceover")
                                       if k not in hidden])
    m = _FILTER.match(t) or _ONLY.match(t)
    if m and (kinds := _kinds_in(m.group("what"))) is not None:
        return Intent("filter", kinds=kinds)
    return None


def _unquote(name: str) -> str:
    name = name.strip().strip(".")
    m = QUOTED.fullmatch(name)
    return (m.group(1) or m.group(2)) if m else name


def _rename_fav_delete(t: str) -> Intent | None:
    m = _RENAME.match(t)
    if m:
        ref = parse_ref(m.group("ref")) if m.group("ref") else Ref("it", text="it")
        if ref is not None:
            return Intent("rename", target=ref, name=_unquote(m.group("name")))
    m = _CALL.match(t)
    if m:
        ref, rest = find_ref(m.group("ref") + " " + m.group("name"))
        if ref is not None and rest.strip():
            return Intent("rename", target=ref, name=_unquote(rest))
    m = _UNFAVORITE.match(t)
    if m and (ref := parse_ref(m.group("ref"))):
        return Intent("favorite", target=ref, value=False)
    m = _FAVORITE.match(t)
    if m:
        words = m.group("ref") or m.group("ref2") or m.group("ref3") or "it"
        ref = parse_ref(words)
        if ref is not None:
            return Intent("favorite", target=ref, value=not m.group("un"))
    m = _DELETE.match(t)
    if m and (ref := parse_ref(m.group("ref"))):
        if t.lower().startswith("move") and "trash" not in t.lower() and "bin" not in t.lower():
            return None
        return Intent("delete", target=ref)
    return None


def _adjust(t: str) -> Intent | None:
    m = _TOO.match(t)
    if m:
        ref = parse_ref(m.group("ref")) if m.group("ref") else Ref("it", text="it")
        if ref is not None:
            words = (m.group("adv") or "") + _OPPOSITE.get(m.group("adj").lower(), "")
            return Intent("adjust", action=words.strip(), target=ref)
    if _BARE_ADJUST.match(t):
        return Intent("adjust", action=t, target=Ref("it", text="it"))
    for verb, words in _VERB_ADJUST.items():
        if t.lower().startswith(verb + " "):
            ref, rest = find_ref(t[len(verb) + 1:])
            if ref is not None:
                return Intent("adjust", action=(words + " " + rest).strip(), target=ref,
                              params=read_params(rest))
    m = _MAKE.match(t)
    if not m:
        return None
    ref, rest = find_ref(m.group("rest"))
    if ref is None or not rest.strip():
        return None
    into = re.match(r"^(?:into\s+)?(?:an?\s+)?(video|animation|clip|movie|song|music|track|"
                    r"soundtrack|avatar)\b", rest, re.I)
    if into:
        noun = into.group(1).lower()
        action = "avatar" if noun == "avatar" else "to_music" if KIND_NOUNS.get(noun) == "music" \
            else "to_video"
        return Intent("use", action=action, target=ref, params=read_params(rest))
    return Intent("adjust", action=rest.strip(), target=ref, params=read_params(rest))


def _use(t: str) -> Intent | None:
    m = re.match(r"^(?:turn|convert)\s+(?P<ref>.+?)\s+into\s+(?:an?\s+)?(?P<noun>video|animation|"
                 r"clip|movie|avatar|song|music|soundtrack)\b(?P<rest>.*)$", t, re.I)
    if m and (ref := parse_ref(m.group("ref"))):
        noun = m.group("noun").lower()
        action = {"avatar": "avatar"}.get(noun) or ("to_music" if KIND_NOUNS.get(noun) == "music"
                                                     else "to_video")
        return Intent("use", action=action, target=ref, params=read_params(m.group("rest")))
    m = re.match(r"^apply\s+(?P<what>.+?)\s+to\s+(?P<ref>.+)$", t, re.I)
    if m and (ref := parse_ref(m.group("ref"))):
        return Intent("use", action="edit", target=ref, prompt=m.group("what"))
    for verbs, action in _USE_VERBS:
        m = re.match(rf"^(?:{verbs})(?:\s+(?P<rest>.*))?$", t, re.I)
        if not m:
            continue
        rest = m.group("rest") or ""
        ref, after = find_ref(rest)
        if ref is None and action == "edit":
            return None if not rest else Intent("use", action="edit", target=Ref("it", text="it"),
                                                prompt=t)
        ref = ref or Ref("it", text="it")
        return _use_intent(action, ref, after, t)
    return None


def _use_intent(action: str, ref: Ref, after: str, t: str) -> Intent:
    intent = Intent("use", action=action, target=ref, params=read_params(after))
    if action == "lipsync":
        partner = re.sub(r"^\s*(?:to|with|using|onto)\s+", "", after, flags=re.I)
        intent.partner = parse_ref(partner) if partner else None
        intent.params = {}
    elif action == "translate":
        intent.params = {"language": language_in(after.lower())} if language_in(after.lower()) else {}
        quoted = QUOTED.search(after)
        if quoted:
            intent.params["text"] = quoted.group(1) or quoted.group(2)
    elif action == "edit":
        intent.prompt = re.sub(r"^\s*(?:to\s+be|to\s+make\s+it|so\s+(?:that\s+)?it(?:'s|\s+is)|"
                               r"and\s+make\s+it|by\s+making\s+it|to|:|,|-)\s*", "", after,
                               flags=re.I).strip() or t
    elif action == "to_video" and (style := re.search(r"\b(?:as|like|into)\s+(?:an?\s+)?(.+)$", after)):
        intent.params.setdefault("style", style.group(1).strip())
    return intent


def _generate(t: str) -> Intent | None:
    fields = read_generation(t)
    return Intent(**fields) if fields else None
