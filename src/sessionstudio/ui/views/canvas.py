"""The media canvas of a session: images and videos on the left, music and voiceovers on
the right, filter chips above.

Unfiltered, both panes show side by side (drag the splitter to resize them); choosing
only visual kinds hides the audio pane and vice versa. Filters are remembered per
session. Hover buttons and keys become library operations (favorite, trash) or
`sig_*_requested` intents for the owner (open, use, rename, move, download)."""

from functools import partial

from PySide6.QtCore import QByteArray, QEvent, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QMenu, QSplitter, QStackedWidget, QVBoxLayout,
                               QWidget)

from ...core.errors import NotFound
from ...core.models import AUDIO_KINDS, KINDS, VISUAL_KINDS
from ...engines.actions import unavailable_reason, use_actions
from ...library import get_item, get_session, set_favorite, set_session_settings, trash_items
from ..widgets.filter_chips import CHIPS, FilterChips
from .artboard_menu import artboard_menu
from .audio_pane import AudioPane
from .visual_pane import VisualPane, dropped_paths

EMPTY_TEXT = "Nothing here yet — generate or drop files to add them."


def _filtered_empty_text(kinds: list[str]) -> str:
    names = [title.lower() for kind, title in CHIPS if kind in kinds]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
    return f"No {listed} in this session yet — generate or drop files to add them."


