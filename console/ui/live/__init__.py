"""The live desk and the emergency broadcast (docs/live.md, docs/ui.md "Live and emergency").

- ``model``: what the widgets show, without widgets: session snapshots, clock texts, end reasons,
  refusals in words, the push-to-talk state machine, the level holder the audio thread writes;
- ``control``: :class:`~console.ui.live.control.LiveControl`, the one object between the widgets and
  ``LiveService``: every call that may block runs on the task API, status is polled on one timer;
- ``widgets``: the level meter, the input choice, the target choice, the ON AIR banner;
- ``desk``: the live desk (tab); ``emergency``: the emergency dialog;
- ``demo``: the demo sessions for screenshots.
"""
