"""sitrep: news reports about armed conflict in, an auditable incident dataset out."""

__version__ = "0.1.0"
