"""The main window: sidebar | canvas (or viewer), inspector and agent docks, status bar.

Only wiring lives here: widgets emit sig_*_requested and this owner routes each request
to a library operation on the serial writer (Tasks) or to another widget."""

import sys

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QApplication, QDockWidget, QLabel, QMainWindow, QToolButton,
                               QSplitter, QStackedWidget)

from .. import library as L
from ..core.errors import StudioError
from ..core.models import AUDIO_KINDS, VISUAL_KINDS
from ..engines.registry import load_registry
from ..agent import Agent
from ..library.thumbnails import Thumbnailer
from ..settings import Settings
from ..sync.blobs import is_pending
from .bridge import LibraryBridge
from .icons import icon
from .tasks import Tasks
from .thumbs import ThumbnailProvider
from .views.agent_panel import AgentPanel
from .views.canvas import MediaCanvas
from .generation import Generation
from .artboards import Artboards
from .views.inspector import ItemInspector
from .views.jobs_panel import JobsPanel
from .views.sidebar import SessionSidebar
from .views.viewer import ItemViewer
from .window_files import WindowFileCommands
from .window_state import WindowState

OPEN_ITEM = "open item"   # Tasks.read_latest key: only the item asked for last opens


class MainWindow(WindowFileCommands, QMainWindow):
    def __init__(self, lib: L.Library, *, registry=None, runner=None, watcher=None, sync=None):
        """registry: the engines (loaded here when not given); runner: the JobRunner that
        runs queued jobs (without one, jobs wait in the queue for the next start)."""
        super().__init__()
        self.lib = lib
        self.registry = registry if registry is not None else load_registry()
        self.runner = runner
        self.watcher, self.sync = watcher, sync      # watch folders; the sync worker (or None)
        # Made here (also after an earlier window closed its own): closed here too.
        self._own_thumbnailer = lib.thumbnailer is None or lib.thumbnailer.closed
        if self._own_thumbnailer:
            lib.thumbnailer = Thumbnailer(lib.store, lib.paths.thumbs_dir, lib.paths.waveforms_dir)
        self.thumbnailer = lib.thumbnailer
        self.settings = Settings(lib.paths.settings_path)
        self.state = WindowState(lib.paths.config_dir)
        self.tasks = Tasks(self)
        self.bridge = LibraryBridge(lib, self)
        self.thumbs = ThumbnailProvider(lib.thumbnailer, self,
                                        is_pending=lambda h: is_pending(lib, h))  # sync brings it
        self.current_session: str | None = None
        self.setObjectName("MainWindow")
        self.setWindowTitle("Session Studio")
        self.setWindowIcon(icon("app"))
        self._build_widgets()
        self._build_actions()
        self._connect()
        self._restore()

    # -- construction ------------------------------------------------------------------
    def _build_widgets(self) -> None:
        self.sidebar = SessionSidebar(self.lib, self.tasks, self.bridge)
        self.canvas = MediaCanvas(self.lib, self.tasks, self.bridge, self.thumbs)
        self.viewer = ItemViewer(self.lib, self.tasks, self.bridge, self.thumbs)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.canvas)
        self.stack.addWidget(self.viewer)
        # Artboards (ui/artboards.py): the board page in the stack, Add to Artboard routing.
        self.artboards = Artboards(self.lib, self.tasks, self.bridge, self.thumbs, stack=self.stack,
                                   back_to=self.canvas, parent_widget=self)
        self.splitter = QSplitter(Qt.Horizontal)
        self.splitter.setObjectName("MainSplitter")
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([260, 900])
        self.setCentralWidget(self.splitter)

        self.inspector = ItemInspector(self.lib, self.tasks, self.bridge, self.thumbs)
        self.inspector_dock = self._dock("Inspector", "InspectorDock", self.inspector,
                                         Qt.RightDockWidgetArea)
        # Agent: conversations that act on the open session (agent/, views/agent_panel.py).
        self.session_agent = Agent(self.lib, self.registry, self.runner)
        self.agent = AgentPanel(self.lib, self.tasks, self.bridge, self.session_agent)
        self.agent_dock = self._dock("Agent", "AgentDock", self.agent, Qt.RightDockWidgetArea)
        self.tabifyDockWidget(self.inspector_dock, self.agent_dock)
        self.jobs = JobsPanel(self.lib, self.tasks, self.bridge)
        self.jobs_dock = self._dock("Jobs", "JobsDock", self.jobs, Qt.RightDockWidgetArea)
        self.tabifyDockWidget(self.inspector_dock, self.jobs_dock)
        self.inspector_dock.raise_()
        self.generation = Generation(self.lib, self.tasks, self.registry, self.runner,
                                     parent_widget=self,
                                     current_session=lambda: self.current_session)
        self.generation.sig_message.connect(self.show_error)
        # Engine declarations import numpy/PyAV/espeak: read them off the GUI thread, after
        # the first frame (a Use menu opened sooner shows its actions a moment later).
        self.tasks.read(self.generation.providers, done=self.canvas.set_use_providers)

        self.jobs_label = QLabel("No jobs running")
        self.sync_label = QToolButton()          # opens the Sync dialog
        self.sync_label.setAutoRaise(True)
        self.sync_label.setToolButtonStyle(Qt.ToolButtonTextOnly)
        self.busy_label = QLabel("")
        bar = self.statusBar()
        bar.addPermanentWidget(self.busy_label)
        bar.addPermanentWidget(self.jobs_label)
        bar.addPermanentWidget(self.sync_label)
        from .sync_status import SyncStatusLabel
        self.sync_status = SyncStatusLabel(self.sync_label, self.sync, self, lib=self.lib,
                                           tasks=self.tasks, dialog_parent=self)
        self.sync_status.sig_worker_changed.connect(lambda w: setattr(self, "sync", w))

    def _dock(self, title: str, name: str, widget, area) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetMovable | QDockWidget.DockWidgetClosable
                         | QDockWidget.DockWidgetFloatable)
        self.addDockWidget(area, dock)
        return dock

    def _action(self, menu, text: str, slot, shortcut=None, icon_name: str | None = None) -> QAction:
        act = QAction(text, self)
        if shortcut is not None:
            act.setShortcut(QKeySequence(shortcut))
            act.setShortcutContext(Qt.WindowShortcut)
        if icon_name:
            act.setIcon(icon(icon_name))
        act.triggered.connect(slot)
        menu.addAction(act)
        return act

    def _build_actions(self) -> None:
        m = self.menuBar()
        f = m.addMenu("&File")
        self.act_new = self._action(f, "New session", self.new_session, QKeySequence.New, "new")
        self._action(f, "Import files…", self.import_files_dialog, "Ctrl+I")
        f.addSeparator()
        self._action(f, "Export session as bundle…", self.export_bundle)
        self._action(f, "Import bundle…", self.import_bundle)
        f.addSeparator()
        self._action(f, "Watch folders…", self.watch_folders)
        f.addSeparator()
        self._action(f, "Quit", self.close, QKeySequence.Quit)
        e = m.addMenu("&Edit")
        self.act_undo = self._action(e, "Undo", self.undo, QKeySequence.Undo, "undo")
        self.act_redo = self._action(e, "Redo", self.redo, "Ctrl+Shift+Z", "redo")
        e.addSeparator()
        self._action(e, "Find", self.sidebar.focus_search, QKeySequence.Find, "search")
        v = m.addMenu("&View")
        v.addAction(self.inspector_dock.toggleViewAction())
        v.addAction(self.agent_dock.toggleViewAction())
        v.addAction(self.jobs_dock.toggleViewAction())
        g = m.addMenu("&Generate")
        for n, (kind, title) in enumerate((("image", "Image…"), ("video", "Video…"),
                                           ("music", "Music…"), ("voiceover", "Voiceover…"))):
            self._action(g, title, lambda _=False, k=kind: self.generation.generate(k),
                         "Ctrl+G" if n == 0 else f"Ctrl+Shift+{n + 1}")
        h = m.addMenu("&Help")
        self._action(h, "About Session Studio", self.about)

    def _connect(self) -> None:
        sb, cv, vw, ins = self.sidebar, self.canvas, self.viewer, self.inspector
        sb.sig_session_open_requested.connect(self.open_session)
        sb.sig_new_session_requested.connect(self.new_session)
        sb.sig_error.connect(self.show_error)
        cv.sig_item_open_requested.connect(self.open_item)
        cv.sig_preview_requested.connect(self.open_item)
        cv.sig_selection_changed.connect(self._selection_changed)
        cv.sig_selection_changed.connect(self.agent.set_selection)                  # Agent
        self.generation.sig_attach_to_agent_requested.connect(self._attach_to_agent)  # Agent
        self.agent.sig_filter_requested.connect(self._agent_filtered)                  # Agent
        cv.sig_use_requested.connect(self._use_requested)
        cv.sig_download_requested.connect(self.download)
        cv.sig_rename_requested.connect(self.rename_item)
        cv.sig_move_requested.connect(self.move_items)
        cv.sig_recipe_requested.connect(self.show_recipe)
        cv.sig_import_requested.connect(self.import_files)
        self.artboards.connect_sources(sidebar=sb, canvas=cv, viewer=vw)   # Artboards
        self.artboards.sig_message.connect(self.show_error)
        vw.sig_close_requested.connect(self.close_viewer)
        vw.sig_download_requested.connect(self.download)
        vw.sig_item_activated.connect(self.open_item)
        vw.sig_current_changed.connect(self.inspector.show_item)
        vw.sig_item_deleted.connect(lambda _id: self.statusBar().showMessage(
            "Moved to the trash. Ctrl+Z brings it back.", 6000))
        ins.sig_item_activated.connect(self.open_item)
        ins.sig_reuse_settings_requested.connect(self.generation.reuse)
        self.jobs.sig_cancel_requested.connect(self.generation.cancel)
        self.jobs.sig_retry_requested.connect(self.generation.retry)
        self.jobs.sig_open_item_requested.connect(self.open_item)
        self.jobs.sig_counts_changed.connect(self._job_counts)
        self.tasks.sig_error.connect(self.show_error)
        self.tasks.sig_busy_changed.connect(
            lambda n: self.busy_label.setText("Saving…" if n else ""))
        self.bridge.sig_changed.connect(self._library_changed)
        self._update_undo_labels()

    # -- persistence ---------------------------------------------------------------------
    def _restore(self) -> None:
        geometry = self.state.get_bytes("geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1280, 800)
        layout = self.state.get_bytes("window_state")
        if layout is not None:
            self.restoreState(layout)
        sizes = self.state.get_bytes("main_splitter")
        if sizes is not None:
            self.splitter.restoreState(sizes)
        panes = self.state.get_bytes("canvas_splitter")
        if panes is not None:
            self.canvas.restore_splitter_state(panes)
        last = self.settings.get("last_session_id")
        if last:
            try:
                L.get_session(self.lib, last)
            except StudioError:
                last = ""
        if not last:
            newest = L.list_sessions(self.lib, limit=1)
            last = newest[0].id if newest else ""
        if last:
            self.open_session(last)
        self.canvas.setFocus()    # keys act on the grid first, not on a sidebar button

    def save_state(self) -> None:
        self.state.set("geometry", self.saveGeometry())
        self.state.set("window_state", self.saveState())
        self.state.set("main_splitter", self.splitter.saveState())
        self.state.set("canvas_splitter", self.canvas.splitter_state())
        self.state.sync()

    def closeEvent(self, event) -> None:
        self.save_state()
        self.tasks.shutdown()          # first: a sync restart still running finishes...
        self.sync_status.shutdown()    # ...and its worker is stopped here
        self.thumbs.shutdown()
        if self._own_thumbnailer:      # its decodes stop before the library may close
            self.thumbnailer.close()   # (left in place: a job still adding items asks it
                                       # for a thumbnail and gets RuntimeError, handled)
        self.bridge.detach()
        super().closeEvent(event)

    # -- sessions and items ----------------------------------------------------------------
    def open_session(self, session_id: str) -> None:
        self.tasks.supersede(OPEN_ITEM)   # an item still being opened belongs to what was shown
        self.current_session = session_id
        self.close_viewer()
        self.artboards.leave()            # Artboards: a session shows its canvas
        self.canvas.open_session(session_id)
        self.agent.set_session(session_id)     # Agent
        self.sidebar.select_session(session_id)
        self.inspector.show_item(None)
        self.settings.set("last_session_id", session_id)
        self.tasks.write(lambda: L.open_session(self.lib, session_id=session_id),
                         done=lambda s: self.setWindowTitle(f"{s.name} — Session Studio"))

    def new_session(self) -> None:
        self.tasks.write(lambda: L.create_session(self.lib),
                         done=lambda ch: self.open_session(ch.created[0]))

    def open_item(self, item_id: str) -> None:
        """Open an item in the viewer; its session's ids (for previous/next) are read off
        the GUI thread, so a 100k-item session opens an item as fast as a small one."""
        def read():
            item = L.get_item(self.lib, item_id)
            pane = VISUAL_KINDS if item.kind in VISUAL_KINDS else AUDIO_KINDS   # arrows stay within the pane
            kinds = [k for k in self.canvas.shown_kinds() if k in pane] or [item.kind]
            return item, L.list_item_ids(self.lib, session_id=item.session_id, kinds=kinds)
        self.tasks.read_latest(OPEN_ITEM, read, done=self._show_in_viewer)

    def _show_in_viewer(self, result) -> None:
        item, sequence = result
        if item.session_id != self.current_session:
            self.open_session(item.session_id)
        self.viewer.open_item(item.id, sequence)
        self.stack.setCurrentWidget(self.viewer)
        self.viewer.setFocus()

    def close_viewer(self) -> None:
        self.tasks.supersede(OPEN_ITEM)
        if self.stack.currentWidget() is self.viewer:
            self.stack.setCurrentWidget(self.canvas)
            self.canvas.setFocus()

    def _selection_changed(self, ids: list) -> None:
        if len(ids) == 1:
            self.inspector.show_item(ids[0])
        elif ids:
            self.inspector.show_selection(ids)
        else:
            self.inspector.show_item(None)

    def _attach_to_agent(self, item_id: str) -> None:
        """Use with AI Agent: the agent dock comes forward with the item as 'it'."""
        self.agent_dock.show()
        self.agent_dock.raise_()
        self.agent.attach_item(item_id)

    def _agent_filtered(self, _kinds: list) -> None:
        """The agent stored a canvas filter in the session settings: show it."""
        if self.current_session is not None:
            self.canvas.open_session(self.current_session)

    def _use_requested(self, item_id: str, action_id: str) -> None:
        self.generation.use(item_id, action_id)

    def _job_counts(self, running: int, queued: int) -> None:
        if not running and not queued:
            self.jobs_label.setText("No jobs running")
        else:
            self.jobs_label.setText(f"{running} running" + (f", {queued} queued" if queued else ""))

    # -- undo --------------------------------------------------------------------------------
    def undo(self) -> None:
        self.tasks.write(self.lib.undo, done=lambda ch: self.statusBar().showMessage(
            f"Undid: {ch.label}", 5000))

    def redo(self) -> None:
        self.tasks.write(self.lib.redo, done=lambda ch: self.statusBar().showMessage(
            f"Redid: {ch.label}", 5000))

    def _update_undo_labels(self) -> None:
        undo, redo = self.lib.undo_label(), self.lib.redo_label()
        self.act_undo.setText(f"Undo {undo}" if undo else "Undo")
        self.act_undo.setEnabled(undo is not None)
        self.act_redo.setText(f"Redo {redo}" if redo else "Redo")
        self.act_redo.setEnabled(redo is not None)

    def _library_changed(self, changes) -> None:
        self._update_undo_labels()
        if changes.items:   # arrivals from sync name their items (blobs.download)
            self.thumbs.retry_pending()
        if self.current_session in changes.sessions:
            try:
                s = L.get_session(self.lib, self.current_session)
                self.setWindowTitle(f"{s.name} — Session Studio")
            except StudioError:
                pass

    def show_error(self, message: str) -> None:
        self.statusBar().showMessage(message, 10000)

    def about(self) -> None:
        from PySide6.QtWidgets import QMessageBox
        from .. import __version__
        QMessageBox.about(self, "Session Studio",
                          f"Session Studio {__version__}\nYour generated media, in sessions.\n"
                          f"Library: {self.lib.paths.library_dir}")


def run_window(lib: L.Library, *, registry=None, runner=None, watcher=None, sync=None) -> int:
    from .theme import apply_theme
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Session Studio")
    app.setDesktopFileName("sessionstudio")
    apply_theme(app)
    window = MainWindow(lib, registry=registry, runner=runner, watcher=watcher, sync=sync)
    window.show()
    QTimer.singleShot(0, window.raise_)
    return app.exec()
