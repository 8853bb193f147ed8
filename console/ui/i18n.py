"""Translations: install the console's and Qt's own translators for a language; update the .ts/.qm.

Source strings are English; ``resources/translations/console_vi.ts`` holds the Vietnamese, and
``console_vi.qm`` is built from it. ``TT_PSEUDO_TRANSLATE=1`` stretches every string by about 40 %
to find layouts that cut text. To update the translations after changing user-visible strings::

    python -m console.ui.i18n        # lupdate over console/, then lrelease (see docs/ui.md)
"""

from __future__ import annotations

import logging
import math
import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS_DIR = ROOT / "resources" / "translations"
SOURCE_LANGUAGE = "en"
LOCALES = {"vi": QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam),
           "en": QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)}
PSEUDO_SCALE = 0.4

_installed: list[QTranslator] = []  # what install() put into the application, to take it out again
_current = [SOURCE_LANGUAGE]


def current() -> str:
    """The language last installed."""
    return _current[0]


class PseudoTranslator(QTranslator):
    """Wraps every translation in brackets and pads it by :data:`PSEUDO_SCALE` of its length."""

    def translate(self, context, source, disambiguation=None, n=-1):
        text = super().translate(context, source, disambiguation, n) or source
        return f"[{text}{'~' * math.ceil(len(text) * PSEUDO_SCALE)}]"


def install(app: QCoreApplication, lang: str, directory: Path = TRANSLATIONS_DIR,
            pseudo: bool | None = None) -> list[str]:
    """Replace the application's translators with those for ``lang`` ("vi" or "en").

    Returns the names of the catalogues loaded. Widgets retranslate on the LanguageChange event.
    Qt's own ``qtbase_<lang>.qm`` is loaded when Qt ships one (it has none for Vietnamese).
    """
    if lang not in LOCALES:
        raise ValueError(f"unsupported language {lang!r}: expected one of {', '.join(LOCALES)}")
    if pseudo is None:
        pseudo = os.environ.get("TT_PSEUDO_TRANSLATE") == "1"
    for t in _installed:
        app.removeTranslator(t)
    _installed.clear()
    QLocale.setDefault(LOCALES[lang])
    loaded = []
    ours = PseudoTranslator(app) if pseudo else QTranslator(app)
    if lang != SOURCE_LANGUAGE:
        qt = QTranslator(app)
        if qt.load(f"qtbase_{lang}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            _installed.append(qt)
            loaded.append(f"qtbase_{lang}")
        if ours.load(f"console_{lang}", str(directory)):
            loaded.append(f"console_{lang}")
        else:
            log.warning("no translation console_%s.qm in %s: the interface stays in English", lang, directory)
    if pseudo or f"console_{lang}" in loaded:
        _installed.append(ours)
    for t in _installed:
        app.installTranslator(t)
    _current[0] = lang
    return loaded


def _tool(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


def update(directory: Path = TRANSLATIONS_DIR, languages: tuple[str, ...] = ("vi",)) -> None:
    """Run lupdate over every .py under console/ into the .ts files, then lrelease them into .qm."""
    sources = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "console").rglob("*.py"))
    for lang in languages:
        ts = directory / f"console_{lang}.ts"
        subprocess.run([_tool("pyside6-lupdate"), "-no-obsolete", "-locations", "none", *sources,
                        "-ts", str(ts.relative_to(ROOT))], cwd=ROOT, check=True)
        subprocess.run([_tool("pyside6-lrelease"), str(ts), "-qm", str(ts.with_suffix(".qm"))], check=True)


if __name__ == "__main__":
    update()
