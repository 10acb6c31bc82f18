"""Painting grid tiles (thumbnail, badges, name) and their hover actions.

Thumbnails come from ThumbnailProvider (never decoded here); a tile whose image is not
ready yet paints a neutral placeholder and is remembered, so the view can repaint just
that tile when `sig_ready(asset_hash)` arrives. Hover buttons are hit-tested in
`editorEvent` and reported through a small `TileActions` object the view owns."""

from PySide6.QtCore import (QEvent, QModelIndex, QObject, QPersistentModelIndex, QPoint, QPointF, QRect,
                            QRectF, QSize, Qt, Signal)
from PySide6.QtGui import (QColor, QFont, QLinearGradient, QPainter, QPainterPath, QPen, QPixmap,
                           QPixmapCache, QPolygonF)
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QToolTip

from ..models.item_model import IdRole, ItemRole

HOVER_ACTIONS = ("download", "favorite", "more", "delete")   # icon buttons, left to right
ACTION_TIPS = {"use": "Use", "download": "Download", "favorite": "Favorite",
               "more": "More", "delete": "Delete", "play": "Play"}


class TileActions(QObject):
    """What a hover button asked for: (item id, action, global point to open a menu at)."""
    sig_action = Signal(str, str, QPoint)


def format_duration(ms: int | None) -> str:
    seconds = max(0, round((ms or 0) / 1000))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def blend(a: QColor, b: QColor, t: float) -> QColor:
    return QColor(round(a.red() + (b.red() - a.red()) * t), round(a.green() + (b.green() - a.green()) * t),
                  round(a.blue() + (b.blue() - a.blue()) * t))


def _glyph(name: str) -> tuple[QPainterPath, bool]:
    """A 24x24 vector glyph (the shapes of resources/icons) and whether it is filled."""
    p = QPainterPath()
    if name == "download":
        p.moveTo(12, 4); p.lineTo(12, 15); p.moveTo(7, 10); p.lineTo(12, 15); p.lineTo(17, 10)
        p.moveTo(5, 20); p.lineTo(19, 20)
    elif name in ("favorite", "star"):
        pts = [(12, 3.5), (14.6, 8.8), (20.5, 9.7), (16.2, 13.8), (17.2, 19.6), (12, 16.9),
               (6.8, 19.6), (7.8, 13.8), (3.5, 9.7), (9.4, 8.8)]
        p.addPolygon(QPolygonF([QPointF(x, y) for x, y in pts])); p.closeSubpath()
        return p, name == "star"
    elif name == "more":
        for x in (5, 12, 19):
            p.addEllipse(QPointF(x, 12), 1.7, 1.7)
        return p, True
    elif name == "delete":
        p.moveTo(4, 7); p.lineTo(20, 7); p.moveTo(9, 7); p.lineTo(9, 4); p.lineTo(15, 4); p.lineTo(15, 7)
        p.moveTo(6, 7); p.lineTo(7, 20); p.lineTo(17, 20); p.lineTo(18, 7)
    elif name == "play":
        p.addPolygon(QPolygonF([QPointF(8, 5), QPointF(19, 12), QPointF(8, 19)])); p.closeSubpath()
        return p, True
    elif name == "pause":
        p.addRoundedRect(QRectF(7, 5, 3.5, 14), 1, 1); p.addRoundedRect(QRectF(13.5, 5, 3.5, 14), 1, 1)
        return p, True
    elif name == "use":
        pts = [(12, 3), (14.5, 8.5), (20, 11), (14.5, 13.5), (12, 19), (9.5, 13.5), (4, 11), (9.5, 8.5)]
        p.addPolygon(QPolygonF([QPointF(x, y) for x, y in pts])); p.closeSubpath()
        return p, True
    elif name == "cloud":   # on its way from another device
        p.moveTo(7, 18); p.cubicTo(3, 18, 2.5, 12.5, 6.5, 11.5); p.cubicTo(7, 6.5, 14, 5, 16, 9.5)
        p.cubicTo(20.5, 9, 22.5, 14, 19.5, 16.5); p.moveTo(12, 12); p.lineTo(12, 20)
        p.moveTo(9.5, 17.5); p.lineTo(12, 20); p.lineTo(14.5, 17.5)
    elif name in ("image", "broken"):
        p.addRoundedRect(QRectF(3, 5, 18, 14), 2.5, 2.5)
        p.moveTo(3, 16); p.lineTo(9, 11); p.lineTo(14, 16); p.moveTo(13, 14); p.lineTo(16, 12); p.lineTo(21, 16)
        if name == "broken":
            p.moveTo(4, 3); p.lineTo(20, 21)
    return p, False


