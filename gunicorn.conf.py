"""Production settings for ``gunicorn app:server`` (read automatically from this folder).

Environment: ROUTEMAP_DATA (data directory), ROUTEMAP_BIND (default 127.0.0.1:8050; put a
reverse proxy in front for TLS), WEB_CONCURRENCY (workers, default 2 — one per core here),
ROUTEMAP_ALLOWED_HOSTS (comma-separated Host names the app answers; others get 400).
"""

import os

bind = os.environ.get("ROUTEMAP_BIND", "127.0.0.1:8050")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "sync"
# Load and validate the map once in the master before forking: bad data stops the server
# at once with every problem listed, and workers share the built map copy-on-write.
preload_app = True
timeout = 30
# On SIGTERM, workers finish the requests they are serving (up to this many seconds).
graceful_timeout = 20
keepalive = 5
# gunicorn 27 would otherwise open a control socket under the home folder.
control_socket_disable = True
accesslog = "-"
errorlog = "-"
# Headers and request lines beyond these are refused before they reach the app.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
