"""The agent panel: the session's current conversation as chat bubbles, an input line,
'+' for a new conversation, History to restore an earlier one, which interpreter answers
(built-in or a model), and the item 'it' refers to.

Every agent call runs off the GUI thread through Tasks (a message on the pool, since a
model may take seconds; '+' on the serial writer); replies come back on the GUI thread.
Changes the agent makes reach the other views through the library's Changes like any
other edit; a canvas filter change is also announced with sig_filter_requested so the
owner can show it at once."""

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QApplication, QFrame, QHBoxLayout, QLineEdit, QListView,
                               QStackedWidget, QToolButton, QVBoxLayout, QWidget)

from ...core.errors import StudioError
from ...library import get_item
from ..icons import icon
from .agent_history import PAGE, HistoryPage
from .agent_messages import BubbleDelegate, ChatRow, MessageListModel
from .agent_widgets import STYLE, AttachmentChip, EmptyState, PanelHeader

THINKING = "Working on it…"


def _name(lib, item_id: str | None) -> str | None:
    if not item_id:
        return None
    try:
        return get_item(lib, item_id).name
    except StudioError:
        return None


class AgentPanel(QWidget):
    sig_filter_requested = Signal(list)          # kinds the canvas should show ([] = all)
    sig_replied = Signal(object)                 # agent.Reply, after it is shown (tests, status)

    def __init__(self, lib, tasks, bridge, agent, parent: QWidget | None = None):
        super().__init__(parent)
        self._lib, self._tasks, self._agent = lib, tasks, agent
        self.session_id: str | None = None
        self.conversation_id: str | None = None
        self._selection: list[str] = []
        self._attach: str | None = None          # None: no change; "": let go; id: attach
        self._busy_row: int | None = None
        self._sends = 0          # which message the "Working on it…" row belongs to
        self._creating = 0       # the New conversation click being written (0: none); sends wait
        self._shown = 0      # bumped whenever the list changes; a slower load then is stale
        self._build()
        self.setStyleSheet(STYLE)
        self.set_session(None)

    # -- construction ------------------------------------------------------------------
    def _build(self) -> None:
        self.header = PanelHeader(self)
        self.mode_label = self.header.mode_label
        self.new_button, self.history_button = self.header.new_button, self.header.history_button

        self.model = MessageListModel(self)
        self.view = QListView(self)
        self.view.setObjectName("agentMessages")
        self.view.setModel(self.model)
        self.view.setItemDelegate(BubbleDelegate(self.view))
        self.view.setResizeMode(QListView.Adjust)            # re-wrap bubbles on resize
        self.view.setVerticalScrollMode(QListView.ScrollPerPixel)
        self.view.setSelectionMode(QListView.SingleSelection)
        self.view.setFocusPolicy(Qt.ClickFocus)
        self.view.setViewportMargins(0, 6, 0, 6)
        self.empty = EmptyState(self)
        self.messages_stack = QStackedWidget(self)
        self.messages_stack.addWidget(self.empty)
        self.messages_stack.addWidget(self.view)
        self.chip = AttachmentChip(self)
        self.input = QLineEdit(self)
        self.input.setObjectName("agentInput")
        self.send_button = QToolButton(self)
        self.send_button.setObjectName("agentSend")
        self.send_button.setIcon(icon("send"))
        self.send_button.setToolTip("Send (Enter)")
        self.send_button.setCursor(Qt.PointingHandCursor)
        chips = QHBoxLayout()
        chips.setContentsMargins(10, 0, 10, 0)
        chips.addWidget(self.chip)
        chips.addStretch(1)
        row = QHBoxLayout()
        row.setContentsMargins(10, 4, 10, 10)
        row.setSpacing(6)
        row.addWidget(self.input, 1)
        row.addWidget(self.send_button)
        chat = QWidget(self)
        chat.setObjectName("agentChat")
        chat.setAttribute(Qt.WA_StyledBackground)
        chat_layout = QVBoxLayout(chat)
        chat_layout.setContentsMargins(0, 0, 0, 0)
        chat_layout.setSpacing(4)
        chat_layout.addWidget(self.messages_stack, 1)
        chat_layout.addLayout(chips)
        chat_layout.addLayout(row)

        self.history = HistoryPage(self)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(chat)
        self.pages.addWidget(self.history)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        rule = QFrame(self)
        rule.setObjectName("agentRule")
        layout.addWidget(self.header)
        layout.addWidget(rule)
        layout.addWidget(self.pages, 1)

        self.input.returnPressed.connect(self.send)
        self.send_button.clicked.connect(self.send)
        self.input.textChanged.connect(lambda _: self._update_enabled())
        self.new_button.clicked.connect(self.new_conversation)
        self.history_button.clicked.connect(self.show_history)
        self.history.sig_back_requested.connect(lambda: self.pages.setCurrentIndex(0))
        self.history.sig_more_requested.connect(self._load_history)
        self.history.sig_conversation_chosen.connect(self.restore)
        self.chip.sig_cleared.connect(self._let_go)
        self.empty.sig_suggestion_chosen.connect(self._suggest)
        QShortcut(QKeySequence.Copy, self.view, activated=self._copy)
        self.model.rowsInserted.connect(lambda *_: self._messages_changed())
        self.model.modelReset.connect(self._messages_changed)

    # -- what the owner calls ---------------------------------------------------------------
    def set_session(self, session_id: str | None) -> None:
        """Show the session's current conversation (the one it was last talked in)."""
        self.session_id, self.conversation_id = session_id, None
        self._attach, self._busy_row, self._creating = None, None, 0
        self._sends += 1         # a reply still on its way belongs to the session left
        self.model.set_rows([])
        self.header.set_title("")
        self.chip.show_item(None)
        self.pages.setCurrentIndex(0)
        self._update_enabled()
        if session_id is None:
            return
        agent, lib, shown = self._agent, self._lib, self._bump()

        def load():
            conv = agent.current_conversation(session_id)
            msgs = agent.messages(conv.id) if conv else []
            focus = agent.focus(conv.id) if conv else None
            return shown, conv.id if conv else None, msgs, _name(lib, focus), agent.interpreter_name()
        self._tasks.read(load, done=self._loaded)

    def attach_item(self, item_id: str) -> None:
        """'Use with AI Agent': talk about this item from the next message on."""
        self._attach = item_id
        self.pages.setCurrentIndex(0)

        def named(name):
            if self._attach == item_id:     # not sent or let go of meanwhile
                self.chip.show_item(name)
        self._tasks.read(lambda: _name(self._lib, item_id), done=named)
        self.input.setFocus()

    def set_selection(self, ids: list) -> None:
        self._selection = list(ids)

    # -- conversation -------------------------------------------------------------------------
    def send(self, text: str | None = None) -> None:
        text = (self.input.text() if text is None or not isinstance(text, str) else text).strip()
        if not text or self.session_id is None or self._busy_row is not None or self._creating:
            return
        self.input.clear()
        self._bump()
        if not self.model.rowCount():
            self.header.set_title(text)
        self.model.append(ChatRow("user", text))
        self._busy_row = self.model.append(ChatRow("assistant", THINKING, pending=True))
        self.view.scrollToBottom()
        self._update_enabled()
        agent, lib, sid, conv = self._agent, self._lib, self.session_id, self.conversation_id
        selected, attach = list(self._selection), self._attach
        self._attach = None
        self._sends += 1
        send_no = self._sends

        def run():
            reply = agent.send(sid, text, conversation_id=conv, selected=selected, attached=attach)
            return sid, reply, _name(lib, reply.focus)
        # On the pool, not the serial writer: a model may take seconds to answer, and the
        # window's other saves must not wait for it. The agent's writes go through
        # Library.write, serialised by the library's own lock. One message at a time per
        # conversation: the send button waits for the reply (New conversation and History
        # let go of a pending reply, which then lands in its own conversation).
        self._tasks.read(run, done=lambda r: self._replied(send_no, r),
                         failed=lambda exc: self._failed(send_no, exc))

    def new_conversation(self) -> None:
        if self.session_id is None:
            return
        sid, shown = self.session_id, self._bump()
        self.conversation_id, self._creating = None, shown
        self._drop_pending_reply()
        self._update_enabled()
        self.model.set_rows([])
        self.header.set_title("")
        self.chip.show_item(None)
        self._attach = None
        self.pages.setCurrentIndex(0)
        self._tasks.write(lambda: self._agent.new_conversation(sid),
                          done=lambda conv_id: self._set_conversation(shown, sid, conv_id),
                          failed=lambda exc: (self._set_conversation(shown, sid, None),
                                              self._tasks.sig_error.emit(str(exc))))

    def show_history(self) -> None:
        if self.session_id is None:
            return
        self.pages.setCurrentIndex(1)
        self._load_history(0)

    def restore(self, conversation_id: str) -> None:
        """Bring an earlier conversation back; the agent continues with its context."""
        agent, lib, shown = self._agent, self._lib, self._bump()
        self._drop_pending_reply()
        self.pages.setCurrentIndex(0)

        def load():
            return (shown, conversation_id, agent.messages(conversation_id),
                    _name(lib, agent.focus(conversation_id)), agent.interpreter_name())
        self._tasks.read(load, done=self._loaded)

    # -- results ------------------------------------------------------------------------------
    def _bump(self) -> int:
        self._shown += 1
        return self._shown

    def _loaded(self, result) -> None:
        shown, conv_id, msgs, focus_name, interpreter = result
        if shown != self._shown:       # the user went on (another session, a message) meanwhile
            return
        self.conversation_id = conv_id
        self.model.set_rows([ChatRow(m.role, m.text, question=bool(m.applied.get("question")))
                             for m in msgs])
        self.header.set_title(next((m.text for m in msgs if m.role == "user"), ""))
        if self._attach is None:   # reads run in parallel: an attach may have landed first
            self.chip.show_item(focus_name)
        self.header.show_mode(interpreter, "")
        self.view.scrollToBottom()

    def _set_conversation(self, shown: int, sid: str, conv_id: str | None) -> None:
        if sid != self.session_id or shown != self._creating:
            return                  # another session, or + was clicked again meanwhile
        self._creating = 0
        if shown == self._shown:    # not restored from History meanwhile
            self.conversation_id = conv_id
        self._update_enabled()

    def _replied(self, send_no: int, result) -> None:
        _sid, reply, focus_name = result
        if send_no == self._sends and self._busy_row is not None:
            row, self._busy_row = self._busy_row, None
            self.conversation_id = reply.conversation_id
            self.model.replace(row, ChatRow("assistant", reply.text, question=reply.question))
            if self._attach is None:     # an item attached while waiting stays "it"
                self.chip.show_item(focus_name)
            self.header.show_mode(reply.interpreter, reply.note)
            self.view.scrollToBottom()
        self._update_enabled()
        if reply.filters is not None:
            self.sig_filter_requested.emit(list(reply.filters))
        self.sig_replied.emit(reply)

    def _drop_pending_reply(self) -> None:
        """The list is about to show another conversation: a reply still on its way lands in
        the one it was asked in (History has it) and must not write into this list."""
        self._busy_row = None
        self._sends += 1

    def _failed(self, send_no: int, exc: BaseException) -> None:
        if send_no == self._sends and self._busy_row is not None:
            row, self._busy_row = self._busy_row, None
            text = str(exc) if isinstance(exc, StudioError) else f"Something went wrong: {exc}"
            self.model.replace(row, ChatRow("assistant", text))
        self._update_enabled()

    def _load_history(self, offset: int) -> None:
        agent, sid = self._agent, self.session_id
        self._tasks.read(lambda: (sid, agent.history(sid, offset=offset, limit=PAGE)),
                         done=lambda r: r[0] == self.session_id and self.history.show_page(r[1]))

    # -- small things ---------------------------------------------------------------------------
    def _let_go(self) -> None:
        self._attach = ""
        self.chip.show_item(None)

    def _suggest(self, text: str) -> None:
        self.input.setText(text)
        self.input.setFocus()

    def _copy(self) -> None:
        index = self.view.currentIndex()
        if index.isValid():
            QApplication.clipboard().setText(index.data(Qt.DisplayRole))

    def _messages_changed(self) -> None:
        self.messages_stack.setCurrentWidget(self.view if self.model.rowCount() else self.empty)

    def _update_enabled(self) -> None:
        ready = self.session_id is not None
        self.input.setEnabled(ready)
        self.input.setPlaceholderText("Ask the agent…" if ready else "Open a session to talk to "
                                      "the agent")
        idle = self._busy_row is None and not self._creating
        self.send_button.setEnabled(ready and idle and bool(self.input.text().strip()))
        self.new_button.setEnabled(ready)
        self.history_button.setEnabled(ready)
