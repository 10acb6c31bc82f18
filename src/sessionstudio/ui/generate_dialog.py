"""A form built from an engine action's declared parameters: the prompt (when the action
takes text) and one field per parameter. Values are checked by the same Param.coerce
the CLI uses, so the form never queues a job the engine would refuse."""

from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox,
                               QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QSpinBox,
                               QVBoxLayout, QWidget)

from ..core.errors import StudioError
from ..engines.protocol import ActionSpec, Param


class GenerateDialog(QDialog):
    def __init__(self, spec: ActionSpec, *, source_name: str = "", items: list | None = None,
                 values: dict | None = None, prompt: str = "", parent: QWidget | None = None):
        """items: (id, name, kind) choices for "item" parameters (the session's items)."""
        super().__init__(parent)
        self.spec = spec
        self.setWindowTitle(spec.title + (f" — {source_name}" if source_name else ""))
        self.setMinimumWidth(460)
        values = values or {}
        layout = QVBoxLayout(self)
        if spec.help:
            note = QLabel(spec.help)
            note.setWordWrap(True)
            layout.addWidget(note)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.ExpandingFieldsGrow)
        self.prompt_edit: QPlainTextEdit | None = None
        if spec.prompt:
            self.prompt_edit = QPlainTextEdit(prompt)
            self.prompt_edit.setPlaceholderText(spec.prompt[0].upper() + spec.prompt[1:])
            self.prompt_edit.setFixedHeight(84)
            form.addRow("Prompt" if spec.id == "generate" else "Instruction", self.prompt_edit)
        self.fields: dict[str, QWidget] = {}
        for p in spec.params:
            field = self._field(p, values.get(p.name, p.default), items or [])
            field.setToolTip(p.help)
            self.fields[p.name] = field
            form.addRow(p.title, field)
        layout.addLayout(form)
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #c0392b;")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        layout.addWidget(self.error_label)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("Generate")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        if self.prompt_edit is not None:
            self.prompt_edit.setFocus()

    def _field(self, p: Param, value, items: list) -> QWidget:
        if p.type == "choice":
            box = QComboBox()
            for c in p.choices:
                box.addItem(str(c) if str(c) else "(none)", c)
            idx = box.findData(value)
            box.setCurrentIndex(max(0, idx))
            return box
        if p.type == "item":
            box = QComboBox()
            for item_id, name, kind in items:
                if not p.kinds or kind in p.kinds:
                    box.addItem(f"{name} ({kind})", item_id)
            if box.count() == 0:
                box.addItem(f"No {' or '.join(p.kinds)} in this session", None)
                box.setEnabled(False)
            idx = box.findData(value)
            if idx >= 0:
                box.setCurrentIndex(idx)
            return box
        if p.type == "int":
            spin = QSpinBox()
            spin.setRange(int(p.minimum if p.minimum is not None else -10**9),
                          int(p.maximum if p.maximum is not None else 10**9))
            spin.setValue(int(value or 0))
            return spin
        if p.type == "float":
            spin = QDoubleSpinBox()
            spin.setDecimals(2)
            spin.setRange(p.minimum if p.minimum is not None else -1e9,
                          p.maximum if p.maximum is not None else 1e9)
            spin.setValue(float(value or 0))
            return spin
        if p.type == "bool":
            check = QCheckBox()
            check.setChecked(bool(value))
            return check
        if p.type == "text":
            edit = QPlainTextEdit(str(value or ""))
            edit.setFixedHeight(64)
            return edit
        return QLineEdit(str(value or ""))

    def prompt(self) -> str:
        return self.prompt_edit.toPlainText().strip() if self.prompt_edit else ""

    def values(self) -> dict:
        out = {}
        for name, w in self.fields.items():
            if isinstance(w, QComboBox):
                out[name] = w.currentData()
            elif isinstance(w, (QSpinBox, QDoubleSpinBox)):
                out[name] = w.value()
            elif isinstance(w, QCheckBox):
                out[name] = w.isChecked()
            elif isinstance(w, QPlainTextEdit):
                out[name] = w.toPlainText()
            else:
                out[name] = w.text()
        return out

    def accept(self) -> None:
        try:
            self.spec.coerce(self.values())
            if self.spec.prompt and self.spec.prompt_required and not self.prompt():
                raise StudioError(f"{self.spec.title} needs {self.spec.prompt}.")
        except StudioError as exc:
            self.error_label.setText(str(exc))
            self.error_label.show()
            return
        super().accept()

