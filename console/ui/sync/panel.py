"""The Province tab: the bulletin inbox and the sync page; or, when the station has no province link,
how to set one up."""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from console.ui import theme
from console.ui.sync.banner import BulletinBanner
from console.ui.sync.inbox import InboxView
from console.ui.sync.page import SyncPage
from console.ui.sync.status import SyncBadge


class ProvincePanel(QTabWidget):
    """``worker`` is the station's :class:`console.sync.worker.SyncWorker`. ``badge`` belongs in the
    window's status bar and ``banner`` across the window. ``attention(id)``: an emergency bulletin waits
    for confirmation; the window should raise this tab (the panel shows the bulletin itself)."""

    attention = Signal(int)

    def __init__(self, worker, parent=None) -> None:
        super().__init__(parent)
        self.setDocumentMode(True)
        self.worker = worker
        self.inbox = InboxView(worker.inbox)
        self.page = SyncPage(worker)
        self.addTab(self.inbox, "")
        self.addTab(self.page, "")
        self.badge = SyncBadge(worker)
        self.banner = BulletinBanner()
        self.badge.clicked.connect(self.show_sync)
        self.banner.openRequested.connect(self.show_bulletin)
        self.inbox.loaded.connect(self._inbox_loaded)
        self.inbox.notice.connect(self.banner.show_notice)
        self.inbox.attention.connect(self._attention)
        self.retranslate()

    def _inbox_loaded(self) -> None:
        self.banner.show_data(self.inbox.data)
        self.badge.set_bulletins(self.inbox.data.counts())
        self.retranslate()

    def _attention(self, bulletin_id: int) -> None:
        self.show_bulletin(bulletin_id)
        self.attention.emit(bulletin_id)

    def show_bulletin(self, bulletin_id: int) -> None:
        self.setCurrentWidget(self.inbox)
        self.inbox.select_bulletin(bulletin_id)

    def show_sync(self) -> None:
        self.setCurrentWidget(self.page)

    def retranslate(self) -> None:
        counts = self.inbox.data.counts()
        n = counts.get("confirm", 0) + counts.get("waiting", 0) + counts.get("received", 0)
        self.setTabText(self.indexOf(self.inbox), self.tr("Bulletins ({n} waiting)").format(n=n) if n
                        else self.tr("Bulletins"))
        self.setTabText(self.indexOf(self.page), self.tr("Sync"))

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class ProvinceHint(QWidget):
    """What the Province tab shows without a link: how to set one up, and why it failed if it did."""

    def __init__(self, error: str = "", config_file: str = "", parent=None) -> None:
        super().__init__(parent)
        self.error, self.config_file = error, config_file
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.label.setMaximumWidth(820)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(24, 24, 24, 24)
        lay.addWidget(self.label)
        lay.addStretch(1)
        self.retranslate()

    def retranslate(self) -> None:
        e = html.escape
        title = self.tr("This station is not linked to the province")
        parts = [f"<h3>{e(title)}</h3>"]
        if self.error:
            failed = self.tr("The link could not start:")
            parts.append(f'<p style="color:{theme.OFFLINE.name()}"><b>{e(failed)}</b> {e(self.error)}</p>')
        what = self.tr("Linked, it ships the station’s logs (as-run, cluster events, alarms, changes) to the "
                       "province and receives its bulletins here. To link it:")
        parts.append(f"<p>{e(what)}</p>")
        config = f"<code>{e(self.config_file)}</code>" if self.config_file else e(self.tr("the configuration file"))
        steps = [
            self.tr("Set {key} to the province’s API address in {config} (or the environment variable {env}).").format(
                key="<code>province_url</code>", config=config, env="<code>TT_PROVINCE_URL</code>"),
            self.tr("Store the station’s token from the province: {command} (kept in the system’s keyring), "
                    "or set a client certificate ({cert}, {key}).").format(
                command="<code>python -m console sync token set TOKEN</code>",
                cert="<code>province_cert_file</code>", key="<code>province_key_file</code>"),
            self.tr("Choose what an emergency bulletin does: {key} = {confirm} (one click, the default) or {play} "
                    "(at once).").format(key="<code>province_emergency</code>", confirm="<code>confirm</code>",
                                         play="<code>play</code>"),
            self.tr("Restart the console."),
        ]
        parts.append("<ol>" + "".join(f"<li>{s}</li>" for s in steps) + "</ol>")
        self.label.setText("".join(parts))

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
