"""The other plural forms of a PO message, under its translation field.

A message with a plural has a translation per plural form of the target language; the
first is typed in the translation field, the others here, one field each (Arabic: for 0,
1, 2, 3-10, 11-99 and 100 and up). What is typed here is saved as the translation field's
drafts are: within a second, and at once when the translator leaves the segment.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from translator.services.po_plurals import PluralForms


class PluralFormsBox(QWidget):
    edited = Signal()  # typing in a field: save soon (as the translation field's drafts)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.forms: PluralForms | None = None
        self.fields: list[QLineEdit] = []
        self.dirty = False
        self.title = QLabel(self)
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.form = QFormLayout()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.title)
        layout.addLayout(self.form)
        self.hide()

    def show_forms(self, forms: PluralForms | None, rtl: bool) -> None:
        """Fields for forms 1 .. n-1 of ``forms`` (None: hidden)."""
        while self.form.rowCount():
            self.form.removeRow(0)
        self.fields, self.forms, self.dirty = [], forms, False
        if forms is None:
            self.hide()
            return
        self.title.setText(
            self.tr("Plural ({0}): {1} — the translation field above is form 0 ({2})").format(
                len(forms.forms), forms.msgid_plural, forms.labels[0]
            )
        )
        direction = Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight
        for number, (text, label) in enumerate(zip(forms.forms, forms.labels, strict=True)):
            if number == 0:
                continue
            field = QLineEdit(text, self)
            field.setLayoutDirection(direction)
            field.setAccessibleName(self.tr("Plural form {0}").format(number))
            field.textEdited.connect(self._on_edited)
            self.form.addRow(self.tr("Form {0} ({1}):").format(number, label), field)
            self.fields.append(field)
        self.show()

    def _on_edited(self, _text: str) -> None:
        self.dirty = True
        self.edited.emit()

    def values(self) -> list[str]:
        """Every form as typed; form 0 is the translation field's and comes from there."""
        assert self.forms is not None
        return [self.forms.forms[0], *(field.text() for field in self.fields)]
