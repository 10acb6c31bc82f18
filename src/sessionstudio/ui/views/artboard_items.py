"""What each kind of element looks like on a board: pictures and videos (a thumbnail,
then a sharper decode; a play badge on videos), track cards with a waveform and a play
button, sticky notes edited in place, and placeholders for items in the trash or gone.

The colours come from library/artboard_tiles.py, which draws the same things for
exports, so a board and its PNG look alike."""

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QImage, QPainter, QPen, QPixmap, QTransform
from PySide6.QtWidgets import QGraphicsItem, QGraphicsTextItem

from ...library import artboard_tiles as T
from .artboard_element import ElementItem
from .player import format_time


def rgb(colour, alpha: int = 255) -> QColor:
    return QColor(*colour, alpha)


def _font(px: float, bold: bool = False) -> QFont:
    f = QFont()
    f.setPixelSize(max(1, round(px)))
    f.setBold(bold)
    return f


def _elided(painter: QPainter, text: str, width: float) -> str:
    return painter.fontMetrics().elidedText(text, Qt.ElideRight, max(0, int(width)))


def paint_missing(painter: QPainter, rect: QRectF, status: str, name: str, radius: float) -> None:
    # Translucent greys: a placeholder reads the same on the light and the dark board.
    painter.setPen(QPen(QColor(128, 128, 145, 170), 1.2, Qt.DashLine))
    painter.setBrush(QColor(128, 128, 145, 45))
    painter.drawRoundedRect(rect.adjusted(0.6, 0.6, -0.6, -0.6), radius, radius)
    head = "Missing (in the trash)" if status == "trashed" else "Deleted from the library"
    painter.setPen(QColor(128, 128, 140))
    painter.setFont(_font(13, True))
    mid = rect.center().y()
    painter.drawText(QRectF(rect.left() + 8, mid - 20, rect.width() - 16, 18), Qt.AlignCenter,
                     _elided(painter, head, rect.width() - 16))
    painter.setFont(_font(12))
    painter.drawText(QRectF(rect.left() + 8, mid, rect.width() - 16, 18), Qt.AlignCenter,
                     _elided(painter, name, rect.width() - 16))


class PictureItem(ElementItem):
    """An image or a video: the picture covers the rectangle (cropped, never stretched)."""
    keeps_aspect = True

    def __init__(self, element, parent=None):
        super().__init__(element, parent)
        self.pixmap: QPixmap | None = None
        self.resolution = 0          # longest side of the picture shown, in pixels
        self.progress: float | None = None   # while a video plays in place

    @property
    def kind(self) -> str:
        return self.element.item.kind if self.element.item else ""

    def set_image(self, image: QImage | None, *, sharp: bool = False) -> None:
        """Show a picture; a thumbnail never replaces a sharper one already shown."""
        if image is None or image.isNull():
            return
        longest = max(image.width(), image.height())
        if not sharp and longest <= self.resolution:
            return
        self.pixmap = QPixmap.fromImage(image)
        self.resolution = longest
        self.update()

    def play_rect(self) -> QRectF:
        r = self.rect()
        d = max(16.0, min(r.width(), r.height()) * 0.22)
        return QRectF(r.center().x() - d / 2, r.center().y() - d / 2, d, d)

    def paint_content(self, painter: QPainter, rect: QRectF) -> None:
        status = self.element.status
        if status != "ok":
            paint_missing(painter, rect, status, self.element.item.name if self.element.item else "",
                          self.radius)
            return
        painter.setPen(Qt.NoPen)
        if self.pixmap is None:
            painter.setBrush(QColor(128, 128, 140, 60))
            painter.drawRoundedRect(rect, self.radius, self.radius)
        else:
            pw, ph = self.pixmap.width(), self.pixmap.height()
            # Cover, leaving one source pixel outside on each side: a texture brush wraps
            # around, so smoothing at an edge pixel would blend in the opposite edge.
            s = max(rect.width() / max(1, pw - 2), rect.height() / max(1, ph - 2))
            t = QTransform()
            t.translate(rect.center().x() - pw * s / 2, rect.center().y() - ph * s / 2)
            t.scale(s, s)
            brush = QBrush(self.pixmap)
            brush.setTransform(t)         # a textured rounded rect: smooth corners, no clip path
            painter.setBrush(brush)
            painter.drawRoundedRect(rect, self.radius, self.radius)
        if self.kind == "video":
            self._paint_video_overlay(painter, rect)

    def _paint_video_overlay(self, painter: QPainter, rect: QRectF) -> None:
        if self.progress is not None:          # playing: a thin progress line, no badge
            painter.setBrush(QColor(255, 255, 255, 70))
            bar = QRectF(rect.left() + 8, rect.bottom() - 9, rect.width() - 16, 3)
            painter.drawRoundedRect(bar, 1.5, 1.5)
            painter.setBrush(rgb(T.ACCENT))
            painter.drawRoundedRect(QRectF(bar.left(), bar.top(), bar.width() * self.progress, 3), 1.5, 1.5)
            return
        p = self.play_rect()
        painter.setBrush(QColor(0, 0, 0, 130))
        painter.drawEllipse(p)
        c, t = p.center(), p.width() * 0.2
        painter.setBrush(QColor(255, 255, 255, 235))
        painter.drawPolygon([QPointF(c.x() - t * 0.7, c.y() - t), QPointF(c.x() - t * 0.7, c.y() + t),
                             QPointF(c.x() + t, c.y())])
        ms = self.element.item.duration_ms
        if ms:
            painter.setFont(_font(11, True))
            label = format_time(max(1000, ms))
            w = painter.fontMetrics().horizontalAdvance(label) + 12
            box = QRectF(rect.right() - w - 6, rect.bottom() - 24, w, 18)
            painter.setBrush(QColor(0, 0, 0, 150))
            painter.drawRoundedRect(box, 6, 6)
            painter.setPen(QColor(255, 255, 255, 240))
            painter.drawText(box, Qt.AlignCenter, label)


