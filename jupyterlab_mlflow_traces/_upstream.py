"""What the server extension may ask of the tracking server, and how it signs in.

The allow-list is exactly the requests the renderer makes (the README lists
them), each with the query parameters it needs; anything else is refused before
a byte leaves the Jupyter server. The tracking server is
``MLFLOW_TRACKING_URI`` of the Jupyter server's environment: a request never
names a host, and the URL sent carries no credentials (they go in headers only).
"""

from __future__ import annotations

import base64
import re
import urllib.parse
from dataclasses import dataclass, replace
from typing import Any

from . import _writes
from ._url import without_credentials

#: An MLflow trace id: ``tr-`` and 32 hex digits (MLflow 3), or 32 hex digits
#: (a request id MLflow 2 wrote). Route names under ``traces/`` never match.
_TRACE_ID = r"(?:tr-)?[0-9a-fA-F]{32}"
#: An MLflow assessment id: ``a-`` and 32 hex digits.
_ASSESSMENT_ID = r"a-[0-9a-fA-F]{32}"
#: A trace attachment's id: ``str(uuid.uuid4())``, as MLflow's SDK names one (and the
#: file under the trace's ``attachments/``).
ATTACHMENT_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
#: The largest attachment passed back to the browser, in bytes.
MAX_ATTACHMENT_BYTES = 32 * 2**20
_TRACES = r"api/3\.0/mlflow/traces"
_QUEUES = r"api/3\.0/mlflow/review-queues"


@dataclass(frozen=True)
class Rule:
    """One request the renderer may forward: its method, path and query parameters;
    the authorizer's action it needs; for a write, how its body is rebuilt, and
    whether only the assessment's author may make it."""

    method: str
    path: re.Pattern[str]
    params: tuple[str, ...] = ()
    action: str = "read"
    rebuild: _writes.Rebuild | None = None
    authors_only: bool = False
    #: Query parameters that must fully match a pattern when given (once at most);
    #: a request with one that does not is refused.
    formats: tuple[tuple[str, re.Pattern[str]], ...] = ()
    #: The query parameter that, when given, asks for raw bytes (an attachment):
    #: answered as ``application/octet-stream``, up to ``MAX_ATTACHMENT_BYTES``.
    bytes_param: str | None = None


def _write(method: str, path: str, rebuild: _writes.Rebuild | None, **more: Any) -> Rule:
    return Rule(method, re.compile(path), action="write", rebuild=rebuild, **more)


#: What the renderer asks of the tracking server (paths below the server's URL).
ALLOWED_REQUESTS: tuple[Rule, ...] = (
    Rule("GET", re.compile(rf"api/3\.0/mlflow/traces/{_TRACE_ID}")),
    # A trace's spans; with ``path``, one of its attachments (an image, a recording),
    # named by its id alone: MLflow reads ``attachments/<path>`` of the trace.
    Rule(
        "GET",
        re.compile(r"ajax-api/3\.0/mlflow/get-trace-artifact"),
        ("request_id", "path"),
        formats=(("path", ATTACHMENT_ID),),
        bytes_param="path",
    ),
    Rule("POST", re.compile(r"api/3\.0/mlflow/traces/search")),
    # QueryTraceMetrics: a summary output refreshed in the browser.
    Rule("POST", re.compile(r"api/3\.0/mlflow/traces/metrics")),
    # Labels: assessments (an edit or delete of one's own only) and trace tags.
    _write("POST", rf"{_TRACES}/{_TRACE_ID}/assessments", _writes.create_assessment),
    _write(
        "PATCH",
        rf"{_TRACES}/{_TRACE_ID}/assessments/{_ASSESSMENT_ID}",
        _writes.update_assessment,
        authors_only=True,
    ),
    _write(
        "DELETE",
        rf"{_TRACES}/{_TRACE_ID}/assessments/{_ASSESSMENT_ID}",
        None,
        authors_only=True,
    ),
    _write("PATCH", rf"{_TRACES}/{_TRACE_ID}/tags", _writes.set_tag),
    _write("DELETE", rf"{_TRACES}/{_TRACE_ID}/tags", _writes.delete_tag),
    # Review queues: reviewing from one, and recording what was reviewed.
    Rule(
        "GET",
        re.compile(rf"{_QUEUES}/list"),
        ("experiment_id", "max_results", "page_token"),
    ),
    Rule(
        "GET",
        re.compile(rf"{_QUEUES}/items/list"),
        ("queue_id", "status", "max_results", "page_token"),
    ),
    _write("POST", rf"{_QUEUES}/items/set-status", _writes.set_item_status),
)


def rule_for(method: str, path: str) -> Rule | None:
    """The rule that lets the renderer ask this of the tracking server, or None."""
    return next(
        (rule for rule in ALLOWED_REQUESTS if rule.method == method and rule.path.fullmatch(path)),
        None,
    )


def needed_params(rule: Rule, query: str) -> list[tuple[str, str]]:
    """The browser's query parameters this request needs; the rest (Jupyter's own
    ``token`` among them) stay on the Jupyter server."""
    pairs = urllib.parse.parse_qsl(query, keep_blank_values=True)
    return [(name, value) for name, value in pairs if name in rule.params]


def query_problem(rule: Rule, query: str) -> str | None:
    """Why the query may not be forwarded under this rule (a parameter given twice,
    or not in its format), or None."""
    pairs = urllib.parse.parse_qsl(query, keep_blank_values=True)
    for name, pattern in rule.formats:
        values = [value for key, value in pairs if key == name]
        if len(values) > 1:
            return f"the query parameter {name} is given more than once"
        if values and not pattern.fullmatch(values[0]):
            return f"the query parameter {name} is not in the form the renderer sends"
    return None


