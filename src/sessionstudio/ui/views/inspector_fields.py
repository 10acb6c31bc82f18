"""What the inspector shows for each kind of item, as plain rows (label, text or
thumbnails or links), and the two small widgets those rows need: a row of clickable
thumbnails (also used by the viewer's strip) and a list of links."""

from dataclasses import dataclass, field
from math import gcd

from PySide6.QtCore import QDateTime, QLocale, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPalette, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QToolButton, QVBoxLayout, QWidget

from ...core.models import Item

MISSING = "—"

_FILE_TYPES = {"image/jpeg": "JPEG", "video/quicktime": "MOV", "video/x-matroska": "MKV",
               "audio/mpeg": "MP3", "audio/mp4": "M4A", "audio/x-matroska": "MKV"}
_COMMON_RATIOS = ((1, 1), (4, 3), (3, 4), (3, 2), (2, 3), (16, 9), (9, 16), (16, 10),
                  (10, 16), (21, 9), (9, 21), (5, 4), (4, 5), (2, 1), (1, 2))
_KIND_PLURALS = {"image": ("image", "images"), "video": ("video", "videos"),
                 "music": ("music track", "music tracks"), "voiceover": ("voiceover", "voiceovers")}


@dataclass
class Thumb:
    asset_hash: str | None
    kind: str = "image"              # how the thumbnailer reads the asset
    item_id: str | None = None       # clicking opens it when known
    caption: str = ""


@dataclass
class Row:
    label: str
    value: str = MISSING
    style: str = "text"              # text | long | thumbs | links
    thumbs: list[Thumb] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # (item id, name)


@dataclass
class Details:
    """Everything the inspector shows about one item, read off the GUI thread."""
    item: Item
    parent: Item | None = None
    children: list[Item] = field(default_factory=list)
    sources: dict[str, Item] = field(default_factory=dict)  # input source items still known
    pending: bool = False            # sync has not brought the file yet
    conflicts: list = field(default_factory=list)   # (sync Conflict, value as words)


# -- formatting ---------------------------------------------------------------------------
def text(value) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return MISSING
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


def aspect_ratio(item: Item) -> str:
    if item.settings.get("aspect_ratio"):
        return text(item.settings["aspect_ratio"])
    w, h = item.width, item.height
    if not w or not h:
        return MISSING
    d = gcd(w, h)
    if w // d <= 32 and h // d <= 32:
        return f"{w // d}:{h // d}"
    a, b = min(_COMMON_RATIOS, key=lambda r: abs(r[0] / r[1] - w / h))
    if abs(a / b - w / h) <= 0.015 * (w / h):
        return f"{a}:{b}"
    return f"{w / h:.2f}:1"


def resolution(item: Item) -> str:
    return f"{item.width} × {item.height}" if item.width and item.height else MISSING


def file_type(mime: str | None) -> str:
    if not mime or "/" not in mime or mime == "application/octet-stream":
        return MISSING
    return _FILE_TYPES.get(mime) or mime.split("/", 1)[1].removeprefix("x-").upper()


def duration(ms: int | None) -> str:
    if ms is None:
        return MISSING
    s = max(0, round(ms / 1000))
    h, m, s = s // 3600, s % 3600 // 60, s % 60
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def date(ms: int | None) -> str:
    if not ms:
        return MISSING
    return QLocale().toString(QDateTime.fromMSecsSinceEpoch(ms).toLocalTime(), "d MMM yyyy, HH:mm")


def engine(item: Item) -> str:
    if item.engine == "import":
        return "Imported"
    action = (item.action or "").replace("_", " ").capitalize()
    return f"{item.engine} · {action}" if action else text(item.engine)


def model(item: Item) -> str:
    return text(item.settings.get("model") or (None if item.engine == "import" else item.engine))


def speed(value) -> str:
    return f"{value:g}×" if isinstance(value, (int, float)) and not isinstance(value, bool) else text(value)


