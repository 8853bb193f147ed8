"""Scheduling: rules, conflicts, compilation of the ``sched`` documents, the scheduler service and the
dispatcher (docs/scheduling.md)."""
