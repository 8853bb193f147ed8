"""What the library service refused, in the interface language.

The service raises :class:`~console.core.approval.Refused` with a ``code`` and its ``params``; its
English sentence is for the command line. Here every code has a sentence of its own, translated
where it is shown, with the role and the state as the interface names them.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from console.core.approval import Refused
from console.ui.library.library_model import STATE_LABELS, label

ROLE_LABELS = {
    "editor": QT_TRANSLATE_NOOP("Library", "Editor"),
    "approver": QT_TRANSLATE_NOOP("Library", "Approver"),
    "technician": QT_TRANSLATE_NOOP("Library", "Technician"),
    "admin": QT_TRANSLATE_NOOP("Library", "Administrator"),
}

# code (console.core.approval.REFUSALS) -> sentence; {role} and {state} are shown translated.
REFUSAL_TEXTS = {
    "may_not_import": QT_TRANSLATE_NOOP("Refusal", "Your role ({role}) does not allow importing audio."),
    "may_not_edit": QT_TRANSLATE_NOOP("Refusal", "Your role ({role}) does not allow changing items."),
    "may_not_render": QT_TRANSLATE_NOOP("Refusal", "Your role ({role}) does not allow rendering items."),
    "may_not_submit": QT_TRANSLATE_NOOP("Refusal",
                                        "Your role ({role}) does not allow submitting items for approval."),
    "may_not_approve": QT_TRANSLATE_NOOP("Refusal", "Your role ({role}) does not allow approving items."),
    "may_not_reject": QT_TRANSLATE_NOOP("Refusal", "Your role ({role}) does not allow returning items."),
    "may_not_archive": QT_TRANSLATE_NOOP("Refusal", "Your role ({role}) does not allow archiving items."),
    "cannot_import": QT_TRANSLATE_NOOP("Refusal", "The item is already in the library."),
    "cannot_edit": QT_TRANSLATE_NOOP("Refusal", "Archived items cannot be changed."),
    "cannot_submit": QT_TRANSLATE_NOOP("Refusal", "Only drafts can be submitted for approval. "
                                                  "This item's status: {state}."),
    "cannot_approve": QT_TRANSLATE_NOOP("Refusal", "Only items awaiting approval can be approved. "
                                                   "This item's status: {state}."),
    "cannot_reject": QT_TRANSLATE_NOOP("Refusal", "Only items awaiting approval can be returned. "
                                                  "This item's status: {state}."),
    "cannot_archive": QT_TRANSLATE_NOOP("Refusal", "The item is archived already."),
    "note_required": QT_TRANSLATE_NOOP("Refusal", "Say what must be fixed when returning an item."),
}


def refusal_text(exc: Refused) -> str:
    """The refusal as a sentence in the interface language (an unknown code: the service's English)."""
    text = REFUSAL_TEXTS.get(exc.code)
    if text is None:
        return str(exc)
    params = dict(exc.params)
    if "role" in params:
        params["role"] = label(ROLE_LABELS, params["role"])
    if "state" in params:
        params["state"] = label(STATE_LABELS, params["state"])
    return QCoreApplication.translate("Refusal", text).format_map(params)


def reason(exc: BaseException) -> str:
    """Why something could not be done, for a message: a refusal in the interface language, anything
    else in the words of the exception."""
    if isinstance(exc, Refused):
        return refusal_text(exc)
    return str(exc) or type(exc).__name__
