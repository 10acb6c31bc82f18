"""The right pane of the canvas: music and voiceover rows with waveforms, and a player.

Rows are painted by AudioRowDelegate (play/pause, title, kind and length, waveform with
the playing row's progress, hover actions). Waveform peaks come from ThumbnailProvider;
a muted bar stands in while they load. One QMediaPlayer serves the whole pane, made on
the first play (so opening a session never touches the audio system)."""

from PySide6.QtCore import QPoint, QRect, QRectF, QSize, Qt, QUrl, Signal
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer
from PySide6.QtWidgets import QListView, QStyle, QVBoxLayout, QWidget

from .. import media_calls
from ...library import get_item
from ..models.item_model import IdRole, ItemListModel, ItemRole
from .tile_delegate import ACTION_TIPS, HoverDelegate, TileActions, blend, draw_glyph, format_duration
from .visual_pane import DropListView, dropped_paths

ROW_ACTIONS = ("use", "download", "favorite", "more", "delete")
KIND_TITLES = {"music": "Music", "voiceover": "Voiceover"}


class AudioRowDelegate(HoverDelegate):
    ROW_H = 68

    def __init__(self, thumbs, actions: TileActions, pane: "AudioPane"):
        super().__init__(actions, pane.view)
        self._thumbs, self._pane = thumbs, pane
        self._bars: dict[tuple[str, int], list[float]] = {}

    def sizeHint(self, option, index) -> QSize:
        # Narrow on purpose: rows span the viewport anyway, and a wide hint would put a
        # horizontal scroll bar under a narrow pane.
        return QSize(160, self.ROW_H)

    # -- geometry ----------------------------------------------------------------------
    def card(self, rect: QRect) -> QRect:
        return rect.adjusted(6, 3, -6, -3)

    def play_rect(self, rect: QRect) -> QRect:
        card = self.card(rect)
        return QRect(card.left() + 12, card.center().y() - 18, 36, 36)

    def button_rects(self, rect: QRect) -> dict[str, QRect]:
        card, size, rects = self.card(rect), 28, {}
        x = card.right() - 10 - size
        for action in reversed(ROW_ACTIONS):
            width = 58 if action == "use" else size
            if action == "use":
                x -= width - size
            rects[action] = QRect(x, card.center().y() - size // 2, width, size)
            x -= size + 4
        return rects

    def text_width(self, rect: QRect) -> int:
        # Title and "Kind · length" stay readable first; the waveform takes what is left.
        width = self.card(rect).width() - 80
        return max(min(130, width), min(280, width // 3))

    def wave_rect(self, rect: QRect, hovered: bool = False) -> QRect:
        card = self.card(rect)
        left = self.play_rect(rect).right() + 12 + self.text_width(rect) + 14
        right = (min(r.left() for r in self.button_rects(rect).values()) if hovered else card.right()) - 14
        return QRect(left, card.center().y() - 17, right - left, 34)

    def hit(self, rect: QRect, pos: QPoint) -> str | None:
        if self.play_rect(rect).contains(pos):
            return "play"
        for action, r in self.button_rects(rect).items():
            if r.contains(pos):
                return action
        return "seek" if self.wave_rect(rect, True).contains(pos) else None

    def anchor(self, rect: QRect, button: str) -> QRect:
        return self.play_rect(rect) if button == "play" else self.button_rects(rect)[button]

    def tip(self, button: str, index) -> str:
        if button == "play" and self._pane.is_playing(index.data(IdRole)):
            return "Pause"
        return ACTION_TIPS.get(button, "Play from here")

    def clicked(self, index, button: str, option, event) -> None:
        if button == "seek":
            wave = self.wave_rect(option.rect, True)
            self._pane.seek(index.data(IdRole), (event.position().x() - wave.left()) / max(1, wave.width()))
        else:
            super().clicked(index, button, option, event)

    # -- painting ------------------------------------------------------------------------
    def paint(self, painter: QPainter, option, index) -> None:
        item = index.data(ItemRole)
        pal = option.palette
        base, text, accent = pal.base().color(), pal.text().color(), pal.highlight().color()
        muted = blend(base, text, 0.55)
        card = self.card(option.rect)
        selected = bool(option.state & QStyle.State_Selected)
        hovered = self.is_hovered(index)
        painter.save()
        painter.setRenderHint(QPainter.Antialiasing)
        fill = QColor(accent) if selected else blend(base, text, 0.07 if hovered else 0.04)
        if selected:
            fill.setAlpha(55)
        painter.setPen(accent if selected else Qt.NoPen)
        painter.setBrush(fill)
        painter.drawRoundedRect(QRectF(card).adjusted(0.5, 0.5, -0.5, -0.5), 10, 10)
        playing = item is not None and self._pane.is_playing(item.id)
        play = self.play_rect(option.rect)
        on_play = hovered and self._hover_button == "play"
        painter.setPen(Qt.NoPen)
        painter.setBrush(accent if playing or on_play else blend(base, text, 0.14))
        painter.drawEllipse(QRectF(play))
        glyph_color = pal.highlightedText().color() if playing or on_play else text
        draw_glyph(painter, "pause" if playing else "play", play.adjusted(9, 9, -9, -9), glyph_color)
        text_left = play.right() + 12
        text_w = self.text_width(option.rect)
        title_rect = QRect(text_left, card.top() + 12, text_w, 20)
        font = QFont(option.font)
        font.setWeight(QFont.DemiBold)
        painter.setFont(font)
        painter.setPen(text)
        title = item.name if item else ""
        star = 16 if item is not None and item.favorite else 0
        painter.drawText(title_rect.adjusted(0, 0, -star, 0), Qt.AlignLeft | Qt.AlignVCenter,
                         painter.fontMetrics().elidedText(title, Qt.ElideRight, text_w - star))
        if star:
            used = min(painter.fontMetrics().horizontalAdvance(title), text_w - star)
            draw_glyph(painter, "star", QRect(text_left + used + 3, title_rect.top() + 3, 13, 13),
                       QColor(240, 180, 20), 1.2)
        if item is not None:
            painter.setFont(option.font)
            painter.setPen(muted)
            length = format_duration(item.duration_ms)
            if self._pane.current_id() == item.id:
                length = f"{format_duration(self._pane.position_ms())} / {length}"
            painter.drawText(QRect(text_left, title_rect.bottom() + 2, text_w, 20),
                             Qt.AlignLeft | Qt.AlignVCenter, f"{KIND_TITLES.get(item.kind, item.kind)} · {length}")
        wave = self.wave_rect(option.rect, hovered)
        if item is not None and wave.width() > 20:
            self._paint_wave(painter, wave, item, blend(base, text, 0.3), accent)
        if hovered and item is not None:
            self._paint_buttons(painter, option.rect, item, base, text, accent)
        painter.restore()

    def _paint_wave(self, painter, wave: QRect, item, color: QColor, accent: QColor) -> None:
        peaks = self._thumbs.waveform(item.asset_hash)
        painter.setPen(Qt.NoPen)
        if peaks is None:
            if not self._thumbs.waveform_failed(item.asset_hash):
                self._wait_for(item.asset_hash, item.id)
            if self._thumbs.pending(item.asset_hash):
                painter.setPen(color)
                painter.drawText(wave, Qt.AlignLeft | Qt.AlignVCenter, "Waiting for sync…")
                return
            painter.setBrush(color)
            painter.drawRoundedRect(QRectF(wave.left(), wave.center().y() - 2, wave.width(), 4), 2, 2)
            return
        n = max(1, wave.width() // 3)
        bars = self._bars.get((item.asset_hash, n))
        if bars is None:
            m = len(peaks) or 1
            bars = [max(peaks[i * m // n:max(i * m // n + 1, (i + 1) * m // n)] or [0]) for i in range(n)]
            top = max(bars) or 1.0
            bars = [b / top for b in bars]
            if len(self._bars) > 400:
                self._bars.clear()
            self._bars[(item.asset_hash, n)] = bars
        done = self._pane.progress(item.id)
        mid = wave.center().y()
        for i, b in enumerate(bars):
            h = max(2.0, b * wave.height())
            painter.setBrush(accent if (i + 0.5) / n <= done else color)
            painter.drawRoundedRect(QRectF(wave.left() + i * 3, mid - h / 2, 2, h), 1, 1)

    def _paint_buttons(self, painter, rect: QRect, item, base, text, accent) -> None:
        for action, r in self.button_rects(rect).items():
            hovered = action == self._hover_button
            painter.setPen(Qt.NoPen)
            painter.setBrush(blend(base, text, 0.18 if hovered else 0.1))
            painter.drawRoundedRect(QRectF(r), r.height() / 2, r.height() / 2)
            g = QRect(r.left() + 6, r.top() + 6, r.height() - 12, r.height() - 12)
            if action == "use":
                draw_glyph(painter, "use", g, text)
                font = QFont(painter.font())
                font.setWeight(QFont.Bold)
                painter.setFont(font)
                painter.setPen(text)
                painter.drawText(r.adjusted(g.width() + 8, 0, -4, 0), Qt.AlignCenter, "Use")
            elif action == "favorite" and item.favorite:
                draw_glyph(painter, "star", g, QColor(240, 180, 20), 1.2)
            else:
                draw_glyph(painter, action, g, text)


class AudioPane(QWidget):
    sig_import_requested = Signal(list)
    sig_tile_action = Signal(str, str, QPoint)   # item id, hover action ("play" is handled here)
    sig_open_requested = Signal(str)
    sig_selection_changed = Signal()
    sig_playback_changed = Signal(str, bool)     # item id, now playing
    sig_error = Signal(str)

    def __init__(self, lib, tasks, bridge, thumbs, parent: QWidget | None = None):
        super().__init__(parent)
        self._lib = lib
        self.model = ItemListModel(lib, tasks, self)
        self.view = DropListView(self)
        self.view.setUniformItemSizes(True)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.view.setSelectionMode(QListView.ExtendedSelection)
        self.view.setVerticalScrollMode(QListView.ScrollPerPixel)
        self.view.setMouseTracking(True)
        self.view.setFrameShape(QListView.NoFrame)
        self.view.configure_drag_and_drop()
        self.actions = TileActions(self)
        self.delegate = AudioRowDelegate(thumbs, self.actions, self)
        self.view.setItemDelegate(self.delegate)
        self.view.setModel(self.model)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self._player: QMediaPlayer | None = None
        self._output: QAudioOutput | None = None
        self._current: str | None = None
        self._playing = False
        self._position = 0
        self._duration = 0
        self._pending_seek: float | None = None

        self.view.sig_files_dropped.connect(self.sig_import_requested)
        self.view.activated.connect(lambda index: self.sig_open_requested.emit(index.data(IdRole)))
        self.view.selectionModel().selectionChanged.connect(lambda *_: self.sig_selection_changed.emit())
        self.actions.sig_action.connect(self._on_action)
        bridge.sig_changed.connect(self.model.apply_changes)
        thumbs.sig_ready.connect(self._on_wave_ready)
        self.model.rowsAboutToBeRemoved.connect(self._on_rows_removed)
        self.model.modelAboutToBeReset.connect(self.stop)

    # -- public --------------------------------------------------------------------------
    def set_session(self, session_id: str | None, kinds) -> None:
        self.model.set_session(session_id, kinds)

    def play(self, item_id: str) -> None:
        if self._current == item_id and self._player is not None and not self._playing:
            media_calls.play(self._player)           # resume where it paused
            self._set_playing(True)
            return
        self.stop()
        item = self.model.cached_item(item_id) or get_item(self._lib, item_id)
        player = self._ensure_player()
        self._current, self._position, self._duration = item_id, 0, item.duration_ms or 0
        player.setSource(QUrl.fromLocalFile(str(self._lib.store.path(item.asset_hash))))
        media_calls.play(player)
        self._set_playing(True)

    def seek(self, item_id: str, fraction: float) -> None:
        """Play this row from a point of its length (0..1), as a click on its waveform does."""
        fraction = min(1.0, max(0.0, fraction))
        if item_id != self._current:
            self.play(item_id)
        elif not self._playing:
            self.play(item_id)
        self._pending_seek = fraction
        self._apply_seek()

    def _apply_seek(self) -> None:
        player = self._player
        if self._pending_seek is None or player is None or player.mediaStatus() not in (
                QMediaPlayer.LoadedMedia, QMediaPlayer.BufferingMedia, QMediaPlayer.BufferedMedia):
            return   # applied when the media has loaded
        self._position = round(self._pending_seek * self._duration)
        self._pending_seek = None
        media_calls.seek(player, self._position)
        self._update_row(self._current)

    def pause(self) -> None:
        if self._playing and self._player is not None:
            media_calls.pause(self._player)
            self._set_playing(False)

    def toggle(self, item_id: str) -> None:
        self.pause() if self.is_playing(item_id) else self.play(item_id)

    def stop(self) -> None:
        if self._current is None:
            return
        was = self._playing
        if self._player is not None:
            media_calls.stop(self._player)
        self._playing = False
        current, self._current, self._position, self._pending_seek = self._current, None, 0, None
        self._update_row(current)
        if was:
            self.sig_playback_changed.emit(current, False)

    def is_playing(self, item_id: str) -> bool:
        return self._playing and self._current == item_id

    def current_id(self) -> str | None:
        return self._current

    def position_ms(self) -> int:
        return self._position

    def progress(self, item_id: str) -> float:
        if item_id != self._current or not self._duration:
            return 0.0
        return min(1.0, self._position / self._duration)

    def selected_ids(self) -> list[str]:
        return self.view.selected_ids()

    def select(self, ids) -> None:
        self.view.select_ids(ids)

    def current_index_id(self) -> str | None:
        index = self.view.currentIndex()
        return index.data(IdRole) if index.isValid() else None

    def handle_drop(self, mime) -> bool:
        paths = dropped_paths(mime)
        if paths:
            self.sig_import_requested.emit(paths)
        return bool(paths)

    # -- player --------------------------------------------------------------------------
    def _ensure_player(self) -> QMediaPlayer:
        if self._player is None:
            self._player, self._output = QMediaPlayer(self), QAudioOutput(self)
            self._player.setAudioOutput(self._output)
            self._player.mediaStatusChanged.connect(self._on_status)
            self._player.positionChanged.connect(self._on_position)
            self._player.durationChanged.connect(lambda ms: setattr(self, "_duration", ms or self._duration))
            self._player.errorOccurred.connect(self._on_error)
        return self._player

    def _set_playing(self, playing: bool) -> None:
        self._playing = playing
        self._update_row(self._current)
        self.sig_playback_changed.emit(self._current, playing)

    def _on_status(self, status) -> None:
        self._apply_seek()
        if status == QMediaPlayer.EndOfMedia and self._current is not None:
            self._position = self._duration
            self.stop()          # the row returns to "play"

    def _on_position(self, ms: int) -> None:
        if self._current is not None and self._playing:
            self._position = ms
            self._update_row(self._current)

    def _on_error(self, _error, message: str) -> None:
        self.stop()
        self.sig_error.emit(f"Cannot play this track: {message or 'unknown error'}")

    def _on_action(self, item_id: str, action: str, where: QPoint) -> None:
        if action == "play":
            self.toggle(item_id)
        else:
            self.sig_tile_action.emit(item_id, action, where)

    def _on_rows_removed(self, _parent, first: int, last: int) -> None:
        if self._current in {self.model.id_at(row) for row in range(first, last + 1)}:
            self.stop()

    def _update_row(self, item_id: str | None) -> None:
        row = self.model.row_of(item_id) if item_id else -1
        if row >= 0:
            self.view.update(self.model.index(row))

    def _on_wave_ready(self, asset_hash: str) -> None:
        for item_id in self.delegate.take_waiting(asset_hash):
            self._update_row(item_id)
