"""The web front doors: the Dash app and the JSON API, both built by :func:`create_app`."""

from .app import create_app

__all__ = ["create_app"]
