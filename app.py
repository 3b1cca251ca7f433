"""The WSGI entry point: ``gunicorn app:server``. Data comes from $ROUTEMAP_DATA or graph_data/."""

from routemap.web import create_app

app = create_app()
server = app.server
