"""The inspector (right dock): everything about the selected item, per kind, or a short
summary of a multiple selection. Reads happen on Tasks' reader pool; it refreshes when
the library says the shown item (or its lineage) changed."""

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QGuiApplication, QPixmap
from PySide6.QtWidgets import (QFormLayout, QFrame, QHBoxLayout, QLabel, QPushButton, QScrollArea,
                               QSizePolicy, QVBoxLayout, QWidget)

from ... import library as L
from ...core.errors import NotFound
from ...sync.blobs import is_pending
from ...sync.conflicts import dismiss_conflicts, list_conflicts, use_conflict_value, value_text
from .inspector_fields import (Details, LinkList, Row, ThumbRow, kind_counts, muted, rows_for,
                               subtitle)
from .inspector_sync import ConflictBox, pending_note, pending_preview

_PREVIEW_HEIGHT = 180


def _load_details(lib, item_id: str) -> Details:
    item = L.get_item(lib, item_id)
    parent = None
    if item.parent_id:
        try:
            parent = L.get_item(lib, item.parent_id)
        except NotFound:
            parent = None
    source_ids = [i.source_item_id for i in item.inputs if i.source_item_id]
    sources = L.get_items(lib, source_ids) if source_ids else {}
    children = [c for c in L.children_of(lib, item_id) if c.trashed_at is None]
    conflicts = [(c, value_text(c, lib)) for c in list_conflicts(lib, table="items", row_id=item_id)]
    pending = not lib.store.has(item.asset_hash) and is_pending(lib, item.asset_hash)
    return Details(item, parent, children, sources, pending, conflicts)


def _value_label(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextSelectableByMouse | Qt.TextSelectableByKeyboard)
    label.setTextFormat(Qt.PlainText)
    return label


