"""The monitoring views (issue #6): status graphs, alarms, what to fix first, availability. What they
compute without widgets is in ``model.py``; every call to the Monitor runs on the task API."""
