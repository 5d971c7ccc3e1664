"""Jupyter Server configuration for `npm run bench` (never for production):
galata's test settings (no token, window.jupyterapp exposed), quiet extras."""

from jupyterlab.galata import configure_jupyter_server

configure_jupyter_server(c)  # noqa: F821

c.ServerApp.ip = "127.0.0.1"  # noqa: F821
c.ServerApp.port_retries = 0  # noqa: F821
c.LabApp.news_url = None  # noqa: F821
c.LabApp.check_for_updates_class = "jupyterlab.handlers.announcements.NeverCheckForUpdate"  # noqa: F821
c.ServerApp.allow_root = True  # noqa: F821
