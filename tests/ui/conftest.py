"""UI test set-up: a test-only station holder, and the language reset between tests."""

import pytest

from console.ui import i18n


@pytest.fixture
def english(qapp):
    i18n.install(qapp, "en")
    yield qapp
    i18n.install(qapp, "en")