def draw_glyph(painter: QPainter, name: str, rect: QRectF | QRect, color: QColor, width: float = 1.9) -> None:
    path, filled = _glyph(name)
    rect = QRectF(rect)
    painter.save()
    painter.translate(rect.topLeft())
    painter.scale(rect.width() / 24, rect.height() / 24)
    painter.setRenderHint(QPainter.Antialiasing)
    pen = QPen(color, width, Qt.SolidLine, Qt.RoundCap, Qt.RoundJoin)
    painter.setPen(pen)
    painter.setBrush(color if filled else Qt.NoBrush)
    painter.drawPath(path)
    painter.restore()


def draw_icon_button(painter: QPainter, rect: QRect, glyph: str, hovered: bool,
                     color: QColor = QColor(255, 255, 255)) -> None:
    """A round, dark, translucent button with a white glyph (readable on any image)."""
    painter.save()
    painter.setRenderHint(QPainter.Antialiasing)
    painter.setPen(Qt.NoPen)
    painter.setBrush(QColor(0, 0, 0, 200 if hovered else 130))
    painter.drawEllipse(QRectF(rect))
    inset = rect.width() * 0.22
    draw_glyph(painter, glyph, QRectF(rect).adjusted(inset, inset, -inset, -inset), color)
    painter.restore()


class HoverDelegate(QStyledItemDelegate):
    """Hover tracking and button clicks, shared by grid tiles and audio rows: subclasses
    say where their buttons are (`hit`, `anchor`); a press on one emits it through
    `TileActions` and is consumed (no selection, drag or open)."""

    def __init__(self, actions: TileActions, view):
        super().__init__(view)
        self._actions = actions
        self._view = view
        self._hover = QPersistentModelIndex()
        self._hover_button: str | None = None
        self._waiting: dict[str, set[str]] = {}   # asset hash -> ids painted without it
        view.viewport().installEventFilter(self)

    def hit(self, rect: QRect, pos: QPoint) -> str | None:
        raise NotImplementedError

    def anchor(self, rect: QRect, button: str) -> QRect:
        """The button's rect, under which a menu opens."""
        raise NotImplementedError

    def tip(self, button: str, index) -> str:
        return ACTION_TIPS.get(button, "")

    def clicked(self, index, button: str, option, event) -> None:
        where = self._view.viewport().mapToGlobal(self.anchor(option.rect, button).bottomLeft() + QPoint(0, 4))
        self._actions.sig_action.emit(index.data(IdRole), button, where)

    def take_waiting(self, asset_hash: str) -> set[str]:
        """Ids of items painted while this asset's thumbnail or waveform was loading."""
        return self._waiting.pop(asset_hash, set())

    def _wait_for(self, asset_hash: str, item_id: str) -> None:
        self._waiting.setdefault(asset_hash, set()).add(item_id)

    def hovered_id(self) -> str | None:
        return self._hover.data(IdRole) if self._hover.isValid() else None

    def is_hovered(self, index) -> bool:
        return self._hover.isValid() and self._hover == index

    def editorEvent(self, event, model, option, index) -> bool:
        kind = event.type()
        if kind not in (QEvent.MouseMove, QEvent.MouseButtonPress, QEvent.MouseButtonRelease,
                        QEvent.MouseButtonDblClick):
            return False
        button = self.hit(option.rect, event.position().toPoint())
        if kind == QEvent.MouseMove:
            self._set_hover(index, button)
            return False
        if button is None or event.button() != Qt.LeftButton:
            return False
        if kind == QEvent.MouseButtonPress:
            self.clicked(index, button, option, event)
        return True   # the click belonged to the button

    def _set_hover(self, index, button: str | None) -> None:
        index = QPersistentModelIndex(index) if index.isValid() else QPersistentModelIndex()
        if index == self._hover and button == self._hover_button:
            return
        old, self._hover, self._hover_button = self._hover, index, button
        for idx in (old, index):
            if idx.isValid():
                self._view.viewport().update(self._view.visualRect(QModelIndex(idx)))
        self._view.viewport().setCursor(Qt.PointingHandCursor if button else Qt.ArrowCursor)

    def helpEvent(self, event, view, option, index) -> bool:
        button = self.hit(option.rect, event.pos())
        if button is not None:
            QToolTip.showText(event.globalPos(), self.tip(button, index), view)
            return True
        return super().helpEvent(event, view, option, index)

    def eventFilter(self, obj, event) -> bool:
        kind = event.type()
        if kind == QEvent.Leave or (kind == QEvent.MouseMove and not self._view.indexAt(
                event.position().toPoint()).isValid()):
            self._set_hover(QModelIndex(), None)   # left the view, or between items
        return False


