"""The audio library view (``library_view.LibraryView``), its table model, details panel and player."""
