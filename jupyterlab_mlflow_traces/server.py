"""The Jupyter server extension: the renderer's requests go to JupyterLab, which
forwards an allow-list of them to the tracking server its environment names.

Routes (below the server's ``base_url``):

- ``GET mlflow-traces/config``: which tracking server this JupyterLab reads from
  (its URL without credentials), for the renderer's messages;
- ``GET|POST mlflow-traces/proxy/<path>``: ``<path>`` forwarded to that server
  when ``(method, path)`` is on ``ALLOWED_REQUESTS``; anything else is refused.

#### Notes
The target is ``MLFLOW_TRACKING_URI`` of the Jupyter server's environment, read
once at start; a request never names a host. Credentials come from the same
environment as MLflow's Python client reads them (``MLFLOW_TRACKING_TOKEN``,
``MLFLOW_TRACKING_USERNAME`` / ``PASSWORD``, and, where MLflow is importable,
every other authentication its request machinery supports). They are added to
the outgoing request only, and no header of the tracking server's answer is
passed back. Both routes sit behind Jupyter's authentication; POST also behind
its XSRF check.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from jupyter_server.base.handlers import APIHandler
from jupyter_server.utils import url_path_join
from tornado import web

from ._url import without_credentials

#: What the renderer asks of the tracking server: (method, path below the server's URL).
ALLOWED_REQUESTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("GET", re.compile(r"api/3\.0/mlflow/traces/(?!\.\.?$)[^/?#%\\]+")),
    ("GET", re.compile(r"ajax-api/3\.0/mlflow/get-trace-artifact")),
    ("POST", re.compile(r"api/3\.0/mlflow/traces/search")),
)

#: Longest a forwarded request may take, answer included, in seconds.
FORWARD_TIMEOUT_S = 60

ROUTE = "mlflow-traces"


def is_allowed(method: str, path: str) -> bool:
    """True when the renderer may ask this of the tracking server."""
    return any(m == method and pattern.fullmatch(path) for m, pattern in ALLOWED_REQUESTS)


@dataclass(frozen=True)
class Answer:
    """The tracking server's status and body (no headers travel back)."""

    status: int
    body: bytes


class Target:
    """The tracking server of the Jupyter server's environment."""

    def __init__(self, environ: dict[str, str]) -> None:
        raw = environ.get("MLFLOW_TRACKING_URI", "").strip()
        self.raw_uri = raw
        self.uri = raw.rstrip("/") if raw.lower().startswith(("http://", "https://")) else None
        # The URL as the browser may see it: never with user:password@.
        clean = without_credentials(self.uri) if self.uri else None
        self.public_uri = clean[0] if clean else None
        self._environ = environ

    def problem(self) -> str | None:
        """Why nothing can be forwarded, or None."""
        if not self.raw_uri:
            return (
                "The Jupyter server has no MLFLOW_TRACKING_URI, so it cannot fetch traces. "
                "Start JupyterLab with MLFLOW_TRACKING_URI set to your tracking server."
            )
        if self.uri is None:
            return (
                "The Jupyter server's MLFLOW_TRACKING_URI is not an http(s) tracking server "
                "(a local store cannot be read from the browser)."
            )
        return None

    def forward(self, method: str, path: str, query: str, body: bytes | None) -> Answer:
        """Sends one allowed request; blocking (run it in an executor)."""
        try:
            return self._forward_with_mlflow(method, path, query, body)
        except ImportError:
            return self._forward_with_urllib(method, path, query, body)

    def _forward_with_mlflow(
        self, method: str, path: str, query: str, body: bytes | None
    ) -> Answer:
        from mlflow.utils.credentials import get_default_host_creds
        from mlflow.utils.rest_utils import http_request

        params = urllib.parse.parse_qsl(query, keep_blank_values=True)
        kwargs: dict[str, Any] = {"params": params} if params else {}
        if body is not None:
            kwargs["data"] = body
            kwargs["extra_headers"] = {"Content-Type": "application/json"}
        response = http_request(
            get_default_host_creds(self.uri),
            "/" + urllib.parse.quote(path, safe="/"),
            method,
            max_retries=0,
            timeout=FORWARD_TIMEOUT_S,
            raise_on_status=False,
            **kwargs,
        )
        return Answer(response.status_code, response.content)

    def _forward_with_urllib(
        self, method: str, path: str, query: str, body: bytes | None
    ) -> Answer:
        url = f"{self.uri}/{urllib.parse.quote(path, safe='/')}" + (f"?{query}" if query else "")
        request = urllib.request.Request(url, data=body, method=method)
        request.add_header("Content-Type", "application/json")
        token = self._environ.get("MLFLOW_TRACKING_TOKEN")
        username = self._environ.get("MLFLOW_TRACKING_USERNAME")
        password = self._environ.get("MLFLOW_TRACKING_PASSWORD")
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        elif username and password:
            basic = base64.b64encode(f"{username}:{password}".encode()).decode()
            request.add_header("Authorization", f"Basic {basic}")
        try:
            with urllib.request.urlopen(request, timeout=FORWARD_TIMEOUT_S) as answer:
                return Answer(answer.status, answer.read())
        except urllib.error.HTTPError as error:
            return Answer(error.code, error.read())


