"""Real `mlflow server` processes for the Python tests: sqlite in a temp dir (or another
store, e.g. PostgreSQL from postgres.py), a free port."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

MLFLOW = Path(sys.executable).with_name("mlflow")

#: The basic-auth server's admin (its basic_auth.ini names them).
ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "py-test-password-1234"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_health(url: str, process: subprocess.Popen, log: Path, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"mlflow server exited ({process.returncode}); see {log}")
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.25)
    raise RuntimeError(f"mlflow server at {url} not healthy after {timeout_s} s; see {log}")


@contextmanager
def mlflow_server(
    directory: Path,
    basic_auth: bool = False,
    file_store: bool = False,
    backend_store_uri: str | None = None,
) -> Iterator[str]:
    """Yields the URL of a real tracking server whose data lives in `directory`:
    in sqlite, or in MLflow's file store (which has no QueryTraceMetrics), or in the
    database `backend_store_uri` names (artifacts and the log still in `directory`)."""
    directory.mkdir(parents=True, exist_ok=True)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = dict(os.environ)
    if file_store:
        env["MLFLOW_ALLOW_FILE_STORE"] = "true"
    store = backend_store_uri or (
        f"file://{directory / 'mlruns'}" if file_store else f"sqlite:///{directory / 'mlflow.db'}"
    )
    args = [
        str(MLFLOW),
        "server",
        "--backend-store-uri",
        store,
        "--default-artifact-root",
        str(directory / "artifacts"),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        "1",
    ]
    if basic_auth:
        ini = directory / "basic_auth.ini"
        ini.write_text(
            "\n".join(
                [
                    "[mlflow]",
                    "default_permission = READ",
                    f"database_uri = sqlite:///{directory / 'basic_auth.db'}",
                    f"admin_username = {ADMIN_USERNAME}",
                    f"admin_password = {ADMIN_PASSWORD}",
                    "authorization_function = mlflow.server.auth:authenticate_request_basic_auth",
                    "",
                ]
            )
        )
        args += ["--app-name", "basic-auth"]
        env["MLFLOW_AUTH_CONFIG_PATH"] = str(ini)
        env["MLFLOW_FLASK_SERVER_SECRET_KEY"] = f"py-test-{time.time()}"
    log = directory / "server.log"
    with open(log, "ab") as log_file:
        process = subprocess.Popen(
            args, env=env, stdout=log_file, stderr=log_file, start_new_session=True
        )
    try:
        _wait_for_health(url, process, log, 90)
        yield url
    finally:
        stop_process_group(process)


def stop_process_group(process: subprocess.Popen) -> None:
    """Stops a process started with start_new_session=True, and all it spawned."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
