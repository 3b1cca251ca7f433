"""Production settings for ``gunicorn app:server`` (read automatically from this folder).

The settings themselves are ``routemap.server.settings`` (the same ones ``make run`` and
``routemap serve`` use). Environment: ROUTEMAP_DATA (data directory), ROUTEMAP_BIND (default
127.0.0.1:8050; put a reverse proxy in front for TLS), WEB_CONCURRENCY (workers, default 2 —
one per core here), ROUTEMAP_ALLOWED_HOSTS (comma-separated Host names the app answers).
"""

from routemap.server import settings

globals().update(settings())