class TrackItem(ElementItem):
    """A music or voiceover card: play button, title, kind and length, waveform."""

    def __init__(self, element, parent=None):
        super().__init__(element, parent)
        self.peaks: list[float] | None = None
        self.progress: float | None = None
        self.playing = False

    def set_peaks(self, peaks) -> None:
        self.peaks = list(peaks) if peaks else None
        self.update()

    def play_rect(self) -> QRectF:
        r = self.rect()
        d = min(36.0, r.height() - 28)
        return QRectF(r.left() + 14, r.top() + 14, max(12.0, d), max(12.0, d))

    def paint_content(self, painter: QPainter, rect: QRectF) -> None:
        e = self.element
        if e.status != "ok":
            paint_missing(painter, rect, e.status, e.item.name if e.item else "", self.radius)
            return
        painter.setPen(QPen(QColor(255, 255, 255, 20), 1))   # an edge on the dark board too
        painter.setBrush(rgb(T.TRACK_FILL))
        painter.drawRoundedRect(rect.adjusted(0.5, 0.5, -0.5, -0.5), self.radius, self.radius)
        painter.setPen(Qt.NoPen)
        p = self.play_rect()
        painter.setBrush(rgb(T.ACCENT))
        painter.drawEllipse(p)
        c, t = p.center(), p.width() * 0.21
        painter.setBrush(QColor("#ffffff"))
        if self.playing:
            painter.drawRect(QRectF(c.x() - t * 0.8, c.y() - t, t * 0.55, 2 * t))
            painter.drawRect(QRectF(c.x() + t * 0.25, c.y() - t, t * 0.55, 2 * t))
        else:
            painter.drawPolygon([QPointF(c.x() - t * 0.6, c.y() - t), QPointF(c.x() - t * 0.6, c.y() + t),
                                 QPointF(c.x() + t, c.y())])
        x, width = p.right() + 10, rect.right() - p.right() - 24
        painter.setPen(rgb(T.TRACK_TEXT))
        painter.setFont(_font(14, True))
        painter.drawText(QRectF(x, p.top() - 1, width, 19), Qt.AlignLeft | Qt.AlignVCenter,
                         _elided(painter, e.item.name, width))
        painter.setPen(rgb(T.TRACK_MUTED))
        painter.setFont(_font(11))
        length = format_time(max(1000, e.item.duration_ms)) if e.item.duration_ms else ""
        sub = " · ".join(s for s in (e.item.kind.title(), length) if s)
        painter.drawText(QRectF(x, p.top() + 19, width, 16), Qt.AlignLeft | Qt.AlignVCenter, sub)
        self._paint_wave(painter, QRectF(rect.left() + 14, p.bottom() + 8,
                                         rect.width() - 28, rect.bottom() - p.bottom() - 22))

    def _paint_wave(self, painter: QPainter, r: QRectF) -> None:
        if r.height() < 3:
            return
        bar, gap = 3.0, 2.0
        n = max(1, int(r.width() // (bar + gap)))
        peaks = self.peaks or [0.05] * n
        mid, reach = r.center().y(), r.height() / 2
        painter.setPen(Qt.NoPen)
        done = self.progress if self.progress is not None else -1
        for i in range(n):
            v = max(0.06, peaks[min(len(peaks) - 1, int(i * len(peaks) / n))])
            painter.setBrush(QColor("#ffffff") if (i + 0.5) / n <= done else rgb(T.WAVE))
            painter.drawRoundedRect(QRectF(r.left() + i * (bar + gap), mid - v * reach, bar, 2 * v * reach),
                                    1.5, 1.5)


class _NoteText(QGraphicsTextItem):
    """The note's text; editable only while editing (otherwise clicks move the note)."""

    def focusOutEvent(self, event) -> None:
        super().focusOutEvent(event)
        if event.reason() != Qt.PopupFocusReason:     # the text's own context menu
            self.parentItem().finish_edit()

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key_Escape:
            self.clearFocus()
            return
        super().keyPressEvent(event)


class NoteItem(ElementItem):
    radius = T.RADIUS * 0.6

    def __init__(self, element, parent=None):
        super().__init__(element, parent)
        self.setFlag(QGraphicsItem.ItemClipsChildrenToShape, False)
        self.text_item = _NoteText(self)
        self.text_item.setDefaultTextColor(rgb(T.NOTE_TEXT))
        self.text_item.setFont(_font(T.NOTE_FONT))
        self.text_item.setPos(T.NOTE_PADDING - 4, T.NOTE_PADDING - 4)   # the document's own margin is 4
        self.text_item.setAcceptedMouseButtons(Qt.NoButton)
        self.text_item.setPlainText(element.text)
        self.editing = False
        self.resized_live()

    def resized_live(self) -> None:
        self.text_item.setTextWidth(max(10.0, self.rect().width() - 2 * T.NOTE_PADDING + 8))

    def content_changed(self, old) -> None:
        self.resized_live()
        if not self.editing and self.text_item.toPlainText() != self.element.text:
            self.text_item.setPlainText(self.element.text)

    def paint_content(self, painter: QPainter, rect: QRectF) -> None:
        painter.setPen(Qt.NoPen)
        painter.setBrush(rgb(T.NOTE_FILL))
        painter.drawRoundedRect(rect, self.radius, self.radius)
        if not self.text_item.toPlainText() and not self.editing:
            painter.setPen(QColor(*T.NOTE_TEXT, 120))
            painter.setFont(_font(T.NOTE_FONT))
            painter.drawText(rect.adjusted(T.NOTE_PADDING, T.NOTE_PADDING, -T.NOTE_PADDING, 0),
                             Qt.AlignLeft | Qt.AlignTop, "Double-click to write")

    def start_edit(self) -> None:
        self.editing = True
        self.text_item.setTextInteractionFlags(Qt.TextEditorInteraction)
        self.text_item.setAcceptedMouseButtons(Qt.AllButtons)
        self.text_item.setFocus(Qt.MouseFocusReason)
        cursor = self.text_item.textCursor()
        cursor.movePosition(cursor.MoveOperation.End)
        self.text_item.setTextCursor(cursor)
        self.update()

    def finish_edit(self) -> None:
        if not self.editing:
            return
        self.editing = False
        self.text_item.setTextInteractionFlags(Qt.NoTextInteraction)
        self.text_item.setAcceptedMouseButtons(Qt.NoButton)
        cursor = self.text_item.textCursor()
        cursor.clearSelection()
        self.text_item.setTextCursor(cursor)
        text = self.text_item.toPlainText()
        needed = self.text_item.boundingRect().height() + 2 * T.NOTE_PADDING - 8
        scene = self.scene()
        if scene is not None and hasattr(scene, "commit_note"):
            scene.commit_note(self, text, needed if needed > self.rect().height() else None)
        self.update()

    def mouseDoubleClickEvent(self, event) -> None:
        self.start_edit()
        event.accept()


def make_item(element) -> ElementItem:
    if element.kind == "note":
        return NoteItem(element)
    if element.item is not None and element.item.kind in ("music", "voiceover"):
        return TrackItem(element)
    return PictureItem(element)
