"""The History page of the agent panel: this session's past conversations, newest first,
with title and date, 20 at a time and a 'Show more' button; clicking one restores it."""

import time
from datetime import datetime

from PySide6.QtCore import QAbstractListModel, QModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (QApplication, QHBoxLayout, QLabel, QListView, QPushButton, QStyle,
                               QStyledItemDelegate, QToolButton, QVBoxLayout, QWidget)

from ..icons import icon

PAGE = 20
ConversationRole = Qt.UserRole + 1


def when(ms: int, now: float | None = None) -> str:
    """'Today 14:05', 'Yesterday 09:12', '3 Mar 14:05', '3 Mar 2024'."""
    t = datetime.fromtimestamp(ms / 1000)
    today = datetime.fromtimestamp(time.time() if now is None else now).date()
    days = (today - t.date()).days
    if days == 0:
        return f"Today {t:%H:%M}"
    if days == 1:
        return f"Yesterday {t:%H:%M}"
    if t.year == today.year:
        return f"{t.day} {t:%b %H:%M}"
    return f"{t.day} {t:%b %Y}"


class ConversationListModel(QAbstractListModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list = []

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        conv = self._rows[index.row()]
        if role == Qt.DisplayRole:
            return conv.title or "Untitled conversation"
        if role == Qt.ToolTipRole:
            return conv.title
        if role == ConversationRole:
            return conv
        return None

    def set_rows(self, rows: list) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def extend(self, rows: list) -> None:
        """'Show more': the next page goes below, the rows already shown stay."""
        if not rows:
            return
        n = len(self._rows)
        self.beginInsertRows(QModelIndex(), n, n + len(rows) - 1)
        self._rows.extend(rows)
        self.endInsertRows()


class ConversationDelegate(QStyledItemDelegate):
    def sizeHint(self, option, index) -> QSize:
        return QSize(200, option.fontMetrics.height() * 2 + 16)

    def paint(self, painter, option, index) -> None:
        conv = index.data(ConversationRole)
        self.initStyleOption(option, index)
        option.text = ""
        style = option.widget.style() if option.widget else QApplication.style()
        style.drawControl(QStyle.CE_ItemViewItem, option, painter, option.widget)
        r = option.rect.adjusted(12, 8, -12, -8)
        fm, line = option.fontMetrics, option.fontMetrics.height()
        selected = bool(option.state & QStyle.State_Selected)
        painter.save()
        font = painter.font()
        font.setWeight(font.Weight.DemiBold)
        painter.setFont(font)
        painter.setPen(option.palette.color(QPalette.HighlightedText if selected else QPalette.Text))
        title = index.data(Qt.DisplayRole)
        painter.drawText(QRect(r.left(), r.top(), r.width(), line), Qt.AlignLeft | Qt.AlignVCenter,
                         fm.elidedText(title, Qt.ElideRight, r.width()))
        font.setWeight(font.Weight.Normal)
        painter.setFont(font)
        if not selected:
            painter.setPen(option.palette.color(QPalette.PlaceholderText))
        painter.drawText(QRect(r.left(), r.top() + line, r.width(), line),
                         Qt.AlignLeft | Qt.AlignVCenter, when(conv.created_at))
        painter.restore()


class HistoryPage(QWidget):
    sig_back_requested = Signal()
    sig_more_requested = Signal(int)            # offset of the next page
    sig_conversation_chosen = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("agentHistory")
        self.setAttribute(Qt.WA_StyledBackground)
        self.back_button = QToolButton(self)
        self.back_button.setIcon(icon("back"))
        self.back_button.setToolTip("Back to the conversation")
        self.back_button.setAutoRaise(True)
        title = QLabel("History", self)
        font = title.font()
        font.setWeight(font.Weight.DemiBold)
        title.setFont(font)
        header = QHBoxLayout()
        header.setContentsMargins(4, 0, 4, 0)
        header.addWidget(self.back_button)
        header.addWidget(title, 1)
        self.model = ConversationListModel(self)
        self.view = QListView(self)
        self.view.setModel(self.model)
        self.view.setItemDelegate(ConversationDelegate(self.view))
        self.view.setUniformItemSizes(True)
        self.view.setCursor(Qt.PointingHandCursor)
        self.empty_label = QLabel("No earlier conversations in this session.", self)
        self.empty_label.setAlignment(Qt.AlignCenter)
        self.empty_label.setEnabled(False)
        self.more_button = QPushButton("Show more", self)
        self.more_button.setFlat(True)
        self.more_button.setCursor(Qt.PointingHandCursor)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        layout.addLayout(header)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty_label, 1)
        layout.addWidget(self.more_button, 0, Qt.AlignHCenter)
        self.back_button.clicked.connect(self.sig_back_requested)
        self.more_button.clicked.connect(lambda: self.sig_more_requested.emit(self.model.rowCount()))
        self.view.clicked.connect(self._chosen)
        self.view.activated.connect(self._chosen)
        self.show_page(None)

    def show_page(self, page) -> None:
        """A HistoryPage from the agent: the first one replaces the list, later ones add."""
        if page is None or page.offset == 0:
            self.model.set_rows(page.conversations if page else [])
        else:
            self.model.extend(page.conversations)
        empty = self.model.rowCount() == 0
        self.view.setVisible(not empty)
        self.empty_label.setVisible(empty)
        self.more_button.setVisible(bool(page and page.has_more))

    def _chosen(self, index) -> None:
        conv = index.data(ConversationRole)
        if conv is not None:
            self.sig_conversation_chosen.emit(conv.id)
