"""Plain records read from the catalog."""

import json
from dataclasses import dataclass, field
from typing import Any

KINDS = ("image", "video", "music", "voiceover")
VISUAL_KINDS = ("image", "video")
AUDIO_KINDS = ("music", "voiceover")
INPUT_ROLES = ("reference", "start_frame", "end_frame", "source", "source_audio", "mask")


@dataclass
class Folder:
    id: str
    name: str
    parent_id: str | None
    created_at: int
    updated_at: int
    trashed_at: int | None = None
    collapsed: bool = False

    @classmethod
    def from_row(cls, r: dict) -> "Folder":
        return cls(r["id"], r["name"], r["parent_id"], r["created_at"], r["updated_at"],
                   r["trashed_at"], bool(r["collapsed"]))


@dataclass
class Session:
    id: str
    name: str
    auto_named: bool
    folder_id: str | None
    created_at: int
    updated_at: int
    opened_at: int | None = None
    trashed_at: int | None = None
    settings: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_row(cls, r: dict) -> "Session":
        return cls(r["id"], r["name"], bool(r["auto_named"]), r["folder_id"], r["created_at"],
                   r["updated_at"], r["opened_at"], r["trashed_at"], json.loads(r["settings"] or "{}"))


@dataclass
class ItemInput:
    role: str
    asset_hash: str | None = None
    source_item_id: str | None = None
    position: int = 0


@dataclass
class Item:
    id: str
    session_id: str
    kind: str
    name: str
    prompt: str
    settings: dict[str, Any]
    engine: str
    action: str
    seed: int | None
    parent_id: str | None
    asset_hash: str
    mime: str
    size: int
    width: int | None
    height: int | None
    duration_ms: int | None
    favorite: bool
    created_at: int
    updated_at: int
    trashed_at: int | None = None
    inputs: list[ItemInput] = field(default_factory=list)

    @classmethod
    def from_row(cls, r: dict) -> "Item":
        return cls(r["id"], r["session_id"], r["kind"], r["name"], r["prompt"],
                   json.loads(r["settings"] or "{}"), r["engine"], r["action"], r["seed"],
                   r["parent_id"], r["asset_hash"], r["mime"], r["size"], r["width"], r["height"],
                   r["duration_ms"], bool(r["favorite"]), r["created_at"], r["updated_at"],
                   r["trashed_at"])

    def recipe(self) -> dict[str, Any]:
        """Everything needed to make this item again."""
        return {
            "kind": self.kind, "name": self.name, "prompt": self.prompt,
            "settings": self.settings, "engine": self.engine, "action": self.action,
            "seed": self.seed, "parent": self.parent_id, "asset": self.asset_hash,
            "inputs": [{"role": i.role, "asset": i.asset_hash, "item": i.source_item_id}
                       for i in self.inputs],
        }
