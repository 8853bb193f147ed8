"""Map data without widgets: province outlines and commune centroids (``geo``), the fleet as marker
arrays (``markers``) and tile sources with their disk cache (``tiles``). See docs/map.md."""