def asks_for_bytes(rule: Rule, query: str) -> bool:
    """True when the request asks for raw bytes (an attachment), not JSON."""
    if rule.bytes_param is None:
        return False
    pairs = urllib.parse.parse_qsl(query, keep_blank_values=True)
    return any(name == rule.bytes_param for name, _ in pairs)


@dataclass(frozen=True)
class Outgoing:
    """A request ready to send: the URL carries no credentials, the headers do."""

    method: str
    url: str
    headers: dict[str, str]
    body: bytes | None
    verify: bool | str
    cert: str | None


class Target:
    """The tracking server of the Jupyter server's environment."""

    def __init__(self, environ: dict[str, str]) -> None:
        raw = environ.get("MLFLOW_TRACKING_URI", "").strip()
        self.raw_uri = raw
        http = raw.rstrip("/") if raw.lower().startswith(("http://", "https://")) else None
        # The URL as the browser and the log may see it: never with user:password@.
        clean = without_credentials(http) if http else None
        self.public_uri = clean[0].rstrip("/") if clean else None
        self._userinfo = urllib.parse.urlsplit(http) if clean and clean[1] else None
        self._environ = environ

    def problem(self) -> str | None:
        """Why nothing can be forwarded, or None."""
        if not self.raw_uri:
            return (
                "The Jupyter server has no MLFLOW_TRACKING_URI, so it cannot fetch traces. "
                "Start JupyterLab with MLFLOW_TRACKING_URI set to your tracking server."
            )
        if self.public_uri is None:
            return (
                "The Jupyter server's MLFLOW_TRACKING_URI is not an http(s) tracking server "
                "(a local store cannot be read from the browser)."
            )
        return None

    def outgoing(self, rule: Rule, path: str, query: str, body: bytes | None) -> Outgoing:
        """The request to send for an allowed one, signed as MLflow's client signs."""
        url = f"{self.public_uri}/{urllib.parse.quote(path, safe='/')}"
        params = needed_params(rule, query)
        if params:
            url += "?" + urllib.parse.urlencode(params)
        headers = {"Content-Type": "application/json"} if body is not None else {}
        try:
            return self._signed_by_mlflow(rule.method, url, headers, body)
        except ImportError:
            return self._signed_from_environ(rule.method, url, headers, body)

    def _signed_by_mlflow(
        self, method: str, url: str, headers: dict[str, str], body: bytes | None
    ) -> Outgoing:
        """Every way MLflow's Python client signs in: token, basic, TLS settings, its
        request-header plugins, an MLFLOW_TRACKING_AUTH plugin, AWS SigV4."""
        from mlflow.tracking.request_header.registry import resolve_request_headers
        from mlflow.utils.credentials import get_default_host_creds

        creds = get_default_host_creds(self.public_uri)
        headers = {**resolve_request_headers(), **headers}
        authorization = _authorization(creds.username, creds.password, creds.token)
        if authorization:
            headers["Authorization"] = authorization
        outgoing = Outgoing(method, url, headers, body, creds.verify, creds.client_cert_path)
        signer = _request_signer(creds)
        if signer is not None:
            outgoing = _signed(outgoing, signer)
        return self._with_userinfo(outgoing)

    def _signed_from_environ(
        self, method: str, url: str, headers: dict[str, str], body: bytes | None
    ) -> Outgoing:
        """Where MLflow is not importable: the same variables, read here."""
        env = self._environ
        authorization = _authorization(
            env.get("MLFLOW_TRACKING_USERNAME"),
            env.get("MLFLOW_TRACKING_PASSWORD"),
            env.get("MLFLOW_TRACKING_TOKEN"),
        )
        if authorization:
            headers = {**headers, "Authorization": authorization}
        insecure = env.get("MLFLOW_TRACKING_INSECURE_TLS", "").lower() in ("true", "1")
        verify = env.get("MLFLOW_TRACKING_SERVER_CERT_PATH") or not insecure
        cert = env.get("MLFLOW_TRACKING_CLIENT_CERT_PATH")
        return self._with_userinfo(Outgoing(method, url, headers, body, verify, cert))

    def _with_userinfo(self, outgoing: Outgoing) -> Outgoing:
        """``user:password@`` in the URI signs in as basic auth when nothing else does
        (as requests does for MLflow's client); it never stays in the URL."""
        if self._userinfo is None or "Authorization" in outgoing.headers:
            return outgoing
        user = urllib.parse.unquote(self._userinfo.username or "")
        password = urllib.parse.unquote(self._userinfo.password or "")
        headers = {**outgoing.headers, "Authorization": _authorization(user, password, None)}
        return replace(outgoing, headers=headers)


def _authorization(username: str | None, password: str | None, token: str | None) -> str | None:
    """MLflow's rule: basic auth when a user name and password are set, else a bearer token."""
    if username and password:
        return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()
    if token:
        return f"Bearer {token}"
    return None


def _request_signer(creds: Any) -> Any:
    """The requests-style auth MLflow's client would attach, or None."""
    if creds.aws_sigv4:
        from requests_auth_aws_sigv4 import AWSSigV4

        return AWSSigV4("execute-api")
    if creds.auth:
        from mlflow.tracking.request_auth.registry import fetch_auth

        return fetch_auth(creds.auth)
    return None


def _signed(outgoing: Outgoing, signer: Any) -> Outgoing:
    """Applies a requests-style auth to the request and keeps the headers it set."""
    import requests

    prepared = requests.Request(
        outgoing.method, outgoing.url, headers=outgoing.headers, data=outgoing.body
    ).prepare()
    prepared = signer(prepared) or prepared
    headers = {name: value for name, value in prepared.headers.items() if name != "Content-Length"}
    return replace(outgoing, headers=headers)
