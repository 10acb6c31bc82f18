"""The viewer's two pages. ImageCanvas: fit by default, zoom with the wheel or keys, pan
by dragging; scene coordinates are the image's full-size pixels, so a thumbnail shown
first (scaled up) and the full image that replaces it keep the same zoom and position.
MediaPage: the player for a video (with its start/end frames and references below) or
an audio track (a card with its title and waveform)."""

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QImage, QImageReader, QPainter, QPixmap
from PySide6.QtWidgets import (QFrame, QGraphicsPixmapItem, QGraphicsScene, QGraphicsView, QLabel,
                               QVBoxLayout, QWidget)

from ...core.errors import MediaError
from .inspector_fields import Details, ThumbRow, input_thumbs, muted, subtitle
from .player import MediaPlayerWidget

MIN_ZOOM, MAX_ZOOM, STEP = 0.02, 32.0, 1.25
_STRIP_ROLES = (("start_frame", "Start frame"), ("end_frame", "End frame"), ("reference", "Reference"))
_UNLIMITED = 16777215


def decode_image(path) -> QImage:
    """The full image, oriented, scaled down only past Qt's allocation limit.
    Runs on a worker thread (QImage, not QPixmap)."""
    reader = QImageReader(str(path))
    reader.setDecideFormatFromContent(True)
    reader.setAutoTransform(True)
    size, limit = reader.size(), QImageReader.allocationLimit() * 1024 * 1024 // 4
    if size.isValid() and limit > 0 and size.width() * size.height() > limit:
        f = (limit / (size.width() * size.height())) ** 0.5 * 0.98
        reader.setScaledSize(QSize(int(size.width() * f), int(size.height() * f)))
    img = reader.read()
    if img.isNull():
        raise MediaError(f"This image cannot be shown: {reader.errorString()}")
    return img


class ImageCanvas(QGraphicsView):
    sig_zoom_changed = Signal(float)  # the scale: 1.0 is 100 %

    def __init__(self, parent=None):
        super().__init__(parent)
        self._scene = QGraphicsScene(self)
        self._item = QGraphicsPixmapItem()
        self._item.setTransformationMode(Qt.SmoothTransformation)
        self._scene.addItem(self._item)
        self.setScene(self._scene)
        self._fit = True
        self._full = False
        self.setFrameShape(QFrame.NoFrame)
        self.setBackgroundBrush(QColor("#18181c"))
        self.setRenderHints(QPainter.Antialiasing | QPainter.SmoothPixmapTransform)
        self.setDragMode(QGraphicsView.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.AnchorViewCenter)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.StrongFocus)

    # -- content -----------------------------------------------------------------------
    def set_image(self, image: QImage | None, width: int | None = None, height: int | None = None,
                  *, full: bool = False) -> None:
        """Show `image` at the size width × height (the original's), keeping the view.
        A preview never replaces a full image already shown."""
        if image is None or image.isNull():
            if not self._full:
                self._item.setPixmap(QPixmap())
            return
        if self._full and not full:
            return
        w, h = width or image.width(), height or image.height()
        self._item.setPixmap(QPixmap.fromImage(image))
        self._item.setScale(w / image.width())
        self._scene.setSceneRect(QRectF(0, 0, w, h))
        self._full = full
        if self._fit:
            self.fit()

    def clear(self) -> None:
        self._item.setPixmap(QPixmap())
        self._full = False
        self._fit = True
        self.resetTransform()

    def has_full_image(self) -> bool:
        return self._full

    def shown_pixmap(self) -> QPixmap:
        return self._item.pixmap()

    # -- zoom --------------------------------------------------------------------------
    def zoom(self) -> float:
        return self.transform().m11()

    def is_fit(self) -> bool:
        return self._fit

    def fit(self) -> None:
        self._fit = True
        rect = self._scene.sceneRect()
        if rect.isEmpty():
            return
        self.fitInView(rect, Qt.KeepAspectRatio)
        self.sig_zoom_changed.emit(self.zoom())

    def actual_size(self) -> None:
        self._set_zoom(1.0)

    def zoom_in(self) -> None:
        self._set_zoom(self.zoom() * STEP)

    def zoom_out(self) -> None:
        self._set_zoom(self.zoom() / STEP)

    def _set_zoom(self, scale: float, anchor_mouse: bool = False) -> None:
        scale = min(MAX_ZOOM, max(MIN_ZOOM, scale))
        self._fit = False
        self.setTransformationAnchor(QGraphicsView.AnchorUnderMouse if anchor_mouse
                                     else QGraphicsView.AnchorViewCenter)
        factor = scale / self.zoom()
        self.scale(factor, factor)
        self.setTransformationAnchor(QGraphicsView.AnchorUnderMouse)
        self.sig_zoom_changed.emit(self.zoom())

    # -- events ------------------------------------------------------------------------
    def wheelEvent(self, event) -> None:
        delta = event.angleDelta().y()
        if delta:
            self._set_zoom(self.zoom() * (1.0015 ** delta), anchor_mouse=True)
        event.accept()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self._fit:
            self.fit()

    def keyPressEvent(self, event) -> None:
        event.ignore()  # the viewer owns the keys (arrows go to the next item, not a scroll)


