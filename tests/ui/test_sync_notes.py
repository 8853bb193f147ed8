"""The inbox's own notes (console/sync/inbox.py, NOTES) shown in the window's language."""

from console.sync.inbox import NOTES
from console.ui import i18n
from console.ui.sync.model import note_text


def test_the_inbox_notes_are_shown_translated_and_other_notes_as_they_are(qapp):
    scheduled = NOTES["scheduled"].format(when="07:30 27/11/2026", schedule=41, state="approved")
    try:
        i18n.install(qapp, "en")
        assert note_text(scheduled) == scheduled
        i18n.install(qapp, "vi")
        assert note_text(scheduled) == "Đã xếp lịch phát lúc 07:30 27/11/2026 (lịch 41, approved)."
        assert note_text(NOTES["confirm"]) == "Bản tin khẩn cấp: xác nhận để phát ngay."
        assert note_text("Thôn Đông đã họp, không cần phát") == "Thôn Đông đã họp, không cần phát"  # an operator's
        assert note_text("") == ""
    finally:
        i18n.install(qapp, "en")
