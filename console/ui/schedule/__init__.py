"""The scheduling views: timeline (day/week), schedule editor, as-run receipts (docs/ui.md)."""
