"""The waveform editor of the audio library (issue #3, "Edit").

``editor_widget.EditorWidget`` is the widget to embed; ``waveform_view.WaveformView`` draws an edit
list from peak caches; ``player.Player`` plays it; ``commands.EditCommand`` makes edits undoable.
"""
