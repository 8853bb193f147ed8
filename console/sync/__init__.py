"""The station's link to the province: the outbox as shipped, the client (behind an adapter), the sync
worker, the bulletin inbox and its receipts (docs/province-api.md)."""