def kind_counts(kinds: list[str]) -> str:
    """'2 images · 1 video' for a selection."""
    parts = []
    for kind, (one, many) in _KIND_PLURALS.items():
        n = kinds.count(kind)
        if n:
            parts.append(f"{n} {one if n == 1 else many}")
    return " · ".join(parts)


def subtitle(item: Item) -> str:
    bits = [item.kind.capitalize(), file_type(item.mime)]
    if item.kind in ("image", "video") and item.width:
        bits.append(resolution(item))
    if item.kind != "image" and item.duration_ms:
        bits.append(duration(item.duration_ms))
    return " · ".join(b for b in bits if b != MISSING)


# -- rows per kind -------------------------------------------------------------------------
def input_thumbs(d: Details, role: str, caption: str = "") -> list[Thumb]:
    out = []
    for inp in d.item.inputs:
        if inp.role != role:
            continue
        source = d.sources.get(inp.source_item_id or "")
        asset = inp.asset_hash or (source.asset_hash if source else None)
        kind = source.kind if source is not None and source.kind in ("image", "video") else "image"
        name = source.name if source is not None else caption
        out.append(Thumb(asset, kind, source.id if source is not None else None, name or caption))
    return out


def rows_for(d: Details) -> list[Row]:
    it, s = d.item, d.item.settings
    rows: list[Row] = []
    if it.kind in ("image", "video"):
        rows.append(Row("Prompt", text(it.prompt), "long"))
        if it.kind == "video":
            for role, label in (("start_frame", "Start frame"), ("end_frame", "End frame")):
                thumbs = input_thumbs(d, role, label)
                if thumbs:
                    rows.append(Row(label, style="thumbs", thumbs=thumbs))
        refs = input_thumbs(d, "reference", "Reference image")
        if refs:
            rows.append(Row("Reference images", style="thumbs", thumbs=refs))
        rows += [Row("Model", model(it)), Row("Aspect ratio", aspect_ratio(it)),
                 Row("Quality", text(s.get("quality"))), Row("Resolution", resolution(it))]
        if it.kind == "video":
            rows.append(Row("Duration", duration(it.duration_ms)))
    elif it.kind == "music":
        rows += [Row("Track length", duration(it.duration_ms)), Row("Genre", text(s.get("genre"))),
                 Row("Mood", text(s.get("mood"))), Row("Video theme", text(s.get("video_theme"))),
                 Row("Model", model(it)), Row("Prompt", text(it.prompt), "long"),
                 Row("Lyrics", text(s.get("lyrics")), "long")]
    else:  # voiceover
        rows += [Row("AI model", model(it)), Row("Voice", text(s.get("voice"))),
                 Row("Language", text(s.get("language"))), Row("Accent", text(s.get("accent"))),
                 Row("Emotion", text(s.get("emotion"))), Row("Speed", speed(s.get("speed"))),
                 Row("Effect", text(s.get("effect"))), Row("Track length", duration(it.duration_ms)),
                 Row("Text", text(it.prompt), "long")]
    rows += [Row("File type", file_type(it.mime)), Row("Date created", date(it.created_at)),
             Row("Seed", text(it.seed)), Row("Engine", engine(it))]
    if d.parent is not None:
        rows.append(Row("Made from", style="links", links=[(d.parent.id, d.parent.name)]))
    if d.children:
        rows.append(Row("Used in", style="links", links=[(c.id, c.name) for c in d.children]))
    return rows


# -- widgets -------------------------------------------------------------------------------
def muted(widget: QWidget) -> QWidget:
    """Labels in the inspector are quieter than their values."""
    pal = widget.palette()
    pal.setColor(QPalette.WindowText, pal.color(QPalette.PlaceholderText))
    widget.setPalette(pal)
    return widget


