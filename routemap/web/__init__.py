"""The web front doors: the pages, the interactive map explorer and the JSON API, all built by
:func:`create_app`."""

from .app import create_app

__all__ = ["create_app"]
