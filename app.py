"""The WSGI entry point: ``gunicorn app:server`` (production); ``app`` is the same Flask app.

Data comes from ``$ROUTEMAP_DATA`` or ``graph_data/``. On invalid data the app refuses to start:
every problem is printed (as ``routemap validate`` prints them) and the process exits with 1.
Debug is never on here; ``routemap serve --debug`` is the only way to turn it on.
"""

import sys

from routemap import DataError
from routemap.web import create_app

try:
    app = create_app()
except DataError as exc:
    print(exc, file=sys.stderr)
    print("routemap: the app cannot start on invalid data (see above).", file=sys.stderr)
    raise SystemExit(1) from None

server = app
