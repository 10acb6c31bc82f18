"""What an engine is: a name, the actions it offers per media kind with their parameters,
and run(request, context) -> outputs. Forms and the CLI are built from the declarations.

An action is keyed by (kind, action id). For "generate" the kind is the output kind
(generate an image); for every Use action it is the kind of the item it starts from
(edit an image, extend a video)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from ..core.errors import InvalidInput

PARAM_TYPES = ("text", "str", "int", "float", "bool", "choice", "item")
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


@dataclass(frozen=True)
class Param:
    name: str
    type: str                        # one of PARAM_TYPES; "item" = another item of `kinds`
    default: Any = None
    choices: tuple = ()
    help: str = ""
    minimum: float | None = None
    maximum: float | None = None
    kinds: tuple[str, ...] = ()      # for type "item": which kinds may be picked
    required: bool = False
    label: str = ""

    @property
    def title(self) -> str:
        return self.label or self.name.replace("_", " ").capitalize()

    def coerce(self, value: Any) -> Any:
        """A value from the CLI (text), a form or JSON, checked and typed; errors name the
        parameter and what it accepts."""
        if value is None or value == "":
            if self.required:
                raise InvalidInput(f"'{self.name}' is required: {self.help or self.type}.")
            return self.default
        try:
            if self.type == "int":
                value = int(float(value)) if isinstance(value, str) else int(value)
            elif self.type == "float":
                value = float(value)
            elif self.type == "bool":
                if isinstance(value, str):
                    low = value.strip().lower()
                    if low not in _TRUE | _FALSE:
                        raise ValueError
                    value = low in _TRUE
                else:
                    value = bool(value)
            else:
                value = str(value)
        except (TypeError, ValueError):
            raise InvalidInput(f"'{self.name}' must be {_a(self.type)}, not {value!r}.") from None
        if self.type == "choice":
            match = next((c for c in self.choices if str(c).lower() == value.lower()), None)
            if match is None:
                raise InvalidInput(f"'{self.name}' must be one of: "
                                   f"{', '.join(map(str, self.choices))} (got {value!r}).")
            value = match
        if self.type in ("int", "float"):
            if self.minimum is not None and value < self.minimum or (
                    self.maximum is not None and value > self.maximum):
                raise InvalidInput(f"'{self.name}' must be between {self.minimum:g} and "
                                   f"{self.maximum:g} (got {value:g}).")
        return value

    def describe(self) -> dict:
        return {"name": self.name, "type": self.type, "default": self.default,
                "choices": list(self.choices), "help": self.help, "minimum": self.minimum,
                "maximum": self.maximum, "kinds": list(self.kinds), "required": self.required}


def _a(type_name: str) -> str:
    return {"int": "a whole number", "float": "a number", "bool": "yes or no"}.get(type_name, "text")


@dataclass(frozen=True)
class ActionSpec:
    kind: str                        # source kind (or output kind for "generate")
    id: str                          # generate, edit, recreate, upscale, image_to_video, ...
    title: str
    output: str                      # the kind of item it makes
    params: tuple[Param, ...] = ()
    prompt: str = ""                 # what the free text means here ("" = no free text)
    help: str = ""
    prompt_required: bool = True     # False: the free text is optional

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)

    def coerce(self, values: dict[str, Any]) -> dict[str, Any]:
        """Every declared parameter, typed, defaults filled in; unknown names refused."""
        unknown = set(values) - {p.name for p in self.params}
        if unknown:
            names = ", ".join(p.name for p in self.params) or "none"
            raise InvalidInput(f"{self.title} has no parameter {', '.join(sorted(unknown))} "
                               f"(it takes: {names}).")
        return {p.name: p.coerce(values.get(p.name)) for p in self.params}


@dataclass
class InputFile:
    """A file an engine reads: the item a Use action starts from, or a picked item."""
    role: str                        # source | source_audio | reference | ...
    path: Path
    kind: str
    asset_hash: str
    item_id: str | None = None
    name: str = ""
    prompt: str = ""
    recipe: dict = field(default_factory=dict)


@dataclass
class Request:
    kind: str
    action: str
    prompt: str
    params: dict[str, Any]
    seed: int
    source: InputFile | None = None
    extras: list[InputFile] = field(default_factory=list)   # items picked in "item" params


@dataclass
class Output:
    """One file the engine made in its scratch dir, with what to record about it."""
    path: Path
    kind: str
    name: str = ""
    prompt: str = ""
    settings: dict[str, Any] = field(default_factory=dict)
    frames: list[tuple[str, Path]] = field(default_factory=list)  # (start_frame|end_frame, png)


@dataclass
class RunContext:
    progress: Callable[[float, str], None]
    cancelled: Callable[[], bool]
    scratch: Path


class Engine(Protocol):
    name: str
    title: str

    def actions(self) -> list[ActionSpec]: ...

    def unavailable_reason(self, spec: ActionSpec, source: InputFile | None) -> str | None:
        """Why this action cannot run on this item (None: it can)."""

    def run(self, request: Request, ctx: RunContext) -> list[Output]: ...
