"""Refusals of the library service in the interface language: every code the service can give has a
sentence of its own, translated where it is shown, with the role and the status as the interface
names them. The Vietnamese catalogue comes with the translations; a stand-in translator plays it here."""

import pytest
from PySide6.QtCore import QTranslator
from PySide6.QtWidgets import QMessageBox
from test_library import database, library, make_view, select  # noqa: F401 - a real Library with three items

from console.audio.library import Library
from console.core.approval import REFUSALS, PermissionDenied, Refused, TransitionRefused, check_permission, transition
from console.ui.library.refusals import REFUSAL_TEXTS, reason, refusal_text

VIETNAMESE = {
    ("Refusal", "Your role ({role}) does not allow approving items."):
        "Vai trò của bạn ({role}) không được phép duyệt nội dung.",
    ("Library", "Editor"): "Biên tập viên",
}


class StandIn(QTranslator):
    """Translates VIETNAMESE, and marks every other string of the contexts in use with "vi:"."""

    def translate(self, context, source, disambiguation=None, n=-1):
        if (context, source) in VIETNAMESE:
            return VIETNAMESE[context, source]
        return f"vi:{source}" if context in ("Refusal", "Library") else ""


@pytest.fixture
def vietnamese(qapp, english):
    translator = StandIn()
    qapp.installTranslator(translator)
    yield translator
    qapp.removeTranslator(translator)


def test_every_refusal_code_has_a_sentence():
    assert set(REFUSAL_TEXTS) == set(REFUSALS)


@pytest.mark.parametrize("code", sorted(REFUSALS))
def test_each_refusal_is_translated_from_its_code(vietnamese, code):
    exc = Refused(code, user="hoa", role="approver", state="approved", action="x")
    expected = VIETNAMESE.get(("Refusal", REFUSAL_TEXTS[code]), "vi:" + REFUSAL_TEXTS[code])
    assert refusal_text(exc) == expected.format(role="vi:Approver", state="vi:Approved")
    assert str(exc) == REFUSALS[code].format(user="hoa", role="approver", state="approved")  # the CLI's English


def test_the_service_gives_codes_and_params():
    with pytest.raises(PermissionDenied) as denied:
        check_permission("hoa", "editor", "approve")
    assert (denied.value.code, denied.value.params) == ("may_not_approve",
                                                        {"user": "hoa", "role": "editor", "action": "approve"})
    with pytest.raises(TransitionRefused) as refused:
        transition("draft", "reject", "no")
    assert (refused.value.code, refused.value.params["state"]) == ("cannot_reject", "draft")
    assert reason(ValueError("The title cannot be empty.")) == "The title cannot be empty."


def test_the_view_says_a_refusal_in_vietnamese(qtbot, library, database, vietnamese):  # noqa: F811
    item_id = library.list_items()[0].id
    library.submit(item_id)
    view = make_view(qtbot, Library(database, library.store, "hoa", "editor"))
    select(qtbot, view, library.get(item_id).title)
    view.approve_action.trigger()
    qtbot.waitUntil(lambda: any(b.isVisible() for b in view.findChildren(QMessageBox)))
    box = next(b for b in view.findChildren(QMessageBox) if b.isVisible())
    assert box.informativeText() == "Vai trò của bạn (Biên tập viên) không được phép duyệt nội dung."
    box.close()
    view.tasks.shutdown()
