"""The Province tab: the link's status and history (sync page), the bulletin inbox, the status-bar badge
and the banner for emergency bulletins waiting for confirmation (docs/ui.md, "Province")."""
