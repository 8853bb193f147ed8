"""The approval state machine and the permission table (pure)."""

import pytest

from console.core.approval import (
    ACTIONS,
    STATES,
    PermissionDenied,
    TransitionRefused,
    can,
    check_permission,
    schedulable,
    transition,
)

# The table of the issue, written out independently of the code.
ALLOWED = {
    "editor": {"import", "edit", "render", "submit"},
    "approver": {"render", "submit", "approve", "reject", "archive"},
    "technician": set(),
    "admin": set(ACTIONS),
}


@pytest.mark.parametrize("role", sorted(ALLOWED))
@pytest.mark.parametrize("action", ACTIONS)
def test_permission_table(role, action):
    assert can(role, action) == (action in ALLOWED[role])


def test_unknown_role_may_do_nothing_and_unknown_action_is_an_error():
    assert not any(can("guest", a) for a in ACTIONS)
    with pytest.raises(ValueError):
        can("admin", "delete")


def test_check_permission_names_the_user_role_and_action():
    check_permission("lan", "approver", "approve")
    with pytest.raises(PermissionDenied, match=r"^hung \(editor\) may not approve items\.$"):
        check_permission("hung", "editor", "approve")
    with pytest.raises(PermissionDenied, match="may not import audio"):
        check_permission("tuan", "technician", "import")


def test_the_path_to_air_and_back():
    state = transition(None, "import")
    assert state == "draft"
    state = transition(state, "submit")
    assert state == "submitted"
    assert transition(state, "reject", "too long") == "rejected"
    state = transition(state, "approve")
    assert state == "approved" and schedulable(state)
    assert transition(state, "archive") == "archived"


@pytest.mark.parametrize("state", ["draft", "submitted", "approved", "rejected"])
def test_editing_sends_an_item_back_to_draft(state):
    assert transition(state, "edit") == "draft"


def test_archived_items_cannot_be_edited_or_moved():
    for action in ("edit", "submit", "approve", "reject", "archive"):
        with pytest.raises(TransitionRefused, match="archived cannot be"):
            transition("archived", action, "note")


@pytest.mark.parametrize("state", ["draft", "approved", "rejected"])
def test_only_submitted_items_can_be_approved_or_rejected(state):
    with pytest.raises(TransitionRefused, match=f"^An item that is {state} cannot be approved; only submitted items can\\.$"):
        transition(state, "approve")
    with pytest.raises(TransitionRefused, match="cannot be rejected"):
        transition(state, "reject", "no")


@pytest.mark.parametrize("state", ["submitted", "approved", "rejected"])
def test_only_drafts_can_be_submitted(state):
    with pytest.raises(TransitionRefused, match="only draft items can"):
        transition(state, "submit")


@pytest.mark.parametrize("note", ["", "   "])
def test_a_rejection_needs_a_note(note):
    with pytest.raises(TransitionRefused, match="needs a note"):
        transition("submitted", "reject", note)


def test_only_approved_items_are_schedulable():
    assert [s for s in STATES if schedulable(s)] == ["approved"]
