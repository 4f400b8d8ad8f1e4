"""CLI command groups, one module per area (ingest, events, export, serve, bench)."""