def _error_body(error_code: str, message: str) -> str:
    return json.dumps({"error_code": error_code, "message": message})


class ConfigHandler(APIHandler):
    """Which tracking server this JupyterLab reads from."""

    def initialize(self, target: Target) -> None:
        self.target = target

    @web.authenticated
    def get(self) -> None:
        self.finish(
            json.dumps({"tracking_uri": self.target.public_uri, "problem": self.target.problem()})
        )


class ProxyHandler(APIHandler):
    """Forwards allowed requests to the target tracking server."""

    def initialize(self, target: Target) -> None:
        self.target = target

    @web.authenticated
    async def get(self, path: str) -> None:
        await self._forward("GET", path)

    @web.authenticated
    async def post(self, path: str) -> None:
        await self._forward("POST", path)

    async def _forward(self, method: str, path: str) -> None:
        if not is_allowed(method, path):
            self._reply(
                403,
                _error_body(
                    "NOT_ALLOWED",
                    f"{method} /{path} is not a request the trace renderer may forward "
                    "to the tracking server.",
                ),
            )
            return
        problem = self.target.problem()
        if problem:
            self._reply(503, _error_body("NO_TRACKING_SERVER", problem))
            return
        body = self.request.body if method == "POST" else None
        loop = asyncio.get_running_loop()
        try:
            answer = await loop.run_in_executor(
                None, self.target.forward, method, path, self.request.query, body
            )
        except Exception as error:
            self.log.warning("mlflow-traces: forwarding %s /%s failed: %s", method, path, error)
            self._reply(
                502,
                _error_body(
                    "TRACKING_SERVER_UNREACHABLE",
                    f"The Jupyter server could not reach the tracking server "
                    f"{self.target.public_uri}: {type(error).__name__}.",
                ),
            )
            return
        self.set_status(answer.status)
        self.set_header("Content-Type", "application/json")
        self.finish(answer.body)

    def _reply(self, status: int, body: str) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(body)


def _load_jupyter_server_extension(server_app: Any) -> None:
    """Registers the routes below the server's base_url."""
    target = Target(dict(os.environ))
    base = url_path_join(server_app.web_app.settings["base_url"], ROUTE)
    server_app.web_app.add_handlers(
        ".*$",
        [
            (url_path_join(base, "config"), ConfigHandler, {"target": target}),
            (url_path_join(base, "proxy", "(.*)"), ProxyHandler, {"target": target}),
        ],
    )
    server_app.log.info(
        "jupyterlab_mlflow_traces: forwarding trace requests to %s",
        target.public_uri or f"nothing ({target.problem()})",
    )
