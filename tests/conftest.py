"""Shared test set-up: headless Qt, one QApplication (pytest-qt), fixtures from tests/fixtures/."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

pytest_plugins = ["fixtures.mqtt", "fixtures.db", "fixtures.audio", "fixtures.pulse", "fixtures.icecast", "fixtures.province"]
