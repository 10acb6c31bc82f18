"""The actions offered to a language model as tools (OpenAI function-calling JSON
schema), and its tool calls turned into the same Intents the built-in interpreter makes,
so both interpreters drive one executor."""

import json
import re
from typing import Any

from ..core.errors import InvalidInput
from .intents import Intent
from .ref_words import Ref, parse_ref

USE_ACTIONS = ("edit", "upscale", "image_to_video", "video_to_video", "voice_to_video", "extend",
               "avatar", "music_from_media", "lipsync", "translate", "recreate", "remix")
KIND_ENUM = ["image", "video", "music", "voiceover"]
_ITEM = {"type": "string", "description": "which item: 'it' (the item last acted on), 'this' "
         "(the selected item), 'the last image', 'the second clip', 'the intro', 'the outro', "
         "'#3' (the third item shown), or an item id"}
_SETTINGS = {"type": "object", "description": "action settings by name, e.g. {\"aspect\": "
             "\"16:9\", \"duration\": 8, \"mood\": \"calm\", \"accent\": \"British\", "
             "\"speed\": 0.8, \"factor\": \"4\", \"language\": \"es\", \"seconds\": 3}"}


def _tool(name: str, description: str, props: dict[str, Any], required: list[str]) -> dict:
    return {"type": "function", "function": {
        "name": name, "description": description,
        "parameters": {"type": "object", "properties": props, "required": required}}}


TOOLS: list[dict] = [
    _tool("generate", "Generate a new image, video, music track or voiceover in the session.",
          {"kind": {"type": "string", "enum": KIND_ENUM},
           "prompt": {"type": "string", "description": "what to show, or the words to speak"},
           "settings": _SETTINGS}, ["kind", "prompt"]),
    _tool("use_action", "Run an action on an existing item: edit (with an instruction), upscale, "
          "image_to_video (animate a picture), video_to_video (restyle), voice_to_video, extend "
          "(a video), avatar, music_from_media, lipsync (with another item), translate, recreate, "
          "remix (music).",
          {"item": _ITEM, "action": {"type": "string", "enum": list(USE_ACTIONS)},
           "instruction": {"type": "string", "description": "for edit: what to change"},
           "with_item": {"type": "string", "description": "for lipsync: the other item"},
           "settings": _SETTINGS}, ["item", "action"]),
    _tool("adjust", "Make an item longer, shorter, slower, faster, brighter, darker, warmer, "
          "happier, bigger, ... (picks extend, remix, recreate or edit by the item's kind).",
          {"item": _ITEM, "change": {"type": "string", "description": "e.g. 'a bit longer'"}},
          ["item", "change"]),
    _tool("rename", "Rename an item.", {"item": _ITEM, "name": {"type": "string"}},
          ["item", "name"]),
    _tool("favorite", "Mark (or unmark) an item as a favorite.",
          {"item": _ITEM, "favorite": {"type": "boolean", "default": True}}, ["item"]),
    _tool("delete", "Move an item to the trash (undo brings it back).", {"item": _ITEM}, ["item"]),
    _tool("filter", "Show only some kinds of items on the canvas ([] shows everything).",
          {"kinds": {"type": "array", "items": {"type": "string", "enum": KIND_ENUM}}}, ["kinds"]),
    _tool("undo", "Undo the assistant's last change in this conversation.", {}, []),
    _tool("redo", "Redo the change the assistant last undid.", {}, []),
]

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f-]{9,}$", re.I)


def item_ref(value: Any) -> Ref:
    text = str(value or "it").strip()
    if _UUID.match(text):
        return Ref("id", name=text, text=text)
    return parse_ref(text) or Ref("name", name=text.strip("\"“”'"), text=text)


def _arguments(call: dict) -> dict:
    raw = (call.get("function") or {}).get("arguments") or {}
    if isinstance(raw, str):
        raw = json.loads(raw or "{}")
    if not isinstance(raw, dict):
        raise ValueError("tool arguments must be a JSON object")
    return raw


def intent_from_call(call: dict) -> Intent:
    """One tool call -> an Intent; ValueError/InvalidInput when it makes no sense."""
    name = (call.get("function") or {}).get("name", "")
    a = _arguments(call)
    settings = a.get("settings") if isinstance(a.get("settings"), dict) else {}
    if name == "generate":
        kind = a.get("kind")
        if kind not in KIND_ENUM:
            raise InvalidInput(f"generate: unknown kind {kind!r}")
        return Intent("generate", media=kind, prompt=str(a.get("prompt") or ""), params=settings)
    if name == "use_action":
        action = a.get("action")
        if action not in USE_ACTIONS:
            raise InvalidInput(f"use_action: unknown action {action!r}")
        action = {"image_to_video": "to_video", "voice_to_video": "to_video",
                  "video_to_video": "to_video", "music_from_media": "to_music"}.get(action, action)
        partner = item_ref(a["with_item"]) if a.get("with_item") else None
        return Intent("use", action=action, target=item_ref(a.get("item")), partner=partner,
                      prompt=str(a.get("instruction") or ""), params=settings)
    if name == "adjust":
        return Intent("adjust", action=str(a.get("change") or ""), target=item_ref(a.get("item")))
    if name == "rename":
        return Intent("rename", target=item_ref(a.get("item")), name=str(a.get("name") or ""))
    if name == "favorite":
        return Intent("favorite", target=item_ref(a.get("item")), value=bool(a.get("favorite", True)))
    if name == "delete":
        return Intent("delete", target=item_ref(a.get("item")))
    if name == "filter":
        kinds = [k for k in a.get("kinds") or [] if k in KIND_ENUM]
        return Intent("filter", kinds=kinds)
    if name in ("undo", "redo"):
        return Intent(name)
    raise InvalidInput(f"unknown tool {name!r}")