class ItemInspector(QWidget):
    sig_item_activated = Signal(str)               # open this item (lineage, references)
    sig_reuse_settings_requested = Signal(dict)    # Item.recipe() of the shown item

    def __init__(self, lib, tasks, bridge, thumbs, parent: QWidget | None = None):
        super().__init__(parent)
        self._lib, self._tasks, self._thumbs = lib, tasks, thumbs
        self._item_id: str | None = None
        self._selection: list[str] = []
        self._details: Details | None = None
        self._token = 0
        self._values: dict[str, QWidget] = {}
        self._preview: QLabel | None = None

        self._scroll = QScrollArea(self)
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.NoFrame)
        self._scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self._scroll)
        self.setMinimumWidth(260)
        bridge.sig_changed.connect(self._on_changed)
        thumbs.sig_ready.connect(self._on_thumb_ready)
        self._show_message("Nothing selected", "Select an item to see its prompt and settings.")

    # -- public ------------------------------------------------------------------------
    def show_item(self, item_id: str | None) -> None:
        self._selection = [item_id] if item_id else []
        self._item_id = item_id
        self._token += 1
        if item_id is None:
            self._details = None
            self._show_message("Nothing selected", "Select an item to see its prompt and settings.")
            return
        token = self._token
        self._tasks.read(lambda: _load_details(self._lib, item_id),
                         done=lambda d: token == self._token and self._show_details(d),
                         failed=lambda e: token == self._token and self._show_message(
                             "Item not found", "It may have been deleted permanently."))

    def show_selection(self, ids: list[str]) -> None:
        ids = list(dict.fromkeys(ids))
        if len(ids) <= 1:
            self.show_item(ids[0] if ids else None)
            return
        self._selection, self._item_id, self._details = ids, None, None
        self._token += 1
        token = self._token
        self._tasks.read(lambda: [i.kind for i in L.get_items(self._lib, ids).values()],
                         done=lambda kinds: token == self._token and self._show_message(
                             f"{len(ids)} items selected", kind_counts(kinds)))

    def current_item_id(self) -> str | None:
        return self._item_id

    def shown_item(self):
        """The Item whose details are on screen (None while loading or for a selection)."""
        return self._details.item if self._details is not None else None

    def value_widget(self, label: str) -> QWidget | None:
        """The widget showing a row's value (tests, accessibility)."""
        return self._values.get(label)

    def value_text(self, label: str) -> str | None:
        w = self._values.get(label)
        return w.text() if isinstance(w, QLabel) else None

    def copy_prompt(self) -> None:
        if self._details is not None:
            QGuiApplication.clipboard().setText(self._details.item.prompt)

    def reuse_settings(self) -> None:
        if self._details is not None:
            self.sig_reuse_settings_requested.emit(self._details.item.recipe())

    # -- building ----------------------------------------------------------------------
    def _new_body(self) -> tuple[QWidget, QVBoxLayout]:
        body = QWidget()
        body.setObjectName("inspectorBody")
        layout = QVBoxLayout(body)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.setSpacing(10)
        self._values = {}
        old = self._scroll.takeWidget()
        if old is not None:
            old.deleteLater()
        return body, layout

    def _title(self, text: str, parent: QWidget) -> QLabel:
        title = _value_label(text, parent)
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setWeight(QFont.DemiBold)
        title.setFont(font)
        return title

    def _show_message(self, title: str, text: str) -> None:
        self._details, self._preview = None, None
        body, layout = self._new_body()
        self.title_label = self._title(title, body)
        self.summary_label = muted(_value_label(text, body))
        layout.addWidget(self.title_label)
        layout.addWidget(self.summary_label)
        layout.addStretch(1)
        self._scroll.setWidget(body)

    def _show_details(self, d: Details) -> None:
        same = self._details is not None and self._details.item.id == d.item.id
        scroll = self._scroll.verticalScrollBar().value() if same else 0
        self._details = d
        item = d.item
        body, layout = self._new_body()
        if item.kind in ("image", "video"):
            self._preview = QLabel(body)
            self._preview.setAlignment(Qt.AlignCenter)
            self._preview.setMinimumHeight(120)
            self._preview.setStyleSheet("background: rgba(128,128,128,0.12); border-radius: 8px;")
            layout.addWidget(self._preview)
            layout.addSpacing(6)
            self._paint_preview()
        else:
            self._preview = None
        self.title_label = self._title(item.name, body)
        layout.addWidget(self.title_label)
        self.summary_label = muted(_value_label(subtitle(item), body))
        layout.addWidget(self.summary_label)

        buttons = QHBoxLayout()
        self.reuse_button = QPushButton("Reuse settings", body)
        self.reuse_button.setToolTip("Fill the prompt bar with this item’s prompt and settings")
        self.reuse_button.clicked.connect(self.reuse_settings)
        self.reuse_button.setStyleSheet(
            "QPushButton { background: palette(highlight); color: palette(highlighted-text);"
            " border: none; border-radius: 6px; padding: 5px 12px; font-weight: 600; }"
            "QPushButton:hover { background: palette(link); }")
        self.copy_button = QPushButton("Copy text" if item.kind == "voiceover" else "Copy prompt", body)
        self.copy_button.setEnabled(bool(item.prompt))
        self.copy_button.clicked.connect(self.copy_prompt)
        self.copy_button.setStyleSheet(
            "QPushButton { border: 1px solid palette(mid); border-radius: 6px; padding: 4px 12px;"
            " background: palette(base); } QPushButton:hover { border-color: palette(highlight); }")
        buttons.addWidget(self.reuse_button)
        buttons.addWidget(self.copy_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addSpacing(4)
        self.conflict_box = None
        if d.pending:
            layout.addWidget(pending_note(body))
        if d.conflicts:
            self.conflict_box = ConflictBox(d.conflicts, body)
            self.conflict_box.sig_use.connect(self._use_conflict)
            self.conflict_box.sig_dismiss.connect(self._dismiss_conflicts)
            layout.addWidget(self.conflict_box)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignLeft | Qt.AlignTop)
        form.setFormAlignment(Qt.AlignLeft | Qt.AlignTop)
        form.setHorizontalSpacing(14)
        form.setVerticalSpacing(9)
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        for row in rows_for(d):
            self._add_row(form, row, body)
        layout.addLayout(form)
        layout.addStretch(1)
        self._scroll.setWidget(body)
        if scroll:
            body.adjustSize()
            self._scroll.verticalScrollBar().setValue(scroll)

    def _add_row(self, form: QFormLayout, row: Row, body: QWidget) -> None:
        label = muted(QLabel(row.label, body))
        if row.style == "long":
            box = _value_label(row.value, body)
            box.setObjectName("longText")
            box.setStyleSheet("QLabel#longText { background: palette(base); border: 1px solid palette(mid);"
                              " border-radius: 6px; padding: 8px; }")
            box.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Minimum)
            form.addRow(label)
            form.addRow(box)
            self._values[row.label] = box
        elif row.style == "thumbs":
            strip = ThumbRow(self._thumbs, size=64, parent=body)
            strip.set_thumbs(row.thumbs)
            strip.sig_activated.connect(self.sig_item_activated)
            form.addRow(label)
            form.addRow(strip)
            self._values[row.label] = strip
        elif row.style == "links":
            links = LinkList(row.links, parent=body)
            links.sig_activated.connect(self.sig_item_activated)
            form.addRow(label, links)
            self._values[row.label] = links
        else:
            value = _value_label(row.value, body)
            form.addRow(label, value)
            self._values[row.label] = value

    def _paint_preview(self) -> None:
        if self._preview is None or self._details is None:
            return
        item = self._details.item
        img = self._thumbs.image(item.asset_hash, item.kind)
        if img is None:
            height = _PREVIEW_HEIGHT if not item.width else min(
                _PREVIEW_HEIGHT, max(120, round(240 * item.height / max(1, item.width))))
            self._preview.setFixedHeight(height)
            if self._details.pending:
                self._preview.setPixmap(pending_preview(self._preview, 240, height - 16))
            return
        pix = QPixmap.fromImage(img)
        dpr = self.devicePixelRatioF()
        target = pix.scaled(round(240 * dpr), round(_PREVIEW_HEIGHT * dpr), Qt.KeepAspectRatio,
                            Qt.SmoothTransformation)
        target.setDevicePixelRatio(dpr)
        self._preview.setPixmap(target)
        self._preview.setFixedHeight(max(120, round(target.height() / dpr) + 16))

    # -- sync notes --------------------------------------------------------------------
    def _use_conflict(self, conflict_id: int) -> None:
        # The write's Changes name this item: _on_changed shows the new value.
        self._tasks.write(lambda: use_conflict_value(self._lib, conflict_id))

    def _dismiss_conflicts(self, ids: list) -> None:
        item_id = self._item_id
        self._tasks.write(lambda: dismiss_conflicts(self._lib, ids),
                          done=lambda _: self._item_id == item_id and self.show_item(item_id))

    # -- refresh -----------------------------------------------------------------------
    def _on_thumb_ready(self, asset_hash: str) -> None:
        if self._details is not None and self._details.item.asset_hash == asset_hash:
            self._paint_preview()

    def _on_changed(self, changes) -> None:
        d = self._details
        if self._item_id is not None:
            related = {self._item_id}
            if d is not None:
                related |= {c.id for c in d.children} | ({d.parent.id} if d.parent else set())
            # session_contents: an item made from this one may have been added (Used in).
            if related & changes.items or (d is not None and d.item.session_id in changes.session_contents):
                self.show_item(self._item_id)
        elif len(self._selection) > 1 and set(self._selection) & changes.items:
            self.show_selection(self._selection)
