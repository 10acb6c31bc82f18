"""A1111 "parameters" text: exact format, real-world parsing, typed round trips."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from sessionstudio.media import format_parameters, parse_parameters

SETTINGS = {"steps": 20, "sampler": "Euler a", "cfg_scale": 7, "seed": 123, "width": 512, "height": 768, "model": "xyz"}


def test_format_matches_a1111():
    text = format_parameters("a cat in a hat", "blurry", SETTINGS)
    assert text == (
        "a cat in a hat\n"
        "Negative prompt: blurry\n"
        "Steps: 20, Sampler: Euler a, CFG scale: 7, Seed: 123, Size: 512x768, Model: xyz"
    )


def test_other_settings_follow_and_are_quoted_when_needed():
    text = format_parameters("p", "", {"seed": 1, "Clip skip": 2, "Lora hashes": "a: 1, b: 2", "scheduler": "karras"})
    assert text == 'p\nSeed: 1, Clip skip: 2, Lora hashes: "a: 1, b: 2", scheduler: karras'


def test_no_negative_line_when_empty():
    assert "Negative prompt" not in format_parameters("p", "", SETTINGS)


def test_unwritable_settings_are_left_out():
    text = format_parameters("p", "", {"steps": 5, "loras": ["a"], "none": None, "nan": math.nan, "Seed": 9, "a:b": 1})
    assert text == "p\nSteps: 5"


def test_parse_real_a1111_text():
    text = (
        "masterpiece, 1girl, (smile:1.2)\n"
        "Negative prompt: lowres, bad hands\n"
        "Steps: 28, Sampler: DPM++ 2M Karras, CFG scale: 6.5, Seed: 3960217146, Size: 832x1216, "
        'Model hash: 7f96a1a9ca, Model: anything-v5, Lora hashes: "add_detail: 7c6bad76eb54", Version: v1.7.0'
    )
    parsed = parse_parameters(text)
    assert parsed["prompt"] == "masterpiece, 1girl, (smile:1.2)"
    assert parsed["negative_prompt"] == "lowres, bad hands"
    assert parsed["settings"] == {
        "steps": 28,
        "sampler": "DPM++ 2M Karras",
        "cfg_scale": 6.5,
        "seed": 3960217146,
        "width": 832,
        "height": 1216,
        "Model hash": "7f96a1a9ca",
        "model": "anything-v5",
        "Lora hashes": "add_detail: 7c6bad76eb54",
        "Version": "v1.7.0",
    }


def test_parse_a1111_text_with_empty_prompt_and_trailing_newline():
    parsed = parse_parameters("Steps: 20, Sampler: Euler, Seed: 1\n")
    assert parsed == {"prompt": "", "negative_prompt": "", "settings": {"steps": 20, "sampler": "Euler", "seed": 1}}


def test_text_without_settings_is_all_prompt():
    assert parse_parameters("just a prompt: nice") == {"prompt": "just a prompt: nice", "negative_prompt": "", "settings": {}}


def test_values_keep_their_types():
    values = {"as_text": "123", "flag": True, "ratio": 0.35, "word": "True", "spaced": " x ", "empty": "", "big": 10**20}
    assert parse_parameters(format_parameters("p", "n", values))["settings"] == values


def test_multiline_prompts_round_trip():
    prompt, negative = "line one\n\nline three\n", "neg one\nneg two"
    parsed = parse_parameters(format_parameters(prompt, negative, SETTINGS))
    assert parsed == {"prompt": prompt, "negative_prompt": negative, "settings": SETTINGS}


_prompts = st.text(max_size=120).filter(lambda t: not any(line.startswith("Negative prompt:") for line in t.split("\n")))
_labels = st.text(alphabet=st.characters(whitelist_categories=("L", "Nd"), whitelist_characters=" _-/."), min_size=1, max_size=20).map(str.strip).filter(
    lambda k: k and k not in {"Steps", "Sampler", "CFG scale", "Seed", "Size", "Model"}
)
_values = st.one_of(
    st.text(max_size=40),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
)
_known = st.fixed_dictionaries(
    {"steps": st.integers(1, 150), "seed": st.integers(-1, 2**32)},
    optional={"sampler": st.text(max_size=20), "cfg_scale": st.floats(0, 30), "model": st.text(max_size=30),
              "width": st.integers(64, 4096), "height": st.integers(64, 4096)},
)


@settings(max_examples=200, deadline=None, database=None)
@given(prompt=_prompts, negative=_prompts, known=_known, others=st.dictionaries(_labels, _values, max_size=4))
def test_round_trip(prompt, negative, known, others):
    settings_ = {**others, **known}
    parsed = parse_parameters(format_parameters(prompt, negative, settings_))
    assert parsed == {"prompt": prompt, "negative_prompt": negative, "settings": settings_}
