"""Jupyter Server configuration for the galata UI tests (never for production).

Started by ui-tests/playwright.config.js (`webServer`), which sets:
  UI_JUPYTER_PORT              the port to listen on (galata's default is 8888)
  JUPYTERLAB_GALATA_ROOT_DIR   the server's root directory (a fresh temp dir per run)
  MLFLOW_TRACKING_URI          the tracking server started by global-setup.js
"""

import os

from jupyterlab.galata import configure_jupyter_server

configure_jupyter_server(c)  # noqa: F821

c.ServerApp.ip = "127.0.0.1"  # noqa: F821
c.ServerApp.port = int(os.environ.get("UI_JUPYTER_PORT", "8888"))  # noqa: F821
c.ServerApp.port_retries = 0  # noqa: F821
# Fewer moving parts on a small machine: no news or update checks from the browser.
c.LabApp.news_url = None  # noqa: F821
c.LabApp.check_for_updates_class = "jupyterlab.handlers.announcements.NeverCheckForUpdate"  # noqa: F821
# Containers and CI often run as root; JupyterLab refuses to start as root without this.
c.ServerApp.allow_root = True  # noqa: F821
