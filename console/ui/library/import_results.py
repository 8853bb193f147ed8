"""What became of each file of an import: ✓ title, or ✗ file: reason.

The library service explains a failure in one English line naming the file and the reason
(``console.audio.ffmpeg.AudioError``). The reasons it gives are translated here by their opening
words; any other reason is shown as the service wrote it, and the full line is always the tooltip.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
)

from console.audio.library import ImportResult
from console.ui import theme

# The service's reasons (console/audio/ffmpeg.py, library.py), by how they start.
REASONS = (
    ("file not found", QT_TRANSLATE_NOOP("ImportResults", "the file is not there any more")),
    ("cannot read the file", QT_TRANSLATE_NOOP("ImportResults", "the file cannot be read")),
    ("not a file", QT_TRANSLATE_NOOP("ImportResults", "this is a folder, not a file")),
    ("file is empty", QT_TRANSLATE_NOOP("ImportResults", "the file is empty (0 bytes)")),
    ("not an audio file", QT_TRANSLATE_NOOP("ImportResults", "not an audio file")),
    ("no audio track", QT_TRANSLATE_NOOP("ImportResults", "the file has no sound track")),
    ("truncated or corrupt", QT_TRANSLATE_NOOP("ImportResults", "the file is incomplete or damaged")),
    ("longer than 10 hours", QT_TRANSLATE_NOOP("ImportResults", "longer than 10 hours")),
    ("cannot copy into the media store", QT_TRANSLATE_NOOP("ImportResults", "cannot copy it to the library's disk")),
    ("cannot save in the database", QT_TRANSLATE_NOOP("ImportResults", "cannot save it in the database")),
)


def reason(result: ImportResult) -> str:
    """The translated reason a file failed, without the file name."""
    text = result.error or ""
    for prefix in (f"{result.file}: ", f"{Path(result.file)}: "):
        if text.startswith(prefix):
            text = text[len(prefix):]
            break
    for start, translated in REASONS:
        if text.startswith(start):
            return QCoreApplication.translate("ImportResults", translated)
    return text


def summary(results: list[ImportResult], total: int) -> str:
    ok = sum(r.ok for r in results)
    return QCoreApplication.translate("ImportResults", "{ok} of {total} files imported.").format(ok=ok, total=total)


class ImportResultsDialog(QDialog):
    """Lists each file's result; files not reached because the import was cancelled are listed too."""

    def __init__(self, results: list[ImportResult], titles: dict[int, str], paths: list[str], parent=None):
        super().__init__(parent)
        self.results, self.titles, self.paths = results, titles, paths
        self.heading = QLabel()
        self.list = QListWidget()
        self.list.setAlternatingRowColors(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        lay = QVBoxLayout(self)
        lay.addWidget(self.heading)
        lay.addWidget(self.list, 1)
        lay.addWidget(buttons)
        self.resize(620, 360)
        self.retranslate()

    def lines(self) -> list[str]:
        return [self.list.item(r).text() for r in range(self.list.count())]

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Import results"))
        self.close_button.setText(self.tr("Close"))  # Qt has no Vietnamese catalogue of its own
        self.heading.setText(summary(self.results, len(self.paths)))
        self.list.clear()
        for r in self.results:
            name = Path(r.file).name
            if r.ok:
                title = self.titles.get(r.id, name)
                text = (self.tr("✓ {title} (already in the library)") if r.existing else self.tr("✓ {title}"))
                row = QListWidgetItem(text.format(title=title))
                row.setToolTip(r.file)
                row.setForeground(QBrush(theme.ONLINE.darker(130)))
            else:
                row = QListWidgetItem(self.tr("✗ {file}: {reason}").format(file=name, reason=reason(r)))
                row.setToolTip(r.error or "")
                row.setForeground(QBrush(theme.OFFLINE))
            self.list.addItem(row)
        for path in self.paths[len(self.results):]:
            row = QListWidgetItem(self.tr("– {file}: not imported, the import was cancelled").format(
                file=Path(path).name))
            row.setForeground(QBrush(theme.MUTED))
            self.list.addItem(row)

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
