"""Reference phrases: 'it', 'this', 'the last image', 'the second clip', 'the intro',
'#3', 'the selected items', 'the image called "Dunes"'. Parsing only; refs.py finds
the items they name in a session."""

import re
from dataclasses import asdict, dataclass

from .vocab import KIND_NOUN_PATTERN, KIND_NOUNS, ORDINAL_PATTERN, ORDINALS


@dataclass
class Ref:
    form: str                 # it | this | selected | ordinal | intro | outro | number | only | name | id
    kind: str | None = None   # image | video | music | voiceover (None: any)
    n: int | None = None      # ordinal (1-based from the oldest; -1 = the newest) or #number
    name: str = ""            # for form "name" (and "id")
    text: str = ""            # as written, for replies

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict | None) -> "Ref | None":
        return cls(**d) if d else None


_LEAD = re.compile(r"^(?:on|to|for|with|from|of|at|in|please|just|now|also)\s+", re.I)
_TRAIL = re.compile(r"(?:\s+(?:please|too|as well|also|again|instead|now))+$|[\s.,!?;:]+$", re.I)
_KIND_WORDS = rf"{KIND_NOUN_PATTERN}|one|ones|item|items"
_ANY_KIND = rf"(?:{_KIND_WORDS})"
_KIND = rf"(?P<kind>{_KIND_WORDS})"
_FORMS: list[tuple[str, re.Pattern]] = [
    ("number", re.compile(r"^(?:the\s+)?(?:#|number\s+|no\.?\s*|item\s+#?)(?P<n>\d+)$")),
    ("it", re.compile(r"^(?:it|that|that one|the result|the same one|the new one|them|those)$")),
    ("this", re.compile(r"^(?:this|this one|these|here)$")),
    ("selected", re.compile(rf"^(?:the\s+|my\s+)?(?:currently\s+)?(?:selected\s+{_KIND}|selection)$")),
    ("this", re.compile(rf"^(?:this|that)\s+{_KIND}$")),
    ("intro", re.compile(r"^(?:the\s+)?(?:intro|opening(?:\s+(?:clip|video|shot))?|"
                         r"intro\s+(?:clip|video))$")),
    ("outro", re.compile(r"^(?:the\s+)?(?:outro|ending(?:\s+(?:clip|video|shot))?|"
                         r"closing\s+(?:clip|video|shot)|end\s+(?:clip|video)|outro\s+(?:clip|video))$")),
    ("ordinal", re.compile(rf"^(?:the\s+|my\s+)?(?P<ord>{ORDINAL_PATTERN})(?:\s+{_KIND})?$")),
    ("ordinal", re.compile(rf"^(?:the\s+)?{_KIND}\s+(?:number\s+|#)?(?P<n>\d+)$")),
    ("name", re.compile(rf"^(?:the\s+)?(?:{_KIND}\s+)?(?:called|named|titled)\s+"
                        r"[\"“']?(?P<name>.+?)[\"”']?$", re.I)),
    ("name", re.compile(rf"^(?:the\s+)?(?:{_KIND}\s+)?[\"“'](?P<name>[^\"”']+)[\"”'](?:\s+{_ANY_KIND})?$")),
    ("only", re.compile(rf"^(?:the|my|that|this)\s+{_KIND}$")),
    ("id", re.compile(r"^(?P<name>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f-]{4,}[0-9a-f]{4,})$")),
]
_FORMS = [(form, re.compile(p.pattern, re.I)) for form, p in _FORMS]


def _kind(word: str | None) -> str | None:
    if not word:
        return None
    return KIND_NOUNS.get(re.sub(r"\s+", " ", word.lower()))


def clean(text: str) -> str:
    text = text.strip()
    for _ in range(3):
        text = _TRAIL.sub("", _LEAD.sub("", text)).strip()
    return text


def parse_ref(text: str) -> Ref | None:
    """The reference this whole phrase is, or None."""
    raw = clean(text)
    for form, pattern in _FORMS:
        m = pattern.match(raw)
        if not m:
            continue
        groups = m.groupdict()
        kind = _kind(groups.get("kind"))
        if form == "ordinal":
            n = (ORDINALS[re.sub(r"\s+", " ", groups["ord"].lower())] if groups.get("ord")
                 else int(groups["n"]))
            return Ref("ordinal", kind, n, text=raw)
        if form == "number":
            return Ref("number", None, int(groups["n"]), text=raw)
        if form in ("name", "id"):
            return Ref(form, kind, name=groups["name"].strip(), text=raw)
        if form in ("intro", "outro"):
            return Ref(form, "video", text=raw)
        return Ref(form, kind, text=raw)
    return None


def find_ref(text: str) -> tuple[Ref | None, str]:
    """A reference at the start of `text` (longest first) and what follows it."""
    words = text.split()
    for end in range(min(len(words), 8), 0, -1):
        ref = parse_ref(" ".join(words[:end]))
        if ref is not None:
            return ref, " ".join(words[end:])
    return None, text


def find_ref_at_end(text: str) -> tuple[Ref | None, str]:
    """A reference at the end of `text` (longest first) and what comes before it."""
    words = text.split()
    for start in range(max(0, len(words) - 8), len(words)):
        ref = parse_ref(" ".join(words[start:]))
        if ref is not None:
            return ref, " ".join(words[:start])
    return None, text