class ThumbRow(QWidget):
    """Small clickable thumbnails with captions; `sig_activated(item_id)` when the
    thumbnail's item is known. Paints from ThumbnailProvider, never blocking."""
    sig_activated = Signal(str)

    def __init__(self, thumbs_provider, *, size: int = 72, parent: QWidget | None = None):
        super().__init__(parent)
        self._provider, self._size = thumbs_provider, size
        self._buttons: list[tuple[QToolButton, Thumb]] = []
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(8)
        self._layout.addStretch(1)
        thumbs_provider.sig_ready.connect(self._on_ready)

    def set_thumbs(self, thumbs: list[Thumb]) -> None:
        for button, _ in self._buttons:
            button.deleteLater()
        self._buttons = []
        for thumb in thumbs:
            button = QToolButton(self)
            button.setAutoRaise(True)
            button.setFocusPolicy(Qt.NoFocus)
            button.setIconSize(QSize(self._size, self._size))
            button.setToolButtonStyle(Qt.ToolButtonTextUnderIcon if thumb.caption
                                      else Qt.ToolButtonIconOnly)
            label = thumb.caption if len(thumb.caption) <= 14 else thumb.caption[:13] + "…"
            button.setText(label)
            button.setToolTip(f"Open “{thumb.caption}”" if thumb.item_id else thumb.caption)
            button.setEnabled(True)
            button.setCursor(Qt.PointingHandCursor if thumb.item_id else Qt.ArrowCursor)
            if thumb.item_id:
                button.clicked.connect(lambda _=False, i=thumb.item_id: self.sig_activated.emit(i))
            self._layout.insertWidget(self._layout.count() - 1, button)
            self._buttons.append((button, thumb))
            self._paint(button, thumb)

    def buttons(self) -> list[QToolButton]:
        return [b for b, _ in self._buttons]

    def _paint(self, button: QToolButton, thumb: Thumb) -> None:
        img = self._provider.image(thumb.asset_hash, thumb.kind) if thumb.asset_hash else None
        dpr = button.devicePixelRatioF()
        side = round(self._size * dpr)
        pix = QPixmap(side, side)  # square, so captions line up whatever the aspect
        pix.fill(Qt.transparent)
        p = QPainter(pix)
        p.setRenderHint(QPainter.Antialiasing)
        p.setRenderHint(QPainter.SmoothPixmapTransform)
        if img is None:
            p.setPen(Qt.NoPen)
            p.setBrush(QColor(128, 128, 128, 60))
            p.drawRoundedRect(QRectF(0, 0, side, side), 6 * dpr, 6 * dpr)
        else:
            size = img.size().scaled(side, side, Qt.KeepAspectRatio)
            target = QRectF((side - size.width()) / 2, (side - size.height()) / 2,
                            size.width(), size.height())
            clip = QPainterPath()
            clip.addRoundedRect(target, 4 * dpr, 4 * dpr)
            p.setClipPath(clip)
            p.drawImage(target, img)
        p.end()
        pix.setDevicePixelRatio(dpr)
        button.setIcon(QIcon(pix))

    def _on_ready(self, asset_hash: str) -> None:
        for button, thumb in self._buttons:
            if thumb.asset_hash == asset_hash:
                self._paint(button, thumb)


class LinkList(QWidget):
    """Item names as links, one a line (at most `limit`, then 'and N more')."""
    sig_activated = Signal(str)

    def __init__(self, links: list[tuple[str, str]], *, limit: int = 8, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        for item_id, name in links[:limit]:
            button = QPushButton(name, self)
            button.setFlat(True)
            button.setCursor(Qt.PointingHandCursor)
            button.setToolTip(f"Open “{name}”")
            button.setProperty("item_id", item_id)
            button.setStyleSheet("QPushButton { color: palette(link); text-align: left; border: none;"
                                 " padding: 1px 0; } QPushButton:hover { text-decoration: underline; }")
            button.clicked.connect(lambda _=False, i=item_id: self.sig_activated.emit(i))
            layout.addWidget(button)
        if len(links) > limit:
            layout.addWidget(muted(QLabel(f"and {len(links) - limit} more", self)))

    def buttons(self) -> list[QPushButton]:
        return self.findChildren(QPushButton)
