"""The reference provincial collector: the province API on aiohttp and SQLAlchemy, for provinces
without a system of their own and as the counterpart in tests (docs/province-api.md)."""
