"""The report dialog (console/report/ does the work)."""
