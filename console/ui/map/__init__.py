"""The live map widget (``view.MapView``) and its tile layer (``tiles.TileLayer``). See docs/map.md."""
