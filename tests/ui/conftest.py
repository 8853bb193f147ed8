"""UI test set-up: a test-only station holder, and the language reset between tests."""

import ctypes
import sys

import pytest
from PySide6 import __version__ as PYSIDE_VERSION

from console.ui import i18n

# PySide6 6.12.0 on Python < 3.12 drops a reference to None (True, False) on every void method call
# and every signal emit from Python, so a long test run dies with "Fatal Python error: none_dealloc".
# Until pyproject excludes that release, pin the three singletons' counts high, as Python 3.12 does
# (immortal objects), so the suite can run; test_ui_environment.py still fails to flag the release.
if PYSIDE_VERSION == "6.12.0" and sys.version_info < (3, 12):
    for _obj in (None, True, False):
        ctypes.c_ssize_t.from_address(id(_obj)).value += 1 << 40


@pytest.fixture
def english(qapp):
    i18n.install(qapp, "en")
    yield qapp
    i18n.install(qapp, "en")
