"""Playing a board's videos and tracks in place: one QMediaPlayer for the whole board
(starting one element stops the other), a QGraphicsVideoItem laid over the playing
video, progress painted by the element itself.

Assets are extensionless files; like the viewer's player, a backend that needs an
extension gets a `<hash>.<ext>` link on the first error (player.alias_with_extension)."""

from pathlib import Path

from PySide6.QtCore import QObject, QSizeF, QUrl, Signal
from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer
from PySide6.QtMultimediaWidgets import QGraphicsVideoItem

from .. import media_calls
from .player import alias_with_extension


class BoardPlayback(QObject):
    sig_error = Signal(str)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.player = QMediaPlayer(self)
        self.audio = QAudioOutput(self)
        self.player.setAudioOutput(self.audio)
        self.video = QGraphicsVideoItem()
        self.video.setZValue(1)
        self.player.setVideoOutput(self.video)
        self.current = None            # the element item playing (or paused)
        self._path: Path | None = None
        self._mime: str | None = None
        self._retried = False
        self.player.positionChanged.connect(self._on_position)
        self.player.playbackStateChanged.connect(self._on_state)
        self.player.mediaStatusChanged.connect(self._on_status)
        self.player.errorOccurred.connect(self._on_error)

    def is_playing(self, item=None) -> bool:
        playing = self.player.playbackState() == QMediaPlayer.PlayingState
        return playing and (item is None or item is self.current)

    def toggle(self, item, path: Path, mime: str | None) -> None:
        """Play `item` from the start, or pause/resume it if it is the one loaded."""
        if item is self.current:
            (media_calls.pause if self.is_playing() else media_calls.play)(self.player)
            return
        self.stop()
        self.current, self._path, self._mime, self._retried = item, Path(path), mime, False
        if getattr(item, "kind", "") == "video":
            self.video.setParentItem(item)
            self.fit_video()
            self.video.show()
        self.player.setSource(QUrl.fromLocalFile(str(path)))
        media_calls.play(self.player)

    def fit_video(self) -> None:
        """Lay the video over its element (after a resize too)."""
        if self.current is not None and self.video.parentItem() is self.current:
            r = self.current.rect()
            self.video.setPos(r.topLeft())
            self.video.setSize(QSizeF(r.width(), r.height()))

    def stop(self) -> None:
        item, self.current = self.current, None
        media_calls.stop(self.player)
        self.player.setSource(QUrl())
        self.video.hide()
        if self.video.scene() is not None:
            self.video.scene().removeItem(self.video)     # never deleted with an element
        self.video.setParentItem(None)
        if item is not None:
            item.progress = None
            if hasattr(item, "playing"):
                item.playing = False
            item.update()

    def release(self, item) -> None:
        """An element leaves the board: stop it first if it plays."""
        if item is self.current:
            self.stop()

    def _on_position(self, ms: int) -> None:
        item, duration = self.current, self.player.duration()
        if item is not None:
            item.progress = ms / duration if duration > 0 else 0.0
            item.update()

    def _on_state(self, state) -> None:
        item = self.current
        if item is not None and hasattr(item, "playing"):
            item.playing = state == QMediaPlayer.PlayingState
            item.update()

    def _on_status(self, status) -> None:
        if status == QMediaPlayer.EndOfMedia:
            self.stop()

    def _on_error(self, error, message: str) -> None:
        if error == QMediaPlayer.NoError or self.current is None:
            return
        if self._path is not None and not self._path.suffix and not self._retried:
            self._retried = True
            alias = alias_with_extension(self._path, self._mime)
            if alias is not None:
                self.player.setSource(QUrl.fromLocalFile(str(alias)))
                media_calls.play(self.player)
                return
        self.stop()
        self.sig_error.emit(message or "This file cannot be played.")
