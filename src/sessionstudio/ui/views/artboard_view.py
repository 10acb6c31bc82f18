"""The board's viewport: zoom with Ctrl+wheel or a pinch (around the pointer), pan with
the wheel, a middle-button drag or Space+drag, rubber-band selection, fit to content,
a dotted background. Keys: Delete removes the selection, + / - zoom, 0 fits, 1 is 100 %."""

import math

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPainter, QPalette, QPen, QPolygonF
from PySide6.QtWidgets import QFrame, QGraphicsView

MIN_ZOOM, MAX_ZOOM = 0.05, 8.0
EMPTY_HINT = "An empty board — use “Add to Artboard” on any item, or add a note."
_WORLD = 200_000.0


class ArtboardView(QGraphicsView):
    sig_zoom_changed = Signal(float)
    sig_delete_requested = Signal()

    def __init__(self, scene, parent=None):
        super().__init__(scene, parent)
        self.setFrameShape(QFrame.NoFrame)
        self.setRenderHints(QPainter.Antialiasing | QPainter.SmoothPixmapTransform
                            | QPainter.TextAntialiasing)
        self.setViewportUpdateMode(QGraphicsView.FullViewportUpdate)   # shadows stay clean
        self.setDragMode(QGraphicsView.RubberBandDrag)
        self.setRubberBandSelectionMode(Qt.IntersectsItemShape)
        self.setTransformationAnchor(QGraphicsView.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.AnchorViewCenter)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.setSceneRect(QRectF(-_WORLD / 2, -_WORLD / 2, _WORLD, _WORLD))   # pan anywhere
        self.setFocusPolicy(Qt.StrongFocus)
        self.viewport().grabGesture(Qt.PinchGesture)
        self._pan_from: QPointF | None = None
        self._space = False
        # Sharper decodes follow the zoom, but not every wheel notch.
        self._settle = QTimer(self, singleShot=True, interval=150)
        self._settle.timeout.connect(scene.sharpen_all)

    # -- zoom -------------------------------------------------------------------------------
    def zoom(self) -> float:
        return self.transform().m11()

    def set_zoom(self, zoom: float, *, around_pointer: bool = False) -> None:
        zoom = min(MAX_ZOOM, max(MIN_ZOOM, zoom))
        if not around_pointer:
            self.setTransformationAnchor(QGraphicsView.AnchorViewCenter)
        factor = zoom / self.zoom()
        self.scale(factor, factor)
        self.setTransformationAnchor(QGraphicsView.AnchorUnderMouse)
        self._zoomed()

    def zoom_by(self, factor: float, *, around_pointer: bool = False) -> None:
        self.set_zoom(self.zoom() * factor, around_pointer=around_pointer)

    def fit_to_content(self) -> None:
        """Everything on the board in view, never enlarged past 100 %."""
        rect = self.scene().content_rect()
        if rect.isEmpty():
            self.resetTransform()
            self.centerOn(0, 0)
        else:
            margin = 48 / max(self.zoom(), 1e-3)
            self.fitInView(rect.adjusted(-margin, -margin, margin, margin), Qt.KeepAspectRatio)
            if self.zoom() > 1.0:
                self.resetTransform()
            self.centerOn(rect.center())
        self._zoomed()

    def _zoomed(self) -> None:
        self.scene().set_view_scale(self.zoom(), sharpen=False)
        self._settle.start()
        self.sig_zoom_changed.emit(self.zoom())
        self.viewport().update()

    # -- wheel, gestures, panning ---------------------------------------------------------------
    def wheelEvent(self, event) -> None:
        delta = event.angleDelta()
        if event.modifiers() & (Qt.ControlModifier | Qt.MetaModifier):
            self.zoom_by(math.pow(1.0015, delta.y() or delta.x()), around_pointer=True)
        else:
            step = event.pixelDelta() if not event.pixelDelta().isNull() else delta / 2
            dx, dy = step.x(), step.y()
            if event.modifiers() & Qt.ShiftModifier and not dx:
                dx, dy = dy, 0
            self._pan_by(dx, dy)
        event.accept()

    def viewportEvent(self, event) -> bool:
        if event.type() == QEvent.NativeGesture and event.gestureType() == Qt.ZoomNativeGesture:
            self.zoom_by(1.0 + event.value(), around_pointer=True)    # trackpad pinch (macOS)
            return True
        if event.type() == QEvent.Gesture:
            pinch = event.gesture(Qt.PinchGesture)
            if pinch is not None:                                      # touch screens
                self.zoom_by(pinch.scaleFactor())
                return True
        return super().viewportEvent(event)

    def _pan_by(self, dx: float, dy: float) -> None:
        h, v = self.horizontalScrollBar(), self.verticalScrollBar()
        h.setValue(h.value() - round(dx))
        v.setValue(v.value() - round(dy))

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.MiddleButton or (event.button() == Qt.LeftButton and self._space):
            self._pan_from = event.position()
            self.viewport().setCursor(Qt.ClosedHandCursor)
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:
        if self._pan_from is not None:
            d = event.position() - self._pan_from
            self._pan_from = event.position()
            self._pan_by(d.x(), d.y())
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event) -> None:
        if self._pan_from is not None:
            self._pan_from = None
            self.viewport().setCursor(Qt.OpenHandCursor if self._space else Qt.ArrowCursor)
            event.accept()
            return
        super().mouseReleaseEvent(event)

    # -- keys ---------------------------------------------------------------------------------
    def keyPressEvent(self, event) -> None:
        if self.scene().editing():
            super().keyPressEvent(event)              # typing in a note
            return
        key, mods = event.key(), event.modifiers() & ~Qt.KeypadModifier
        if key == Qt.Key_Space and not event.isAutoRepeat():
            self._space = True
            self.viewport().setCursor(Qt.OpenHandCursor)
        elif key in (Qt.Key_Delete, Qt.Key_Backspace) and mods == Qt.NoModifier:
            self.sig_delete_requested.emit()
        elif key in (Qt.Key_Plus, Qt.Key_Equal):
            self.zoom_by(1.25)
        elif key in (Qt.Key_Minus, Qt.Key_Underscore):
            self.zoom_by(0.8)
        elif key == Qt.Key_0 and mods == Qt.NoModifier:
            self.fit_to_content()
        elif key == Qt.Key_1 and mods == Qt.NoModifier:
            self.set_zoom(1.0)
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def keyReleaseEvent(self, event) -> None:
        if event.key() == Qt.Key_Space and not event.isAutoRepeat():
            self._space = False
            if self._pan_from is None:
                self.viewport().unsetCursor()
        super().keyReleaseEvent(event)

    # -- painting -----------------------------------------------------------------------------
    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:
        dark = self.palette().color(QPalette.Window).lightness() < 128
        painter.fillRect(rect, QColor("#1b1c21") if dark else QColor("#f3f3f6"))
        step = 24.0
        while step * self.zoom() < 14:                 # dots stay ~14+ px apart when zoomed out
            step *= 4
        dot = QColor(255, 255, 255, 26) if dark else QColor(20, 20, 60, 40)
        pen = QPen(dot, 2.2 / self.zoom())
        pen.setCapStyle(Qt.RoundCap)
        painter.setPen(pen)
        x0, y0 = math.floor(rect.left() / step) * step, math.floor(rect.top() / step) * step
        cols = int((rect.right() - x0) / step) + 1
        rows = int((rect.bottom() - y0) / step) + 1
        # One batched call: thousands of separate ellipses would slow every drag.
        painter.drawPoints(QPolygonF([QPointF(x0 + c * step, y0 + r * step)
                                      for r in range(rows) for c in range(cols)]))

    def drawForeground(self, painter: QPainter, rect: QRectF) -> None:
        scene = self.scene()
        if scene.board_id is None or scene.board is None or scene.element_items():
            return
        painter.save()
        painter.resetTransform()
        painter.setPen(self.palette().color(QPalette.PlaceholderText))
        painter.drawText(self.viewport().rect().adjusted(24, 0, -24, 0),
                         Qt.AlignCenter | Qt.TextWordWrap, EMPTY_HINT)
        painter.restore()
