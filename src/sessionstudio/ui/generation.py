"""Routing generation requests from the window: Use actions on tiles, Generate menu,
Reuse settings, Cancel and Retry. Forms come from the engines' declarations; jobs are
queued on the serial writer and run by the JobRunner in worker processes."""

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QWidget

from ..core.errors import StudioError
from ..engines.actions import USE_ACTIONS
from ..jobs.plan import RERUN_ACTIONS, queue_generate, queue_use
from ..jobs.queue import retry_job
from ..library import get_item, list_items
from .generate_dialog import GenerateDialog


class Generation(QObject):
    sig_message = Signal(str)               # for the status bar
    sig_attach_to_agent_requested = Signal(str)

    def __init__(self, lib, tasks, registry, runner, *, parent_widget: QWidget,
                 current_session: Callable[[], str | None]):
        super().__init__(parent_widget)
        self.lib, self.tasks, self.registry, self.runner = lib, tasks, registry, runner
        self._parent = parent_widget
        self._current_session = current_session
        self.last_dialog: GenerateDialog | None = None    # tests drive the open form

    def providers(self) -> dict:
        """(kind, Use action id) -> engine, for the Use menus. Recreate and Remix re-run the
        item's own recipe, so any engine that made it provides them."""
        out = dict(self.registry.providers())
        for kind, actions in USE_ACTIONS.items():
            for a in actions:
                if a.id in RERUN_ACTIONS:
                    out[(kind, a.id)] = "recipe"
        return out

    # -- requests ------------------------------------------------------------------------
    def use(self, item_id: str, action_id: str) -> None:
        if action_id == "agent":
            self.sig_attach_to_agent_requested.emit(item_id)
            return
        if action_id in RERUN_ACTIONS:
            self._queue(lambda: queue_use(self.lib, self.registry, item_id=item_id,
                                          action=action_id))
            return
        try:
            item = get_item(self.lib, item_id)
            engine, spec = self.registry.find(item.kind, action_id)
            from ..jobs.execute import input_file
            reason = engine.unavailable_reason(spec, input_file(self.lib, "source", item))
        except StudioError as exc:
            self.sig_message.emit(str(exc))
            return
        if reason:
            self.sig_message.emit(reason)
            return
        dialog = self._dialog(spec, source_name=item.name, session_id=item.session_id)
        if dialog is None:
            return
        prompt, values = dialog
        self._queue(lambda: queue_use(self.lib, self.registry, item_id=item_id, action=action_id,
                                      prompt=prompt, params=values, engine=engine.name))

    def generate(self, kind: str, *, values: dict | None = None, prompt: str = "") -> None:
        session_id = self._current_session()
        if session_id is None:
            self.sig_message.emit("Open or create a session first.")
            return
        try:
            engine, spec = self.registry.find(kind, "generate")
        except StudioError as exc:
            self.sig_message.emit(str(exc))
            return
        dialog = self._dialog(spec, session_id=session_id, values=values, prompt=prompt)
        if dialog is None:
            return
        prompt, values = dialog
        self._queue(lambda: queue_generate(self.lib, self.registry, session_id=session_id,
                                           kind=kind, prompt=prompt, params=values,
                                           engine=engine.name))

    def reuse(self, recipe: dict) -> None:
        """Inspector's Reuse settings: the form of the action that made the item, filled in."""
        if recipe.get("action") == "generate":
            self.generate(recipe["kind"], values=recipe.get("settings") or {},
                          prompt=recipe.get("prompt", ""))
        else:
            self.generate(recipe.get("kind", "image"), prompt=recipe.get("prompt", ""))

    def cancel(self, job_id: str) -> None:
        if self.runner is not None:
            # Not behind queued saves on the serial writer: Cancel should act at once.
            self.tasks.read(lambda: self.runner.cancel(job_id))
        else:
            from ..jobs.queue import cancel_job
            self.tasks.write(lambda: cancel_job(self.lib, job_id))

    def retry(self, job_id: str) -> None:
        self.tasks.write(lambda: retry_job(self.lib, job_id), done=lambda _: self._wake())

    # -- helpers -------------------------------------------------------------------------
    def _dialog(self, spec, *, session_id: str, source_name: str = "", values=None, prompt=""):
        items = []
        if any(p.type == "item" for p in spec.params):
            items = [(i.id, i.name, i.kind) for i in list_items(self.lib, session_id=session_id,
                                                                 limit=500)]
        known = {k: v for k, v in (values or {}).items() if spec.param(k) is not None}
        dialog = GenerateDialog(spec, source_name=source_name, items=items, values=known,
                                prompt=prompt, parent=self._parent)
        self.last_dialog = dialog
        if dialog.exec() != QDialog.Accepted:
            return None
        return dialog.prompt(), dialog.values()

    def _queue(self, fn) -> None:
        self.tasks.write(fn, done=lambda _: self._queued())

    def _queued(self) -> None:
        self.sig_message.emit("Queued: the result appears in the session when it is ready."
                              if self.runner is not None else
                              "Queued: jobs run while the app is open.")
        self._wake()

    def _wake(self) -> None:
        if self.runner is not None:
            self.runner.wake()
