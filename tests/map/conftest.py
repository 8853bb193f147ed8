"""Map tests run in English (source strings), whatever language an earlier test installed."""

import pytest

from console.ui import i18n


@pytest.fixture
def english(qapp):
    i18n.install(qapp, "en")
    yield qapp
