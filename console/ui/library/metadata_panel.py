"""The selected item's details: editable metadata, measured facts and its history.

The panel does no I/O: "Save" emits ``saveRequested(item_id, fields)`` with every metadata field,
and the view hands them to ``Library.update_metadata`` (which records only what changed).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QDate,
    QEvent,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from console.core.approval import TRANSITIONS
from console.store.models import MEDIA_CATEGORIES, MediaHistory, MediaItem
from console.ui import formatting as fmt
from console.ui import theme
from console.ui.library.library_model import (
    CATEGORY_LABELS,
    STATE_COLOURS,
    STATE_LABELS,
    clock_time,
    label,
    moment,
)

# Languages heard on grassroots radio: Vietnamese, and the ethnic minority languages most broadcast.
LANGUAGES = {
    "vi": QT_TRANSLATE_NOOP("Library", "Vietnamese"),
    "en": QT_TRANSLATE_NOOP("Library", "English"),
    "km": QT_TRANSLATE_NOOP("Library", "Khmer"),
    "hmn": QT_TRANSLATE_NOOP("Library", "Hmong"),
    "tyz": QT_TRANSLATE_NOOP("Library", "Tày"),
    "mtq": QT_TRANSLATE_NOOP("Library", "Mường"),
    "rad": QT_TRANSLATE_NOOP("Library", "Ê Đê"),
    "jra": QT_TRANSLATE_NOOP("Library", "Jarai"),
    "bdq": QT_TRANSLATE_NOOP("Library", "Bahnar"),
    "cjm": QT_TRANSLATE_NOOP("Library", "Cham"),
}
HISTORY_ACTIONS = {
    "import": QT_TRANSLATE_NOOP("Library", "Imported"),
    "edit": QT_TRANSLATE_NOOP("Library", "Details changed"),
    "revision": QT_TRANSLATE_NOOP("Library", "Audio edited"),
    "submit": QT_TRANSLATE_NOOP("Library", "Submitted for approval"),
    "approve": QT_TRANSLATE_NOOP("Library", "Approved"),
    "reject": QT_TRANSLATE_NOOP("Library", "Returned"),
    "archive": QT_TRANSLATE_NOOP("Library", "Archived"),
    "render": QT_TRANSLATE_NOOP("Library", "Rendered for broadcast"),
}
# The service writes its own English notes for these; the others carry the user's note or a file name.
SYSTEM_NOTES = ("edit", "render", "revision")
DEFAULT_EXPIRY_DAYS = 7


def parse_tags(text: str) -> list[str]:
    return [t.strip() for t in text.split(",") if t.strip()]


class MetadataPanel(QWidget):
    saveRequested = Signal(int, dict)  # item id, every field of METADATA_FIELDS

    def __init__(self, parent=None):
        super().__init__(parent)
        self._item: MediaItem | None = None
        self._entries: list[MediaHistory] = []
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.heading.setFont(font)
        self.state = QLabel()
        self.returned = QLabel()  # why an approver returned it
        self.returned.setWordWrap(True)
        self.returned.setStyleSheet(f"color:{theme.OFFLINE.name()};")
        self.facts = QLabel()
        self.facts.setWordWrap(True)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.title = QLineEdit()
        self.title.setMaxLength(256)
        self.category = QComboBox()
        self.source = QLineEdit()
        self.source.setMaxLength(256)
        self.author = QLineEdit()
        self.author.setMaxLength(128)
        self.language = QComboBox()
        self.tags = QLineEdit()
        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(self.notes.fontMetrics().lineSpacing() * 3 + 14)
        self.expires = QCheckBox()
        self.expiry = QDateEdit()
        self.expiry.setCalendarPopup(True)
        self.expiry.setDisplayFormat("dd/MM/yyyy")
        expiry_row = QHBoxLayout()
        expiry_row.addWidget(self.expires)
        expiry_row.addWidget(self.expiry, 1)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._labels = [QLabel() for _ in range(8)]
        for lab, field in zip(self._labels, (self.title, self.category, self.source, self.author, self.language,
                                             self.tags, self.notes, expiry_row)):
            form.addRow(lab, field)
        self.edit_warning = QLabel()
        self.edit_warning.setWordWrap(True)
        self.edit_warning.setStyleSheet(f"color:{theme.WARNING.name()};")
        self.save = QPushButton()
        self.save.setDefault(True)
        self.revert = QPushButton()
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.revert)
        buttons.addWidget(self.save)
        self.history_label = QLabel()
        self.history = QListWidget()
        self.history.setWordWrap(True)
        self.history.setAlternatingRowColors(True)
        self.empty = QLabel()
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet(f"color:{theme.MUTED.name()};")

        self.details = QWidget()
        inner = QVBoxLayout(self.details)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addWidget(self.heading)
        inner.addWidget(self.state)
        inner.addWidget(self.returned)
        inner.addWidget(self.facts)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        inner.addWidget(line)
        inner.addLayout(form)
        inner.addWidget(self.edit_warning)
        inner.addLayout(buttons)
        inner.addWidget(self.history_label)
        inner.addWidget(self.history, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 0, 0, 0)
        lay.addWidget(self.details, 1)
        lay.addWidget(self.empty, 1)

        for w in (self.title, self.source, self.author, self.tags):
            w.textChanged.connect(self._update_buttons)
        self.notes.textChanged.connect(self._update_buttons)
        self.category.currentIndexChanged.connect(self._update_buttons)
        self.language.currentIndexChanged.connect(self._update_buttons)
        self.expiry.dateChanged.connect(self._update_buttons)
        self.expires.toggled.connect(self._expires_toggled)
        self.save.clicked.connect(self._save)
        self.revert.clicked.connect(self._fill)
        self.retranslate()
        self.set_item(None)

    # -- content ----------------------------------------------------------------------------------

    @property
    def item_id(self) -> int | None:
        return self._item.id if self._item is not None else None

    def set_item(self, item: MediaItem | None, keep_edits: bool = True) -> None:
        """Show ``item``. A newer copy of the item shown keeps what the user is typing, unless
        ``keep_edits`` is False."""
        same = item is not None and self._item is not None and item.id == self._item.id
        keep_edits = keep_edits and same and self.is_dirty()
        self._item = item
        self.details.setVisible(item is not None)
        self.empty.setVisible(item is None)
        if not same:
            self._entries = []
            self.history.clear()
            self.returned.hide()
        if item is None:
            return
        self._show_facts()
        if not keep_edits:
            self._fill()
        self._update_buttons()

    def set_history(self, item_id: int, entries: list[MediaHistory]) -> None:
        """Show who did what to the item (ignored if another item is shown by now)."""
        if item_id == self.item_id:
            self._entries = entries
            self._show_history()

    def _show_history(self) -> None:
        entries = self._entries
        self.history.clear()
        for h in reversed(entries):  # newest first
            text = f"{moment(h.ts)} · {h.user_name} · {self._action(h.action)}"
            if h.note and h.action not in SYSTEM_NOTES:
                text += f": {h.note}"
            self.history.addItem(text)
        rejection = next((h for h in reversed(entries) if h.action == "reject"), None)
        self.returned.setVisible(self._item.state == "rejected" and rejection is not None)
        if rejection is not None:
            self.returned.setText(self.tr("Returned by {user}: {note}").format(user=rejection.user_name,
                                                                                 note=rejection.note)
                                  + "\n" + self.tr("Change the audio or the details, then submit it again."))

    def values(self) -> dict:
        """The metadata as typed: every field ``Library.update_metadata`` takes."""
        return {
            "title": self.title.text().strip(), "category": self.category.currentData(),
            "source": self.source.text().strip(), "author": self.author.text().strip(),
            "language": self.language.currentData(), "tags": parse_tags(self.tags.text()),
            "notes": self.notes.toPlainText().strip(),
            "expires_on": self.expiry.date().toPython() if self.expires.isChecked() else None,
        }

    def is_dirty(self) -> bool:
        if self._item is None:
            return False
        i = self._item
        stored = {"title": i.title, "category": i.category, "source": i.source, "author": i.author,
                  "language": i.language, "tags": list(i.tags), "notes": i.notes, "expires_on": i.expires_on}
        return self.values() != stored

    def _fill(self) -> None:
        i = self._item
        if i is None:
            return
        self.title.setText(i.title)
        self.category.setCurrentIndex(max(0, self.category.findData(i.category)))
        self.source.setText(i.source)
        self.author.setText(i.author)
        self._fill_languages(i.language)
        self.tags.setText(", ".join(i.tags))
        self.notes.setPlainText(i.notes)
        self.expires.setChecked(i.expires_on is not None)
        self.expiry.setDate(QDate(i.expires_on or date.today()))
        self.expiry.setEnabled(i.expires_on is not None)
        self._update_buttons()

    def _show_facts(self) -> None:
        i = self._item
        self.heading.setText(i.title)
        self.state.setText(theme.coloured_dot_html(STATE_COLOURS.get(i.state, theme.UNKNOWN),
                                                   label(STATE_LABELS, i.state)))
        loud = (self.tr("{lufs} LUFS, true peak {peak} dBTP, range {lra} LU").format(
            lufs=fmt.number(i.lufs), peak=fmt.number(i.true_peak_db), lra=fmt.number(i.lra or 0.0))
                if i.lufs is not None else self.tr("silent"))
        self.facts.setText(self.tr("{length} · {loudness}\nFile: {name}").format(
            length=clock_time(i.duration_ms), loudness=loud, name=i.original_filename))
        self.edit_warning.setText(
            self.tr("Saving sends it back to draft: it must be approved again.")
            if i.state != "draft" and i.state in TRANSITIONS["edit"] else "")
        editable = i.state in TRANSITIONS["edit"]
        for w in (self.title, self.category, self.source, self.author, self.language, self.tags, self.notes,
                  self.expires):
            w.setEnabled(editable)
        if not editable:
            self.edit_warning.setText(self.tr("Archived items cannot be changed."))

    def _action(self, action: str) -> str:
        text = HISTORY_ACTIONS.get(action)
        return QCoreApplication.translate("Library", text) if text else action

    def _fill_languages(self, current: str) -> None:
        self.language.blockSignals(True)
        self.language.clear()
        for code, name in LANGUAGES.items():
            self.language.addItem(f"{QCoreApplication.translate('Library', name)} ({code})", code)
        if current and self.language.findData(current) < 0:
            self.language.addItem(current, current)
        self.language.setCurrentIndex(max(0, self.language.findData(current)))
        self.language.blockSignals(False)

    # -- editing ----------------------------------------------------------------------------------

    def _expires_toggled(self, on: bool) -> None:
        self.expiry.setEnabled(on)
        if on and self._item is not None and self._item.expires_on is None:
            self.expiry.setDate(QDate.currentDate().addDays(DEFAULT_EXPIRY_DAYS))
        self._update_buttons()

    def _update_buttons(self) -> None:
        dirty = self.is_dirty()
        self.save.setEnabled(dirty and bool(self.title.text().strip()))
        self.revert.setEnabled(dirty)
        self.edit_warning.setVisible(dirty or (self._item is not None and self._item.state == "archived"))

    def _save(self) -> None:
        if self._item is not None:
            self.saveRequested.emit(self._item.id, self.values())

    # -- language ---------------------------------------------------------------------------------

    def retranslate(self) -> None:
        for lab, text in zip(self._labels, (self.tr("Title"), self.tr("Category"), self.tr("Source"),
                                            self.tr("Author"), self.tr("Language"), self.tr("Tags"),
                                            self.tr("Notes"), self.tr("Expires"))):
            lab.setText(text)
        category = self.category.currentData()
        self.category.blockSignals(True)
        self.category.clear()
        for key in MEDIA_CATEGORIES:
            self.category.addItem(label(CATEGORY_LABELS, key), key)
        self.category.setCurrentIndex(max(0, self.category.findData(category)))
        self.category.blockSignals(False)
        self._fill_languages(self.language.currentData() or "vi")
        self.source.setPlaceholderText(self.tr("Who supplied it, e.g. District radio station"))
        self.author.setPlaceholderText(self.tr("Who wrote or read it"))
        self.tags.setPlaceholderText(self.tr("Words separated by commas"))
        self.expires.setText(self.tr("Do not broadcast after"))
        self.save.setText(self.tr("Save details"))
        self.revert.setText(self.tr("Undo changes"))
        self.history_label.setText(self.tr("History"))
        self.empty.setText(self.tr("Select an item to see and change its details."))
        if self._item is not None:
            self._show_facts()
            self._show_history()
            self._update_buttons()

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