class MediaPage(QWidget):
    sig_item_activated = Signal(str)

    def __init__(self, thumbs, parent: QWidget | None = None):
        super().__init__(parent)
        self._thumbs = thumbs
        self.title = QLabel(self)
        font = QFont(self.title.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setWeight(QFont.DemiBold)
        self.title.setFont(font)
        self.subtitle = muted(QLabel(self))
        self.player = MediaPlayerWidget(self)
        self.strip = ThumbRow(thumbs, size=56, parent=self)
        self.strip.sig_activated.connect(self.sig_item_activated)
        self._card = QFrame(self)
        self._card.setObjectName("mediaCard")
        col = QVBoxLayout(self._card)
        col.setSpacing(2)
        col.addWidget(self.title)
        col.addWidget(self.subtitle)
        col.addSpacing(14)
        col.addWidget(self.player, 1)
        col.addSpacing(8)
        col.addWidget(self.strip)
        self._outer = QVBoxLayout(self)
        self._outer.setContentsMargins(24, 16, 24, 16)
        self._outer.addStretch(0)
        self._outer.addWidget(self._card, 1)
        self._outer.addStretch(0)
        self._asset = None
        if hasattr(thumbs, "waveform"):
            thumbs.sig_ready.connect(self._on_wave_ready)

    def show_media(self, d: Details, path) -> None:
        """Load the item's media: a video starts playing, a track waits for Play."""
        item, audio = d.item, d.item.kind != "video"
        self._asset = item.asset_hash if audio else None
        self.title.setText(item.name)
        self.subtitle.setText(subtitle(item))
        self.title.setVisible(audio)
        self.subtitle.setVisible(audio)
        # Audio: a card of a comfortable width, centred; video: the whole page.
        self.player.setMaximumHeight(150 if audio else _UNLIMITED)
        self._card.setMaximumWidth(760 if audio else _UNLIMITED)
        self._card.setMinimumWidth(min(760, max(320, self.width() - 48)) if audio else 0)
        for index, stretch in enumerate((1, 0, 1) if audio else (0, 1, 0)):
            self._outer.setStretch(index, stretch)
        self._outer.setAlignment(self._card, Qt.AlignHCenter if audio else Qt.Alignment())
        self._card.setStyleSheet("QFrame#mediaCard { background: palette(base); border: 1px solid"
                                 " palette(mid); border-radius: 12px; }" if audio else "")
        self._card.layout().setContentsMargins(*((24, 20, 24, 16) if audio else (0, 0, 0, 0)))
        thumbs = []
        for role, caption in _STRIP_ROLES:
            for t in input_thumbs(d, role, caption):
                t.caption = caption
                thumbs.append(t)
        self.strip.set_thumbs(thumbs)
        self.strip.setVisible(bool(thumbs))
        self.player.load(path, item.kind, item.mime)
        if audio:
            waveform = getattr(self._thumbs, "waveform", None)
            self.player.set_waveform(waveform(item.asset_hash) if waveform else None)
        else:
            self.player.play()

    def set_title(self, name: str) -> None:
        self.title.setText(name)

    def _on_wave_ready(self, asset_hash: str) -> None:
        if asset_hash == self._asset:
            self.player.set_waveform(self._thumbs.waveform(asset_hash))
