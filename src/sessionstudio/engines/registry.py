"""Engines found through the `sessionstudio.engines` entry-point group; the built-in one
is always there, even when the package metadata is missing (a frozen bundle).

An engine that fails to load is reported, not fatal: the others keep working."""

from dataclasses import dataclass, field
from importlib.metadata import entry_points

from ..core.errors import InvalidInput, NotFound
from .protocol import ActionSpec, Engine

GROUP = "sessionstudio.engines"


@dataclass
class Registry:
    engines: dict[str, Engine] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def add(self, engine: Engine) -> None:
        self.engines[engine.name] = engine

    def get(self, name: str) -> Engine:
        try:
            return self.engines[name]
        except KeyError:
            raise NotFound(f"No engine named '{name}' is installed "
                           f"(installed: {', '.join(self.engines) or 'none'}).") from None

    def actions(self) -> list[tuple[Engine, ActionSpec]]:
        return [(e, spec) for e in self.engines.values() for spec in e.actions()]

    def find(self, kind: str, action: str, engine: str | None = None) -> tuple[Engine, ActionSpec]:
        """The engine for this action on this kind (the named one, else the first that has it)."""
        candidates = [self.get(engine)] if engine else list(self.engines.values())
        for e in candidates:
            for spec in e.actions():
                if spec.kind == kind and spec.id == action:
                    return e, spec
        offered = sorted({s.id for e in candidates for s in e.actions() if s.kind == kind})
        raise InvalidInput(f"No engine offers '{action}' for {kind}s"
                           + (f" (available: {', '.join(offered)})." if offered else "."))

    def providers(self) -> dict[tuple[str, str], str]:
        """(kind, action id) -> engine name, for the window's Use menus."""
        out: dict[tuple[str, str], str] = {}
        for e, spec in self.actions():
            out.setdefault((spec.kind, spec.id), e.name)
        return out


def load_registry(*, plugins: bool = True) -> Registry:
    from .builtin import BuiltinEngine

    reg = Registry()
    reg.add(BuiltinEngine())
    if plugins:
        for ep in entry_points(group=GROUP):
            if ep.name == "builtin":
                continue
            try:
                engine = ep.load()()
                reg.add(engine)
            except Exception as exc:  # noqa: BLE001 - a broken plugin must not stop the app
                reg.problems.append(f"The engine '{ep.name}' could not be loaded: {exc}")
    return reg
