"""A media player for videos and audio tracks: QMediaPlayer + QAudioOutput, a
QVideoWidget (videos) or a waveform (audio), play/pause, a seek slider and times.

Assets are content-addressed files without an extension. The FFmpeg backend (the one
PySide6 ships) reads the format from the content, so the store path is played as is;
a backend that insists on an extension gets a symlink `<hash>.<ext>` in a temp folder
(made once, no copy). Without an audio device (no PulseAudio/PipeWire server) playback
still runs on the system clock, silently."""

import mimetypes
import os
import tempfile
from pathlib import Path

from PySide6.QtCore import QRect, QRectF, QSize, Qt, QUrl, Signal
from PySide6.QtGui import QColor, QPainter, QPalette, QPixmap
from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer, QVideoFrame
from PySide6.QtMultimediaWidgets import QVideoWidget
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QSizePolicy, QSlider, QStackedWidget, QStyle,
                               QToolButton, QVBoxLayout, QWidget)

from .. import media_calls
from ..icons import icon

_EXTRA_EXTENSIONS = {"audio/wav": ".wav", "audio/x-matroska": ".mka", "video/x-matroska": ".mkv",
                     "audio/mp4": ".m4a", "audio/flac": ".flac", "video/webm": ".webm"}


def format_time(ms: int) -> str:
    s = max(0, int(ms) // 1000)
    h, m, s = s // 3600, s % 3600 // 60, s % 60
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def alias_with_extension(path: Path, mime: str | None) -> Path | None:
    """A symlink (or hard link) `<name>.<ext>` to an extensionless file, for backends
    that pick the demuxer by extension; None when neither can be made."""
    ext = _EXTRA_EXTENSIONS.get(mime or "") or (mimetypes.guess_extension(mime) if mime else None)
    if not ext:
        return None
    folder = Path(tempfile.gettempdir()) / "sessionstudio-media"
    link = folder / f"{path.name}{ext}"
    if link.exists():
        return link
    try:
        folder.mkdir(parents=True, exist_ok=True)
        try:
            os.symlink(path, link)
        except OSError:
            os.link(path, link)  # Windows without symlink rights; same volume only
        return link
    except OSError:
        return None


class Waveform(QWidget):
    """Peaks as rounded bars; the played part in the accent colour; click or drag to seek."""
    sig_seek = Signal(float)  # fraction 0..1

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._peaks: list[float] = []
        self._progress = 0.0
        self.setMinimumHeight(72)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)
        self.setCursor(Qt.PointingHandCursor)

    def set_peaks(self, peaks: list[float] | None) -> None:
        self._peaks = list(peaks or [])
        self.update()

    def set_progress(self, fraction: float) -> None:
        self._progress = min(1.0, max(0.0, fraction))
        self.update()

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing)
        pal = self.palette()
        played, rest = pal.color(QPalette.Highlight), QColor(pal.color(QPalette.PlaceholderText))
        rest.setAlpha(110)
        r = self.rect().adjusted(2, 6, -2, -6)
        bar_w, gap = 3.0, 2.0
        n = max(1, int(r.width() // (bar_w + gap)))
        peaks = self._peaks or [0.04] * n
        mid = r.center().y()
        p.setPen(Qt.NoPen)
        for i in range(n):
            v = max(peaks[min(len(peaks) - 1, int(i * len(peaks) / n))], 0.04)
            h = max(2.0, v * r.height())
            x = r.left() + i * (bar_w + gap)
            p.setBrush(played if (i + 0.5) / n <= self._progress else rest)
            p.drawRoundedRect(QRectF(x, mid - h / 2, bar_w, h), 1.5, 1.5)

    def mousePressEvent(self, event) -> None:
        self.sig_seek.emit(min(1.0, max(0.0, event.position().x() / max(1, self.width()))))

    mouseMoveEvent = mousePressEvent


class _SeekSlider(QSlider):
    """A slider that jumps to where it is clicked instead of paging."""

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.LeftButton:
            value = QStyle.sliderValueFromPosition(self.minimum(), self.maximum(),
                                                   int(event.position().x()), self.width())
            self.setValue(value)
            self.sliderMoved.emit(value)
        super().mousePressEvent(event)


class MediaPlayerWidget(QWidget):
    sig_finished = Signal()
    sig_position_changed = Signal(int)   # ms
    sig_playing_changed = Signal(bool)
    sig_error = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._kind = ""
        self._path: Path | None = None
        self._mime: str | None = None
        self._retried = False
        self._want_play = False
        self._last_frame = QVideoFrame()

        self.player = QMediaPlayer(self)
        self.audio_output = QAudioOutput(self)
        self.player.setAudioOutput(self.audio_output)
        self.video_widget = QVideoWidget(self)
        self.video_widget.setFocusPolicy(Qt.NoFocus)
        self.video_widget.setMinimumSize(160, 90)
        self.player.setVideoOutput(self.video_widget)
        self.waveform = Waveform(self)
        self.waveform.sig_seek.connect(lambda f: self.seek(int(f * self.player.duration())))
        self._stack = QStackedWidget(self)
        self._stack.addWidget(self.video_widget)
        self._stack.addWidget(self.waveform)

        self.play_button = QToolButton(self)
        self.play_button.setFocusPolicy(Qt.NoFocus)
        self.play_button.setAutoRaise(True)
        self.play_button.setIconSize(QSize(22, 22))
        self.play_button.clicked.connect(self.toggle_play)
        self.slider = _SeekSlider(Qt.Horizontal, self)
        self.slider.setFocusPolicy(Qt.NoFocus)
        self.slider.sliderMoved.connect(self._on_slider_moved)
        self.slider.sliderReleased.connect(lambda: self.seek(self.slider.value()))
        self.time_label = QLabel("0:00", self)
        self.duration_label = QLabel("0:00", self)
        for label in (self.time_label, self.duration_label):
            label.setMinimumWidth(label.fontMetrics().horizontalAdvance("00:00") + 4)
            label.setAlignment(Qt.AlignCenter)
        controls = QHBoxLayout()
        controls.setContentsMargins(4, 0, 4, 0)
        controls.setSpacing(6)
        for w in (self.play_button, self.time_label, self.slider, self.duration_label):
            controls.addWidget(w)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self._stack, 1)
        layout.addLayout(controls)

        self.player.positionChanged.connect(self._on_position)
        self.player.durationChanged.connect(self._on_duration)
        self.player.playbackStateChanged.connect(self._on_state)
        self.player.mediaStatusChanged.connect(self._on_status)
        self.player.errorOccurred.connect(self._on_error)
        self.video_widget.videoSink().videoFrameChanged.connect(self._on_frame)
        self._on_state(QMediaPlayer.StoppedState)

    # -- public ------------------------------------------------------------------------
    def load(self, path: str | Path, kind: str, mime: str | None = None) -> None:
        """Load a video ("video") or an audio track ("music", "voiceover", "audio")."""
        media_calls.stop(self.player)
        self._path, self._kind, self._mime = Path(path), kind, mime
        self._retried, self._want_play = False, False
        self._last_frame = QVideoFrame()
        self._stack.setCurrentWidget(self.video_widget if kind == "video" else self.waveform)
        self.waveform.set_progress(0)
        self.slider.setValue(0)
        self.player.setSource(QUrl.fromLocalFile(str(path)))

    def unload(self) -> None:
        media_calls.stop(self.player)
        self.player.setSource(QUrl())
        self._path, self._last_frame = None, QVideoFrame()

    def play(self) -> None:
        self._want_play = True
        media_calls.play(self.player)

    def pause(self) -> None:
        self._want_play = False
        media_calls.pause(self.player)

    def stop(self) -> None:
        self._want_play = False
        media_calls.stop(self.player)

    def toggle_play(self) -> None:
        self.pause() if self.is_playing() else self.play()

    def is_playing(self) -> bool:
        return self.player.playbackState() == QMediaPlayer.PlayingState

    def seek(self, ms: int) -> None:
        media_calls.seek(self.player, max(0, int(ms)))

    def set_waveform(self, peaks: list[float] | None) -> None:
        self.waveform.set_peaks(peaks)

    def video_sink(self):
        return self.video_widget.videoSink()

    def last_frame_image(self):
        """The last frame shown, as a QImage (None before the first frame)."""
        if not self._last_frame.isValid():
            return None
        img = self._last_frame.toImage()
        return None if img.isNull() else img

    def snapshot(self, widget: QWidget | None = None) -> QPixmap:
        """`widget.grab()` (default: this player) with the last video frame painted where
        the video is: QVideoWidget renders through its own surface, which grab() misses."""
        widget = widget or self
        pix = widget.grab()
        img = self.last_frame_image() if self._kind == "video" else None
        if img is not None and self.video_widget.isVisible():
            top_left = self.video_widget.mapTo(widget, self.video_widget.rect().topLeft())
            area = QRect(top_left, self.video_widget.size())
            size = img.size().scaled(area.size(), Qt.KeepAspectRatio)
            target = QRect(0, 0, size.width(), size.height())
            target.moveCenter(area.center())
            p = QPainter(pix)
            p.fillRect(area, Qt.black)
            p.setRenderHint(QPainter.SmoothPixmapTransform)
            p.drawImage(target, img)
            p.end()
        return pix

    # -- player events -----------------------------------------------------------------
    def _on_frame(self, frame: QVideoFrame) -> None:
        if frame.isValid():
            self._last_frame = frame  # cheap: shares the buffer; converted only on demand

    def _on_position(self, ms: int) -> None:
        if not self.slider.isSliderDown():
            self.slider.setValue(ms)
            self.time_label.setText(format_time(ms))
        duration = self.player.duration()
        self.waveform.set_progress(ms / duration if duration > 0 else 0)
        self.sig_position_changed.emit(ms)

    def _on_duration(self, ms: int) -> None:
        self.slider.setRange(0, max(0, ms))
        self.duration_label.setText(format_time(ms))

    def _on_slider_moved(self, ms: int) -> None:
        self.time_label.setText(format_time(ms))
        if not self.slider.isSliderDown():
            self.seek(ms)

    def _on_state(self, state) -> None:
        playing = state == QMediaPlayer.PlayingState
        name, fallback = ("pause", QStyle.SP_MediaPause) if playing else ("play", QStyle.SP_MediaPlay)
        ic = icon(name)
        self.play_button.setIcon(ic if not ic.isNull() else self.style().standardIcon(fallback))
        self.play_button.setToolTip("Pause (Space)" if playing else "Play (Space)")
        self.sig_playing_changed.emit(playing)

    def _on_status(self, status) -> None:
        if status == QMediaPlayer.EndOfMedia:
            self._want_play = False
            self.sig_finished.emit()

    def _on_error(self, error, message: str) -> None:
        if error == QMediaPlayer.NoError:
            return
        path = self._path
        if path is not None and not path.suffix and not self._retried:
            self._retried = True
            alias = alias_with_extension(path, self._mime)
            if alias is not None:
                self.player.setSource(QUrl.fromLocalFile(str(alias)))
                if self._want_play:
                    media_calls.play(self.player)
                return
        self.sig_error.emit(message or "This file cannot be played.")

    def sizeHint(self) -> QSize:
        return QSize(640, 420 if self._kind == "video" else 140)