class TileDelegate(HoverDelegate):
    PAD = 6        # around the card inside a cell
    NAME_H = 24    # the name line under the card

    def __init__(self, thumbs, actions: TileActions, view):
        super().__init__(actions, view)
        self._thumbs = thumbs
        self._tile = 192

    # -- geometry ----------------------------------------------------------------------
    @property
    def tile_size(self) -> int:
        return self._tile

    @tile_size.setter
    def tile_size(self, size: int) -> None:
        self._tile = int(size)

    def cell_size(self) -> QSize:
        return QSize(self._tile + 2 * self.PAD, self._tile + self.NAME_H + 2 * self.PAD)

    def sizeHint(self, option, index) -> QSize:
        return self.cell_size()

    def card_rect(self, cell: QRect) -> QRect:
        x = cell.x() + (cell.width() - self._tile) // 2
        return QRect(x, cell.y() + self.PAD, self._tile, self._tile)

    def button_rects(self, cell: QRect) -> dict[str, QRect]:
        card = self.card_rect(cell)
        margin = 8 if self._tile >= 140 else 6
        size = max(18, min(28, (self._tile - 2 * margin - 3 * 4) // 4))
        rects, x = {}, card.right() - margin - size + 1
        for action in reversed(HOVER_ACTIONS):
            rects[action] = QRect(x, card.top() + margin, size, size)
            x -= size + 4
        use_w = max(48, round(size * 2.3))
        rects["use"] = QRect(card.left() + margin, card.bottom() - margin - size + 1, use_w, size)
        return rects

    def hit(self, cell: QRect, pos: QPoint) -> str | None:
        for action, rect in self.button_rects(cell).items():
            if rect.contains(pos):
                return action
        return None

    def anchor(self, rect: QRect, button: str) -> QRect:
        return self.button_rects(rect)[button]

    # -- painting ------------------------------------------------------------------------
    def paint(self, painter: QPainter, option, index) -> None:
        item = index.data(ItemRole)
        pal = option.palette
        cell, card = option.rect, self.card_rect(option.rect)
        selected = bool(option.state & QStyle.State_Selected)
        radius = 10 if self._tile >= 160 else 8
        painter.save()
        painter.setRenderHint(QPainter.Antialiasing)
        painter.setRenderHint(QPainter.SmoothPixmapTransform)
        if selected:
            tint = QColor(pal.highlight().color())
            tint.setAlpha(48)
            painter.setPen(Qt.NoPen)
            painter.setBrush(tint)
            painter.drawRoundedRect(QRectF(cell).adjusted(1, 1, -1, -1), radius + 3, radius + 3)
        base, text = pal.base().color(), pal.text().color()
        clip = QPainterPath()
        clip.addRoundedRect(QRectF(card), radius, radius)
        painter.fillPath(clip, blend(base, text, 0.07))
        image = self._thumbs.image(item.asset_hash, item.kind) if item else None
        if image is not None:
            pix = self._scaled(item.asset_hash, image, card.size())
            target = QRect(QPoint(card.x() + (card.width() - pix.width()) // 2,
                                  card.y() + (card.height() - pix.height()) // 2), pix.size())
            shape = QPainterPath()
            shape.addRoundedRect(QRectF(target), radius, radius)
            painter.setClipPath(shape)
            painter.drawPixmap(target, pix)
            painter.setClipping(False)
        else:
            self._paint_placeholder(painter, card, item, blend(base, text, 0.3))
        hovered = self.is_hovered(index)
        if item is not None:
            self._paint_badges(painter, card, item, hide_star=hovered)
            if hovered:
                self._paint_overlay(painter, cell, clip, item)
        if selected:
            painter.setPen(QPen(pal.highlight().color(), 2.5))
            painter.setBrush(Qt.NoBrush)
            painter.drawRoundedRect(QRectF(card).adjusted(1, 1, -1, -1), radius, radius)
        name_rect = QRect(card.left() + 2, card.bottom() + 4, card.width() - 4, self.NAME_H - 4)
        font = QFont(option.font)
        font.setWeight(QFont.DemiBold if selected else QFont.Normal)
        painter.setFont(font)
        painter.setPen(pal.highlight().color() if selected else text)
        name = item.name if item else ""
        painter.drawText(name_rect, Qt.AlignLeft | Qt.AlignVCenter,
                         painter.fontMetrics().elidedText(name, Qt.ElideRight, name_rect.width()))
        painter.restore()

    def _scaled(self, asset_hash: str, image, size: QSize) -> QPixmap:
        key = f"tile:{asset_hash}:{size.width()}x{size.height()}"
        pix = QPixmapCache.find(key)
        if pix is None or pix.isNull():
            pix = QPixmap.fromImage(image.scaled(size, Qt.KeepAspectRatio, Qt.SmoothTransformation))
            QPixmapCache.insert(key, pix)
        return pix

    def _paint_placeholder(self, painter: QPainter, card: QRect, item, color: QColor) -> None:
        failed = item is not None and self._thumbs.failed(item.asset_hash)
        pending = item is not None and self._thumbs.pending(item.asset_hash)
        if item is not None and not failed:
            self._wait_for(item.asset_hash, item.id)
        note = "Can't preview" if failed else ("Waiting for sync" if pending else "")
        side = max(20, card.width() // 5)
        glyph = QRect(card.center().x() - side // 2, card.center().y() - side // 2 - (8 if note else 0),
                      side, side)
        draw_glyph(painter, "broken" if failed else ("cloud" if pending else "image"), glyph, color, 1.5)
        if note:
            painter.setPen(color)
            painter.drawText(QRect(card.left(), glyph.bottom() + 4, card.width(), 20),
                             Qt.AlignHCenter | Qt.AlignTop, note)

    def _paint_badges(self, painter: QPainter, card: QRect, item, *, hide_star: bool) -> None:
        font = QFont(painter.font())
        font.setPointSizeF(max(7.5, font.pointSizeF() * 0.85))
        font.setWeight(QFont.DemiBold)
        painter.setFont(font)
        fm = painter.fontMetrics()
        if item.kind == "video":
            label = format_duration(item.duration_ms)
            h = fm.height() + 6
            badge = QRect(0, 0, fm.horizontalAdvance(label) + h + 6, h)
            badge.moveBottomRight(card.bottomRight() - QPoint(7, 7))
            painter.setPen(Qt.NoPen)
            painter.setBrush(QColor(0, 0, 0, 165))
            painter.drawRoundedRect(QRectF(badge), h / 2, h / 2)
            draw_glyph(painter, "play", QRect(badge.left() + 4, badge.top() + 3, h - 6, h - 6), QColor("white"))
            painter.setPen(QColor("white"))
            painter.drawText(badge.adjusted(h - 1, 0, -6, 0), Qt.AlignVCenter | Qt.AlignRight, label)
        if item.favorite and not hide_star:
            star = QRect(card.left() + 7, card.top() + 7, 24, 24)
            painter.setPen(Qt.NoPen)
            painter.setBrush(QColor(0, 0, 0, 120))
            painter.drawEllipse(QRectF(star))
            draw_glyph(painter, "star", star.adjusted(4, 4, -4, -4), QColor(255, 200, 40), 1.2)

    def _paint_overlay(self, painter: QPainter, cell: QRect, clip: QPainterPath, item) -> None:
        card = clip.boundingRect()
        shade = QLinearGradient(card.topLeft(), card.bottomLeft())
        shade.setColorAt(0, QColor(0, 0, 0, 120))
        shade.setColorAt(0.4, QColor(0, 0, 0, 20))
        shade.setColorAt(0.6, QColor(0, 0, 0, 20))
        shade.setColorAt(1, QColor(0, 0, 0, 130))
        painter.fillPath(clip, shade)
        for action, rect in self.button_rects(cell).items():
            hovered = action == self._hover_button
            if action == "use":
                painter.setPen(Qt.NoPen)
                painter.setBrush(QColor(255, 255, 255, 255 if hovered else 235))
                painter.drawRoundedRect(QRectF(rect), rect.height() / 2, rect.height() / 2)
                g = rect.height() - 10
                draw_glyph(painter, "use", QRect(rect.left() + 7, rect.top() + 5, g, g), QColor(30, 30, 36))
                font = QFont(painter.font())
                font.setWeight(QFont.Bold)
                painter.setFont(font)
                painter.setPen(QColor(30, 30, 36))
                painter.drawText(rect.adjusted(g + 9, 0, -4, 0), Qt.AlignCenter, "Use")
            elif action == "favorite" and item.favorite:
                draw_icon_button(painter, rect, "star", hovered, QColor(255, 200, 40))
            else:
                draw_icon_button(painter, rect, action, hovered)
