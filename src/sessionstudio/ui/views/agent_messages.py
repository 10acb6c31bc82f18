"""The agent conversation as a list model and a delegate painting chat bubbles: yours on
the right in the accent colour, the agent's on the left; one row per message, no widget
per message. Text is laid out with QTextDocument (wraps long words too), cached by
text and width so scrolling does not lay out again."""

from dataclasses import dataclass
from functools import lru_cache

from PySide6.QtCore import QAbstractListModel, QModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QAbstractTextDocumentLayout, QColor, QFont, QPainter, QPalette, QTextDocument, QTextOption
from PySide6.QtWidgets import QStyledItemDelegate

from ..theme import ACCENT

MessageRole = Qt.UserRole + 1
PAD_X, PAD_Y = 12, 8              # inside a bubble
GAP = 6                           # between bubbles
SIDE = 10                         # between a bubble and the list's edge
MAX_SHARE = 0.82                  # of the list's width a bubble may take
RADIUS = 14


@dataclass
class ChatRow:
    role: str                     # user | assistant | note
    text: str
    pending: bool = False         # the agent is still working on it
    question: bool = False


class MessageListModel(QAbstractListModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[ChatRow] = []

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role in (Qt.DisplayRole, Qt.ToolTipRole):
            return row.text
        if role == MessageRole:
            return row
        return None

    def set_rows(self, rows: list[ChatRow]) -> None:
        """A whole conversation (opening a session, restoring from History)."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def append(self, row: ChatRow) -> int:
        n = len(self._rows)
        self.beginInsertRows(QModelIndex(), n, n)
        self._rows.append(row)
        self.endInsertRows()
        return n

    def replace(self, n: int, row: ChatRow) -> None:
        if 0 <= n < len(self._rows):
            self._rows[n] = row
            idx = self.index(n)
            self.dataChanged.emit(idx, idx)

    def rows(self) -> list[ChatRow]:
        return list(self._rows)


@lru_cache(maxsize=512)
def _document(text: str, width: int, font_key: str) -> QTextDocument:
    doc = QTextDocument()
    font = QFont()
    font.fromString(font_key)
    doc.setDefaultFont(font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapAtWordBoundaryOrAnywhere)
    doc.setDefaultTextOption(option)
    doc.setDocumentMargin(0)
    doc.setPlainText(text)
    doc.setTextWidth(width)
    doc.setTextWidth(min(width, doc.idealWidth() + 1))   # short messages get short bubbles
    return doc


class BubbleDelegate(QStyledItemDelegate):
    def __init__(self, view):
        super().__init__(view)
        self._view = view

    def _layout(self, option, row: ChatRow) -> QTextDocument:
        width = max(80, int((self._view.viewport().width() - 2 * SIDE) * MAX_SHARE) - 2 * PAD_X)
        font = QFont(option.font)
        if row.pending:
            font.setItalic(True)
        return _document(row.text or " ", width, font.toString())

    def sizeHint(self, option, index) -> QSize:
        row = index.data(MessageRole)
        doc = self._layout(option, row)
        return QSize(int(doc.size().width()) + 2 * PAD_X,
                     int(doc.size().height()) + 2 * PAD_Y + GAP)

    def paint(self, painter: QPainter, option, index) -> None:
        row: ChatRow = index.data(MessageRole)
        doc = self._layout(option, row)
        w, h = doc.size().width() + 2 * PAD_X, doc.size().height() + 2 * PAD_Y
        r = option.rect
        mine = row.role == "user"
        x = r.right() - SIDE - w if mine else r.left() + SIDE
        bubble = QRectF(x, r.top() + GAP / 2, w, h)
        pal = option.palette
        painter.save()
        painter.setRenderHint(QPainter.Antialiasing)
        if mine:
            fill, text, border = ACCENT, QColor("#ffffff"), Qt.NoPen
        else:
            fill = pal.color(QPalette.AlternateBase)
            text = pal.color(QPalette.PlaceholderText if row.pending else QPalette.Text)
            border = QColor(ACCENT) if row.question else pal.color(QPalette.Mid)
        painter.setPen(border)
        painter.setBrush(fill)
        painter.drawRoundedRect(bubble.adjusted(0.5, 0.5, -0.5, -0.5), RADIUS, RADIUS)
        painter.translate(bubble.left() + PAD_X, bubble.top() + PAD_Y)
        ctx = QAbstractTextDocumentLayout.PaintContext()
        ctx.palette.setColor(QPalette.Text, text)
        doc.documentLayout().draw(painter, ctx)
        painter.restore()