class MediaCanvas(QWidget):
    sig_use_requested = Signal(str, str)         # item id, UseAction id
    sig_rename_requested = Signal(str)
    sig_move_requested = Signal(list, bool)      # item ids, copy (True) or move (False)
    sig_recipe_requested = Signal(str)
    sig_download_requested = Signal(list)
    sig_item_open_requested = Signal(str)
    sig_preview_requested = Signal(str)
    sig_import_requested = Signal(list)          # file paths dropped from the OS
    sig_selection_changed = Signal(list)         # selected ids, both panes
    sig_playback_changed = Signal(str, bool)
    sig_error = Signal(str)
    sig_add_to_artboard_requested = Signal(list, str)   # item ids, board id ('' = a new board)

    def __init__(self, lib, tasks, bridge, thumbs, parent: QWidget | None = None, *,
                 providers: dict | None = None):
        super().__init__(parent)
        self._lib, self._tasks = lib, tasks
        self._providers = providers
        self._artboard_choices = None      # set_artboard_choices
        self._session_id: str | None = None
        self._kinds: list[str] = []
        self._both_state: QByteArray | None = None
        self._syncing = False
        self._menu: QMenu | None = None

        self.title = QLabel(self)
        font = QFont(self.title.font())
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setWeight(QFont.DemiBold)
        self.title.setFont(font)
        self.title.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.chips = FilterChips(self)
        header = QHBoxLayout()
        header.setContentsMargins(14, 10, 14, 8)
        header.addWidget(self.title, 1)
        header.addWidget(self.chips)

        self.visual = VisualPane(lib, tasks, bridge, thumbs, self)
        self.audio = AudioPane(lib, tasks, bridge, thumbs, self)
        self.splitter = QSplitter(Qt.Horizontal, self)
        self.splitter.addWidget(self.visual)
        self.splitter.addWidget(self.audio)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setHandleWidth(7)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.empty_label = QLabel(EMPTY_TEXT, self)
        self.empty_label.setAlignment(Qt.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setEnabled(False)   # muted text in light and dark palettes
        font = QFont(self.empty_label.font())
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.empty_label.setFont(font)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.splitter)
        self.stack.addWidget(self.empty_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(header)
        layout.addWidget(self.stack, 1)
        self.setAcceptDrops(True)   # the empty state takes drops too
        # The grid gets the focus first (keys act on items), then the list, then the chips.
        self.setFocusProxy(self.visual.view)
        chain = [self.visual.view, self.audio.view] + [self.chips.button(k) for k, _ in CHIPS]
        for first, second in zip(chain, chain[1:]):
            QWidget.setTabOrder(first, second)

        self.chips.sig_kinds_changed.connect(self._on_chips)
        for pane in (self.visual, self.audio):
            pane.sig_import_requested.connect(self.sig_import_requested)
            pane.sig_tile_action.connect(self._on_tile_action)
            pane.sig_open_requested.connect(self.sig_item_open_requested)
            pane.sig_selection_changed.connect(partial(self._on_pane_selection, pane))
            pane.view.installEventFilter(self)
            for sig in (pane.model.rowsInserted, pane.model.rowsRemoved, pane.model.modelReset):
                sig.connect(self._update_empty)
        self.audio.sig_playback_changed.connect(self.sig_playback_changed)
        self.audio.sig_error.connect(self.sig_error)
        bridge.sig_changed.connect(self._on_library_changed)
        # The files a drag out would hand over are made once the selection settles.
        self._drag_timer = QTimer(self, singleShot=True, interval=150)
        self._drag_timer.timeout.connect(self._prepare_drag)
        self.sig_selection_changed.connect(lambda _ids: self._drag_timer.start())
        self._update_empty()

    # -- sessions and filters ------------------------------------------------------------
    def open_session(self, session_id: str | None) -> None:
        """Show a session (None: nothing), with the filters it was left with."""
        self._session_id = session_id
        kinds: list[str] = []
        if session_id is not None:
            session = get_session(self._lib, session_id)
            self.title.setText(session.name)
            kinds = [k for k in session.settings.get("filters") or [] if k in KINDS]
        else:
            self.title.setText("")
        self.chips.blockSignals(True)
        self.chips.set_kinds(kinds)
        self.chips.blockSignals(False)
        self._apply_kinds(kinds)

    def shown_kinds(self) -> list[str]:
        """The kinds the chips let through (all of them when none is chosen)."""
        return list(self._kinds) or list(KINDS)

    def current_session_id(self) -> str | None:
        return self._session_id

    def set_artboard_choices(self, choices) -> None:
        """() -> [(board id, name)], newest first: the boards the Add to Artboard menu lists."""
        self._artboard_choices = choices

    def set_use_providers(self, providers: dict | None) -> None:
        """(kind, action id) -> engine name, from the engine registry: enables Use actions."""
        self._providers = providers

    def _on_chips(self, kinds: list[str]) -> None:
        self._apply_kinds(kinds)
        sid, lib = self._session_id, self._lib
        if sid is not None:
            self._tasks.write(lambda: set_session_settings(lib, session_id=sid, filters=kinds))

    def _apply_kinds(self, kinds: list[str]) -> None:
        self._kinds = list(kinds)
        shown = kinds or list(KINDS)
        visual = [k for k in VISUAL_KINDS if k in shown]
        audio = [k for k in AUDIO_KINDS if k in shown]
        both_before = not self.visual.isHidden() and not self.audio.isHidden()
        if both_before and not (visual and audio):
            self._both_state = self.splitter.saveState()   # to come back to
        self.visual.set_session(self._session_id, visual)
        self.audio.set_session(self._session_id, audio)
        had_focus = self.visual.view.hasFocus() or self.audio.view.hasFocus()
        self.visual.setVisible(bool(visual))
        self.audio.setVisible(bool(audio))
        shown_view = (self.visual if visual else self.audio).view
        self.setFocusProxy(shown_view)
        if had_focus:   # keep keyboard focus on the items, not on whatever comes next
            shown_view.setFocus()
        if visual and audio and not both_before and self._both_state is not None:
            self.splitter.restoreState(self._both_state)
        self._update_empty()

    def _update_empty(self, *_args) -> None:
        empty = self.visual.model.rowCount() + self.audio.model.rowCount() == 0
        self.empty_label.setText(_filtered_empty_text(self._kinds) if self._kinds else EMPTY_TEXT)
        self.stack.setCurrentWidget(self.empty_label if empty else self.splitter)

    def _on_library_changed(self, changes) -> None:
        sid = self._session_id
        if sid is None or sid not in changes.sessions:
            return
        try:
            self.title.setText(get_session(self._lib, sid).name)
        except NotFound:   # purged: the owner opens another session
            self.title.setText("")

    # -- splitter --------------------------------------------------------------------------
    def splitter_state(self) -> bytes:
        """The pane sizes with both panes showing, for the owner to persist."""
        both = not self.visual.isHidden() and not self.audio.isHidden()
        state = self.splitter.saveState() if both or self._both_state is None else self._both_state
        return bytes(state.data())

    def restore_splitter_state(self, state: bytes) -> bool:
        data = QByteArray(bytes(state))
        ok = self.splitter.restoreState(data)
        if ok:
            self._both_state = data
            shown = self._kinds or list(KINDS)   # restoreState may have changed visibility
            self.visual.setVisible(any(k in shown for k in VISUAL_KINDS))
            self.audio.setVisible(any(k in shown for k in AUDIO_KINDS))
        return ok

    # -- selection -------------------------------------------------------------------------
    def selected_ids(self) -> list[str]:
        return self.visual.selected_ids() + self.audio.selected_ids()

    def select(self, ids) -> None:
        self._syncing = True
        try:
            self.visual.select(ids)
            self.audio.select(ids)
        finally:
            self._syncing = False
        self.sig_selection_changed.emit(self.selected_ids())

    def _on_pane_selection(self, pane) -> None:
        if self._syncing:
            return
        other = self.audio if pane is self.visual else self.visual
        extend = QGuiApplication.keyboardModifiers() & (Qt.ControlModifier | Qt.ShiftModifier | Qt.MetaModifier)
        if pane.selected_ids() and not extend and other.selected_ids():
            self._syncing = True   # a plain click in one pane starts a new selection
            other.view.clearSelection()
            self._syncing = False
        self.sig_selection_changed.emit(self.selected_ids())

    def _prepare_drag(self) -> None:
        for pane in (self.visual, self.audio):
            pane.model.prepare_drag(pane.selected_ids())

    def _targets(self, item_id: str) -> list[str]:
        selected = self.selected_ids()
        return selected if item_id in selected else [item_id]

    # -- actions ---------------------------------------------------------------------------
    def _item(self, item_id: str):
        return (self.visual.model.cached_item(item_id) or self.audio.model.cached_item(item_id)
                or get_item(self._lib, item_id))

    def use_menu_for(self, item_id: str) -> QMenu:
        """The Use menu of an item: every action of its kind; those no engine provides are
        disabled with the reason as tooltip."""
        kind = self._item(item_id).kind
        menu = QMenu(self)
        menu.setToolTipsVisible(True)
        menu.setMinimumWidth(220)
        menu.addSection(f"Use {kind.title()}")
        for action in use_actions(kind):
            entry = menu.addAction(action.title)
            reason = unavailable_reason(kind, action, self._providers)
            if reason:
                entry.setEnabled(False)
                entry.setToolTip(reason)
                entry.setStatusTip(reason)
            else:
                entry.triggered.connect(partial(self.sig_use_requested.emit, item_id, action.id))
        return menu

    def more_menu_for(self, item_id: str) -> QMenu:
        targets = self._targets(item_id)
        menu = QMenu(self)
        menu.setToolTipsVisible(True)
        rename = menu.addAction("Rename…", partial(self.sig_rename_requested.emit, item_id))
        rename.setEnabled(len(targets) == 1)
        menu.addMenu(artboard_menu(menu, self._artboard_choices,
                                   partial(self.sig_add_to_artboard_requested.emit, targets)))
        menu.addSeparator()
        menu.addAction("Move to session…", partial(self.sig_move_requested.emit, targets, False))
        menu.addAction("Copy to session…", partial(self.sig_move_requested.emit, targets, True))
        menu.addSeparator()
        menu.addAction("Show recipe", partial(self.sig_recipe_requested.emit, item_id))
        return menu

    def toggle_favorite(self, item_id: str) -> None:
        favorite, ids, lib = not self._item(item_id).favorite, self._targets(item_id), self._lib
        models = (self.visual.model, self.audio.model)
        for model in models:
            model.show_edit(ids, favorite=favorite)

        def failed(exc):
            for model in models:
                model.forget(ids)
            self._tasks.sig_error.emit(str(exc))
        self._tasks.write(lambda: set_favorite(lib, item_ids=ids, favorite=favorite), failed=failed)

    def trash(self, ids: list[str]) -> None:
        """Move items to the trash (the owner's Undo brings them back)."""
        if ids:
            ids, lib = list(ids), self._lib
            self._tasks.write(lambda: trash_items(lib, item_ids=ids))

    def _on_tile_action(self, item_id: str, action: str, where: QPoint) -> None:
        if action == "use":
            self._popup(self.use_menu_for(item_id), where)
        elif action == "more":
            self._popup(self.more_menu_for(item_id), where)
        elif action == "download":
            self.sig_download_requested.emit(self._targets(item_id))
        elif action == "favorite":
            self.toggle_favorite(item_id)
        elif action == "delete":
            self.trash(self._targets(item_id))

    def _popup(self, menu: QMenu, where: QPoint) -> None:
        if self._menu is not None:
            self._menu.close()
            self._menu.deleteLater()
        self._menu = menu
        menu.popup(where)

    # -- keys and drops --------------------------------------------------------------------
    def eventFilter(self, obj, event) -> bool:
        if event.type() != QEvent.KeyPress or obj not in (self.visual.view, self.audio.view):
            return False
        key, mods = event.key(), event.modifiers() & ~Qt.KeypadModifier
        if key in (Qt.Key_Delete, Qt.Key_Backspace) and mods == Qt.NoModifier:
            self.trash(self.selected_ids())
            return True
        if key == Qt.Key_F2 and mods == Qt.NoModifier:
            ids = self.selected_ids()
            if len(ids) == 1:
                self.sig_rename_requested.emit(ids[0])
            return True
        if key == Qt.Key_Space and mods == Qt.NoModifier:
            if obj is self.audio.view:
                item_id = self.audio.current_index_id() or next(iter(self.audio.selected_ids()), None)
                if item_id:
                    self.audio.toggle(item_id)
            elif self.visual.current_id():
                self.sig_preview_requested.emit(self.visual.current_id())
            return True
        return False

    def dragEnterEvent(self, event) -> None:
        event.acceptProposedAction() if dropped_paths(event.mimeData()) else event.ignore()

    def dropEvent(self, event) -> None:
        paths = dropped_paths(event.mimeData())
        if paths:
            event.acceptProposedAction()
            self.sig_import_requested.emit(paths)
