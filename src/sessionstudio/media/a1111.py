"""The A1111 "parameters" text that Stable Diffusion web UIs write into PNGs.

    a cat in a hat
    Negative prompt: blurry
    Steps: 20, Sampler: Euler a, CFG scale: 7, Seed: 123, Size: 512x768, Model: xyz

format_parameters() and parse_parameters() are inverses for any settings of
simple values (str, int, finite float, bool), provided that settings are not
empty and that no prompt line starts with "Negative prompt:". Values are typed:
strings that would read back as something else (numbers, True/False, text with
commas, colons or surrounding spaces) are JSON-quoted, as A1111 quotes values
containing commas or colons.
"""

from __future__ import annotations

import json
import math
import re

NEGATIVE_PREFIX = "Negative prompt:"

# Our settings keys and the labels A1111 writes for them, in A1111's order;
# width and height are written together as "Size: WxH" after the seed.
_LABELS = {"steps": "Steps", "sampler": "Sampler", "cfg_scale": "CFG scale", "seed": "Seed"}
_MODEL_LABEL = "Model"
_SIZE_LABEL = "Size"
_KEY_BY_LABEL = {label: key for key, label in _LABELS.items()} | {_MODEL_LABEL: "model"}
# Other settings may not use these labels: they would read back as known keys.
_RESERVED_LABELS = set(_KEY_BY_LABEL) | {_SIZE_LABEL}

_INT = re.compile(r"-?[0-9]+")
_FLOAT = re.compile(r"-?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)(?:[eE][-+]?[0-9]+)?")
_SIZE = re.compile(r"([0-9]+)x([0-9]+)")
# One "Label: value" pair, the value bare or JSON-quoted, then a comma or the end.
_PAIR = re.compile(r'\s*([^,:\n]+?):\s*("(?:\\.|[^\\"])*"|[^,]*?)\s*(?:,|$)')


def _is_simple(value: object) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, (str, int, bool))


def _scalar(text: str) -> object:
    """A bare value as typed: int, float, bool, else the text itself."""
    try:
        if _INT.fullmatch(text):
            return int(text)
        if _FLOAT.fullmatch(text):
            return float(text)
    except ValueError:
        return text  # e.g. more digits than int() accepts
    if text in ("True", "False"):
        return text == "True"
    return text


def _format_value(value: object) -> str:
    if isinstance(value, (bool, int)):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    text = str(value)
    bare = (
        text
        and text == text.strip()
        and text[0] != '"'
        and "," not in text
        and ":" not in text
        and text.isprintable()
        and _scalar(text) == text
    )
    return text if bare else json.dumps(text, ensure_ascii=False)


def _writable_label(key: object) -> bool:
    return (
        isinstance(key, str)
        and key != ""
        and key == key.strip()
        and not any(c in key for c in ',:"\n\r')
        and key not in _RESERVED_LABELS
    )


def _setting_pairs(settings: dict) -> list[tuple[str, str]]:
    rest = {key: value for key, value in settings.items() if _is_simple(value)}
    pairs = [(label, _format_value(rest.pop(key))) for key, label in _LABELS.items() if key in rest]
    width, height = rest.get("width"), rest.get("height")
    if all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in (width, height)):
        pairs.append((_SIZE_LABEL, f"{rest.pop('width')}x{rest.pop('height')}"))
    if "model" in rest:
        pairs.append((_MODEL_LABEL, _format_value(rest.pop("model"))))
    pairs += [(key, _format_value(value)) for key, value in rest.items() if _writable_label(key)]
    return pairs


def format_parameters(prompt: str, negative_prompt: str, settings: dict) -> str:
    """The A1111 "parameters" text for a generation.

    Settings with values that are not simple (None, lists, dicts, NaN) and keys
    A1111 readers could not read back (containing commas, colons or quotes, or
    reusing a known label such as "Seed") are left out.
    """
    lines = [prompt]
    if negative_prompt:
        lines.append(f"{NEGATIVE_PREFIX} {negative_prompt}")
    pairs = _setting_pairs(settings)
    if pairs:
        lines.append(", ".join(f"{label}: {value}" for label, value in pairs))
    return "\n".join(lines)


def _pairs(line: str) -> list[tuple[str, str]] | None:
    """The pairs of a settings line, or None when the line is not one."""
    pairs, pos = [], 0
    while pos < len(line):
        match = _PAIR.match(line, pos)
        if match is None or match.end() == pos:
            return None
        pairs.append((match.group(1).strip(), match.group(2)))
        pos = match.end()
    return pairs or None


def _value(raw: str) -> object:
    if raw.startswith('"') and len(raw) >= 2:
        try:
            return json.loads(raw)
        except ValueError:
            return raw
    return _scalar(raw)


def _settings(pairs: list[tuple[str, str]]) -> dict:
    settings: dict = {}
    for label, raw in pairs:
        value = _value(raw)
        size = _SIZE.fullmatch(value) if label == _SIZE_LABEL and isinstance(value, str) else None
        if size:
            settings["width"], settings["height"] = int(size.group(1)), int(size.group(2))
        else:
            settings[_KEY_BY_LABEL.get(label, label)] = value
    return settings


def _split_settings(text: str) -> tuple[list[str], dict]:
    # Other tools end the text with a newline; format_parameters never does, so
    # trailing blank space is dropped only when a settings line comes before it.
    for candidate in (text, text.rstrip()):
        lines = candidate.split("\n")
        pairs = _pairs(lines[-1])
        # A1111 strips an empty prompt, leaving the settings line alone; a lone
        # line counts as settings only when it looks like A1111's (3+ pairs).
        if pairs is not None and (len(lines) > 1 or len(pairs) >= 3):
            return lines[:-1], _settings(pairs)
    return text.split("\n"), {}


def parse_parameters(text: str) -> dict:
    """Read A1111 "parameters" text: {"prompt", "negative_prompt", "settings"}.

    format_parameters(**parse_parameters(text)) gives the text back.
    """
    lines, settings = _split_settings(text)
    for index, line in enumerate(lines):
        if line.startswith(NEGATIVE_PREFIX):
            negative_first = line[len(NEGATIVE_PREFIX) :]
            # We write one space after the colon; other writers may not.
            negative_first = negative_first[1:] if negative_first.startswith(" ") else negative_first
            return {
                "prompt": "\n".join(lines[:index]),
                "negative_prompt": "\n".join([negative_first, *lines[index + 1 :]]),
                "settings": settings,
            }
    return {"prompt": "\n".join(lines), "negative_prompt": "", "settings": settings}
