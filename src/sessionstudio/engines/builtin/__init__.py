"""The built-in engine: offline, deterministic for a seed, every result a real media file.

Pictures, motion, music and speech are made by the modules beside this one (Pillow,
numpy, PyAV, espeak-ng); this class only declares the actions and routes requests."""

from ..protocol import ActionSpec, InputFile, Output, Request, RunContext
from .specs import builtin_actions

TRANSLATE_NEEDS = ("Translate Video needs to know what is said in the video. The built-in "
                   "engine can only re-voice videos whose speech came from a voiceover in this "
                   "library (lip-syncs and talking avatars made here); for other videos it "
                   "needs an engine with speech recognition and translation.")


class BuiltinEngine:
    name = "builtin"
    title = "Built-in (offline)"

    def actions(self) -> list[ActionSpec]:
        return list(builtin_actions())

    def unavailable_reason(self, spec: ActionSpec, source: InputFile | None) -> str | None:
        if spec.kind == "video" and spec.id == "translate":
            settings = (source.recipe.get("settings") if source else None) or {}
            if not settings.get("speech_text"):
                return TRANSLATE_NEEDS
        return None

    def run(self, request: Request, ctx: RunContext) -> list[Output]:
        from . import run_audio, run_visual
        key = (request.kind, request.action)
        handler = run_visual.HANDLERS.get(key) or run_audio.HANDLERS.get(key)
        if handler is None:
            from ...core.errors import InvalidInput
            raise InvalidInput(f"The built-in engine cannot {request.action} a {request.kind}.")
        return handler(request, ctx)
