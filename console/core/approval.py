"""Approval of audio items: states, transitions and who may do what. Pure: no I/O.

    draft --submit--> submitted --approve--> approved
                      submitted --reject (note)--> rejected
    any state but archived --archive--> archived

Editing (the audio or the metadata) keeps a draft a draft and sends a submitted, approved or
rejected item back to draft: what airs is always what an approver saw. Archived items cannot be
edited. Only approved items can be scheduled.
"""

from __future__ import annotations

STATES = ("draft", "submitted", "approved", "rejected", "archived")
ACTIONS = ("import", "edit", "render", "submit", "approve", "reject", "archive")

# Which roles may take which actions (roles from console.settings.ROLES).
PERMISSIONS: dict[str, frozenset[str]] = {
    "editor": frozenset({"import", "edit", "render", "submit"}),
    "approver": frozenset({"render", "submit", "approve", "reject", "archive"}),
    "technician": frozenset(),
    "admin": frozenset(ACTIONS),
}

# action -> {from state: to state}. "import" creates an item (from no state); "render" changes no state.
TRANSITIONS: dict[str, dict[str | None, str]] = {
    "import": {None: "draft"},
    "edit": {"draft": "draft", "submitted": "draft", "approved": "draft", "rejected": "draft"},
    "submit": {"draft": "submitted"},
    "approve": {"submitted": "approved"},
    "reject": {"submitted": "rejected"},
    "archive": {s: "archived" for s in STATES if s != "archived"},
}

_WHAT = {"import": "import audio", "edit": "edit items", "render": "render items",
         "submit": "submit items for approval", "approve": "approve items", "reject": "reject items",
         "archive": "archive items"}
_PAST = {"import": "imported", "edit": "edited", "submit": "submitted",
         "approve": "approved", "reject": "rejected", "archive": "archived"}


def _only(action: str) -> str:
    allowed = [s for s in TRANSITIONS[action] if s is not None]
    return f"; only {' or '.join(allowed)} items can" if len(allowed) <= 2 else ""


# Why an action was refused: code -> the English sentence, filled in from the refusal's params.
# ``may_not_<action>`` (user, role, action): the role does not allow the action;
# ``cannot_<action>`` (state, action): not in the item's state; ``note_required``: a rejection without a note.
REFUSALS: dict[str, str] = {
    **{f"may_not_{a}": f"{{user}} ({{role}}) may not {_WHAT[a]}." for a in ACTIONS},
    **{f"cannot_{a}": f"An item that is {{state}} cannot be {_PAST[a]}{_only(a)}." for a in TRANSITIONS},
    "note_required": "A rejection needs a note that says why.",
}


class Refused(Exception):
    """An action that was not carried out. ``code`` (a key of :data:`REFUSALS`) says why and ``params``
    holds the details, so that the interface can say it in its own language; ``str()`` is the English
    sentence (the command line prints it)."""

    def __init__(self, code: str, **params: str) -> None:
        self.code = code
        self.params = params
        super().__init__(REFUSALS[code].format(**params))


class PermissionDenied(Refused):
    pass


class TransitionRefused(Refused):
    pass


def can(role: str, action: str) -> bool:
    """True if ``role`` may take ``action`` (unknown roles may do nothing)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    return action in PERMISSIONS.get(role, frozenset())


def check_permission(user: str, role: str, action: str) -> None:
    """Raise :class:`PermissionDenied` unless ``role`` may take ``action``."""
    if not can(role, action):
        raise PermissionDenied(f"may_not_{action}", user=user, role=role, action=action)


def transition(state: str | None, action: str, note: str = "") -> str:
    """The state after ``action`` on an item in ``state``; raise :class:`TransitionRefused` if the
    action is not possible there (or a rejection has no note)."""
    targets = TRANSITIONS.get(action)
    if targets is None:
        raise ValueError(f"unknown action {action!r}")
    if state not in targets:
        raise TransitionRefused(f"cannot_{action}", state=str(state), action=action)
    if action == "reject" and not note.strip():
        raise TransitionRefused("note_required", action=action)
    return targets[state]


def schedulable(state: str) -> bool:
    """Only approved items may be scheduled."""
    return state == "approved"
