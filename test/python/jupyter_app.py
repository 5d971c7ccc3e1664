"""A real Jupyter server with this checkout's server extension, for the Python tests."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

from kernel import ROOT
from mlflow_server import free_port, stop_process_group

HERE = Path(__file__).resolve().parent
JUPYTER = Path(sys.executable).with_name("jupyter")
XSRF_TOKEN = "double-submit-test-token"


@dataclass
class JupyterServer:
    url: str  # with the base_url, ending in '/'
    token: str
    log: Path
    pid: int

    def session(self) -> requests.Session:
        """A session authenticated with the token; it then also holds the login cookie
        and an _xsrf cookie (double-submit: a page sends the same value as X-XSRFToken)."""
        session = requests.Session()
        session.headers["Authorization"] = f"token {self.token}"
        session.get(f"{self.url}api/status").raise_for_status()
        session.cookies.set("_xsrf", XSRF_TOKEN)
        return session


def wait_until_serving(
    url: str, token: str, process: subprocess.Popen, log: Path, timeout_s: float
) -> None:
    """Returns once the Jupyter server at `url` answers api/status; raises if it exits or stalls."""
    deadline = time.monotonic() + timeout_s
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"jupyter exited; see {log}:\n{log.read_text()[-2000:]}")
        try:
            if requests.get(f"{url}api/status", params={"token": token}, timeout=2).ok:
                return
        except requests.RequestException:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"jupyter not up after {timeout_s} s; see {log}")
        time.sleep(0.25)


@contextmanager
def jupyter_server(
    directory: Path, env: dict[str, str], base_url: str = "/", config: str = ""
) -> Iterator[JupyterServer]:
    """Yields a started `jupyter server` whose environment is os.environ plus `env`;
    `config` is more of its jupyter_server_config.py (this folder is importable there)."""
    directory.mkdir(parents=True, exist_ok=True)
    port = free_port()
    token = secrets.token_hex(16)
    config_file = directory / "jupyter_server_config.py"
    config_file.write_text(
        'c.ServerApp.jpserver_extensions = {"jupyterlab_mlflow_traces": True}\n' + config
    )
    log = directory / "jupyter.log"
    process_env = {**os.environ, **env, "PYTHONPATH": os.pathsep.join([str(ROOT), str(HERE)])}
    args = [
        str(JUPYTER),
        "server",
        f"--config={config_file}",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.base_url={base_url}",
        f"--ServerApp.root_dir={directory}",
        f"--IdentityProvider.token={token}",
        "--allow-root",
    ]
    with open(log, "ab") as log_file:
        process = subprocess.Popen(
            args, env=process_env, stdout=log_file, stderr=log_file, start_new_session=True
        )
    url = f"http://127.0.0.1:{port}{base_url}"
    try:
        wait_until_serving(url, token, process, log, timeout_s=60)
        yield JupyterServer(url=url, token=token, log=log, pid=process.pid)
    finally:
        stop_process_group(process)
