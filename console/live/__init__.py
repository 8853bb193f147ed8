"""Live announcements and emergency broadcasts (docs/live.md).

- ``source``: where the audio comes from (``MicSource``, ``WavFileSource``) and the chime;
- ``stream``: ``LiveEncoder`` (PyAV), ``LiveChannel`` (fan-out to listeners) and ``LiveBroadcast``
  (source -> chime -> encoder -> channel, with the archive), served by the media server at
  ``/live/{session}.{ext}`` (console/media/server.py);
- ``icecast``: ``IcecastPush``, the same stream pushed to an Icecast server.

Nothing is imported here, so that importing one part does not load PyAV and the others.
"""
