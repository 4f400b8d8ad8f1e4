"""The read-only HTTP API and web app behind ``sitrep serve`` (see docs/WEB.md)."""

from .app import create_app

__all__ = ["create_app"]
