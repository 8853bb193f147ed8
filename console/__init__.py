"""The console: operations console for IP grassroots broadcasting stations."""

__version__ = "0.1.0"
