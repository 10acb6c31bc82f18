"""The base of every element on a board: its rectangle, a soft shadow, the selection
outline with corner handles, dragging a handle to resize (media keep their aspect).

Moving is Qt's own (ItemIsMovable moves every selected element together); the scene
commits the result on mouse release. Sizes of handles and outlines are in screen
pixels: the scene tells each element the current zoom (`set_view_scale`)."""

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsObject

from ...library.artboard_elements import MIN_SIDE
from ...library.artboard_tiles import RADIUS
from ..theme import ACCENT

HANDLE_PX = 9.0        # a handle's side on screen
SHADOW = 10.0          # how far the shadow reaches, board pixels
_CORNERS = ((0, 0), (1, 0), (0, 1), (1, 1))   # (fx, fy): 0 = left/top, 1 = right/bottom


class ElementItem(QGraphicsObject):
    keeps_aspect = False       # pictures and videos resize with their aspect
    radius = RADIUS

    def __init__(self, element, parent=None):
        super().__init__(parent)
        self.element = element
        self._rect = QRectF(0, 0, element.w, element.h)
        self._scale = 1.0
        self._drag = None          # (corner, press position, rect in scene) while resizing
        self.setFlags(QGraphicsItem.ItemIsSelectable | QGraphicsItem.ItemIsMovable)
        self.setAcceptHoverEvents(True)
        self.setCacheMode(QGraphicsItem.NoCache)
        self._place(element)

    # -- the element's data ------------------------------------------------------------
    @property
    def element_id(self) -> str:
        return self.element.id

    def _place(self, e) -> None:
        self.prepareGeometryChange()
        self._rect = QRectF(0, 0, e.w, e.h)
        self.setPos(e.x, e.y)
        self.setZValue(e.z)
        self.setTransformOriginPoint(e.w / 2, e.h / 2)
        self.setRotation(e.rotation)

    def set_element(self, e) -> None:
        """The catalog's current state of this element (geometry and content)."""
        old, self.element = self.element, e
        if (old.x, old.y, old.w, old.h, old.z, old.rotation) != (e.x, e.y, e.w, e.h, e.z, e.rotation):
            self._place(e)
        self.content_changed(old)
        self.update()

    def content_changed(self, old) -> None:
        """Subclasses refresh what they show (a note's text, an item's state)."""

    def rect(self) -> QRectF:
        return QRectF(self._rect)

    def scene_rect(self) -> QRectF:
        return QRectF(self.pos(), self._rect.size())

    def set_view_scale(self, scale: float) -> None:
        if scale != self._scale:
            self.prepareGeometryChange()
            self._scale = scale

    def handle_size(self) -> float:
        return HANDLE_PX / max(self._scale, 1e-3)

    # -- geometry ------------------------------------------------------------------------
    def boundingRect(self) -> QRectF:
        m = max(SHADOW, self.handle_size())
        return self._rect.adjusted(-m, -m, m, m + 3)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRect(self._rect)
        if self.isSelected():
            for corner in _CORNERS:
                path.addRect(self._handle_rect(corner))
        return path

    def _handle_rect(self, corner) -> QRectF:
        s = self.handle_size()
        x = self._rect.left() + corner[0] * self._rect.width()
        y = self._rect.top() + corner[1] * self._rect.height()
        return QRectF(x - s / 2, y - s / 2, s, s)

    def corner_at(self, pos: QPointF):
        if not self.isSelected():
            return None
        grow = self.handle_size() * 0.4           # a little easier to hit than to see
        for corner in _CORNERS:
            if self._handle_rect(corner).adjusted(-grow, -grow, grow, grow).contains(pos):
                return corner
        return None

    # -- painting ------------------------------------------------------------------------
    def paint(self, painter: QPainter, option, widget=None) -> None:
        painter.setRenderHint(QPainter.Antialiasing)
        painter.setRenderHint(QPainter.SmoothPixmapTransform)
        self._paint_shadow(painter)
        self.paint_content(painter, self._rect)
        if self.isSelected():
            self._paint_selection(painter)

    def paint_content(self, painter: QPainter, rect: QRectF) -> None:
        raise NotImplementedError

    def _paint_shadow(self, painter: QPainter) -> None:
        painter.setPen(Qt.NoPen)
        for i, alpha in enumerate((22, 14, 8, 4)):       # a cheap soft shadow, light from above
            grow = 1.0 + i * 2.2
            painter.setBrush(QColor(20, 20, 40, alpha))
            painter.drawRoundedRect(self._rect.adjusted(-grow, -grow + 3, grow, grow + 3),
                                    self.radius + grow, self.radius + grow)

    def _paint_selection(self, painter: QPainter) -> None:
        px = 1.0 / max(self._scale, 1e-3)
        pen = QPen(ACCENT, 2 * px)
        painter.setPen(pen)
        painter.setBrush(Qt.NoBrush)
        painter.drawRoundedRect(self._rect.adjusted(-px, -px, px, px), self.radius, self.radius)
        painter.setPen(QPen(ACCENT, 1.5 * px))
        painter.setBrush(QColor("#ffffff"))
        for corner in _CORNERS:
            painter.drawRoundedRect(self._handle_rect(corner), 2 * px, 2 * px)

    # -- resizing ------------------------------------------------------------------------
    def hoverMoveEvent(self, event) -> None:
        corner = self.corner_at(event.pos())
        if corner is None:
            self.unsetCursor()
        else:
            self.setCursor(Qt.SizeFDiagCursor if corner in ((0, 0), (1, 1)) else Qt.SizeBDiagCursor)
        super().hoverMoveEvent(event)

    def mousePressEvent(self, event) -> None:
        corner = self.corner_at(event.pos()) if event.button() == Qt.LeftButton else None
        if corner is not None:
            self._drag = (corner, event.scenePos(), self.scene_rect())
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:
        if self._drag is None:
            super().mouseMoveEvent(event)
            return
        (fx, fy), start, r = self._drag
        d = event.scenePos() - start
        w = max(MIN_SIDE, r.width() + (d.x() if fx else -d.x()))
        h = max(MIN_SIDE, r.height() + (d.y() if fy else -d.y()))
        if self.keeps_aspect and r.height() > 0:
            aspect = r.width() / r.height()
            w, h = (w, w / aspect) if abs(d.x()) >= abs(d.y()) * aspect else (h * aspect, h)
        x = r.left() if fx else r.right() - w            # the opposite corner stays put
        y = r.top() if fy else r.bottom() - h
        self.prepareGeometryChange()
        self._rect = QRectF(0, 0, w, h)
        self.setTransformOriginPoint(w / 2, h / 2)
        self.setPos(x, y)
        self.resized_live()

    def resized_live(self) -> None:
        """Subclasses lay out children (a note's text, a playing video) for a new size."""

    def mouseReleaseEvent(self, event) -> None:
        if self._drag is not None:
            self._drag = None
            scene = self.scene()
            if scene is not None and hasattr(scene, "commit_resize"):
                scene.commit_resize(self)
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def is_resizing(self) -> bool:
        return self._drag is not None
