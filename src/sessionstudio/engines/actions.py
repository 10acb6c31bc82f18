"""The "Use" actions each kind of item offers, with the words users see.

Until an engine provides an action it is listed with the reason it cannot run, so the
window shows it disabled with that reason instead of doing nothing. "Use with AI Agent"
is always available: it hands the item to the agent panel."""

from dataclasses import dataclass


@dataclass(frozen=True)
class UseAction:
    id: str
    title: str


_A = UseAction
USE_ACTIONS: dict[str, tuple[UseAction, ...]] = {
    "image": (_A("edit", "Edit Image"), _A("recreate", "Recreate"), _A("upscale", "Upscale"),
              _A("image_to_video", "Generate Video"), _A("avatar", "Create Avatar"),
              _A("music_from_media", "Generate Music"), _A("agent", "Use with AI Agent")),
    "video": (_A("edit", "Edit Video"), _A("recreate", "Recreate"), _A("upscale", "Upscale"),
              _A("video_to_video", "Generate Video"), _A("lipsync", "Create Lip-Sync"),
              _A("translate", "Translate Video"), _A("extend", "Extend Video"),
              _A("avatar", "Create Avatar"), _A("agent", "Use with AI Agent")),
    "music": (_A("remix", "Remix"),),
    "voiceover": (_A("recreate", "Recreate"), _A("voice_to_video", "Generate Video"),
                  _A("lipsync", "Create Lip-Sync"), _A("avatar", "Create Avatar")),
}


def use_actions(kind: str) -> tuple[UseAction, ...]:
    return USE_ACTIONS.get(kind, ())


def unavailable_reason(kind: str, action: UseAction, providers: dict | None = None) -> str | None:
    """Why this action cannot run now, or None when an engine provides it.
    `providers` maps (kind, action id) to an engine name; the registry fills it in."""
    if action.id == "agent":
        return None          # the agent panel takes the item; no engine needed
    if providers and (kind, action.id) in providers:
        return None
    return f"No installed engine provides “{action.title}” for {kind}s yet."
