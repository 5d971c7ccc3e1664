"""The Jupyter server extension: the renderer's requests go to JupyterLab, which
forwards an allow-list of them to the tracking server its environment names.

Routes (below the server's ``base_url``):

- ``GET mlflow-traces/config``: which tracking server this JupyterLab reads from
  (its URL without credentials), for the renderer's messages, and the Jupyter
  user's name (``user``: who the labels written through it are by);
- ``GET|POST|PATCH|DELETE mlflow-traces/proxy/<path>``: ``<path>`` forwarded to
  that server when it is on ``ALLOWED_REQUESTS`` (``_upstream.py``); anything
  else is refused.

#### Notes
Both routes sit behind Jupyter's authentication and its authorizer (resource
``mlflow-traces``): action ``read`` for the config and the reads (searches
included: they read), ``write`` for the writes (assessments, trace tags, a review
queue item's status); every method but GET also behind Jupyter's XSRF check.
A write's body is rebuilt from the fields it needs (``_writes.py``; one over
``max_label_bytes`` is refused, 413, before it is parsed): the assessment's source
is ``HUMAN`` and the Jupyter user's name (``_writes.jupyter_user``: JupyterHub's
user behind a hub; with Jupyter's own anonymous users, the server's account, as a
tslab cell records it), whatever the browser sent, as is a review item's
``completed_by``; an edit or delete of an assessment first reads it (403
``NOT_YOUR_ASSESSMENT`` unless the Jupyter user wrote it: someone else's is
overridden, a new one; that read is held to twice ``max_label_bytes``).
A forward never blocks the Jupyter server: it runs on the event loop with an
async HTTP client (signing on threads of its own), follows no redirect, streams
the answer through as it arrives (no more than ``max_answer_bytes``), ends at a
total deadline (``timeout_s``, from sending to the last byte) and is cancelled
when the browser goes away. No header of the tracking server's answer is passed
back, and the log names the tracking server without credentials.
A trace attachment (``get-trace-artifact`` with ``path``, which must be an
attachment id, a UUID: anything else is refused, 403) comes back as opaque bytes
(``application/octet-stream``, ``nosniff``, ``Content-Disposition: attachment``,
``Content-Security-Policy: sandbox``), no more than ``MAX_ATTACHMENT_BYTES``; the
renderer types it from the trace's reference and shows only images and audio.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import os
from typing import Any

import httpx
from jupyter_server.auth.decorator import authorized
from jupyter_server.base.handlers import APIHandler
from jupyter_server.utils import url_path_join
from tornado import web

from ._clients import MlflowTracesProxy, _BrokenOff, _Upstream, read_whole
from ._upstream import (
    ALLOWED_REQUESTS,
    MAX_ATTACHMENT_BYTES,
    Outgoing,
    Rule,
    Target,
    asks_for_bytes,
    query_problem,
    rule_for,
)
from ._writes import BadBody, jupyter_user, owner_problem, rebuilt

__all__ = ["ALLOWED_REQUESTS", "MlflowTracesProxy", "is_allowed"]

ROUTE = "mlflow-traces"
#: The resource Jupyter's authorizer is asked about, for every route.
AUTH_RESOURCE = "mlflow-traces"


def is_allowed(method: str, path: str) -> bool:
    """True when the renderer may ask this of the tracking server."""
    return rule_for(method, path) is not None


def _error_body(error_code: str, message: str) -> str:
    return json.dumps({"error_code": error_code, "message": message})


class ConfigHandler(APIHandler):
    """Which tracking server this JupyterLab reads from."""

    auth_resource = AUTH_RESOURCE

    def initialize(self, target: Target) -> None:
        self.target = target

    @web.authenticated
    @authorized("read")
    def get(self) -> None:
        config = {"tracking_uri": self.target.public_uri, "problem": self.target.problem()}
        # who writes the labels (a human source), as the proxy names it
        self.finish(json.dumps({**config, "user": jupyter_user(self)}))


class ProxyHandler(APIHandler):
    """Forwards allowed requests to the target tracking server."""

    auth_resource = AUTH_RESOURCE

    def initialize(self, target: Target, limits: MlflowTracesProxy, upstream: _Upstream) -> None:
        self.target = target
        self.limits = limits
        self.upstream = upstream
        self._relay: asyncio.Task | None = None
        self._streaming = False

    # Which action the authorizer is asked about depends on the request (a search is a
    # POST that reads): _forward asks, per its rule. Tornado checks XSRF for non-GET.
    @web.authenticated
    async def get(self, path: str) -> None:
        await self._forward("GET", path)

    @web.authenticated
    async def post(self, path: str) -> None:
        await self._forward("POST", path)

    @web.authenticated
    async def patch(self, path: str) -> None:
        await self._forward("PATCH", path)

    @web.authenticated
    async def delete(self, path: str) -> None:
        await self._forward("DELETE", path)

    def on_connection_close(self) -> None:
        if self._relay is not None:
            self._relay.cancel()

    async def _forward(self, method: str, path: str) -> None:
        rule = rule_for(method, path)
        user = jupyter_user(self)
        action = rule.action if rule else "read"
        if not await self._authorized(action):
            self._reply(
                403,
                "FORBIDDEN",
                f"The Jupyter server's authorizer does not let {user} {action} "
                f"{AUTH_RESOURCE} (the tracking server's traces through it).",
            )
            return
        if rule is None:
            self._reply(
                403,
                "NOT_ALLOWED",
                f"{method} /{path} is not a request the trace renderer may forward "
                "to the tracking server.",
            )
            return
        refused = query_problem(rule, self.request.query)
        if refused:
            self._reply(
                403,
                "NOT_ALLOWED",
                f"{method} /{path} is not a request the trace renderer may forward: {refused}.",
            )
            return
        problem = self.target.problem()
        if problem:
            self._reply(503, "NO_TRACKING_SERVER", problem)
            return
        too_large = self._too_large(rule)
        if too_large:
            self._reply(413, "REQUEST_TOO_LARGE", too_large)
            return
        try:
            body = self._body(rule, user)
        except BadBody as error:
            self._reply(400, "INVALID_REQUEST_BODY", str(error))
            return
        self._relay = asyncio.ensure_future(self._exchange(rule, path, body, user))
        where = f"{method} /{path} to {self.target.public_uri}"
        timeout_s = self.limits.timeout_s
        try:
            await asyncio.wait_for(self._relay, timeout_s)
        except asyncio.TimeoutError:
            self._fail(
                504,
                "TRACKING_SERVER_TIMEOUT",
                f"The tracking server {self.target.public_uri} did not answer within "
                f"{timeout_s:g} s.",
                f"{where} took longer than {timeout_s:g} s",
            )
        except asyncio.CancelledError:
            self.log.info("mlflow-traces: %s cancelled: the browser went away", where)
        except _BrokenOff as error:
            self._fail(502, "ANSWER_TOO_LARGE", str(error), f"{where}: {error}")
        except httpx.HTTPError as error:
            # httpx's message names no URL; ours has no credentials in any case
            self._fail(
                502,
                "TRACKING_SERVER_UNREACHABLE",
                f"The Jupyter server could not reach the tracking server "
                f"{self.target.public_uri}: {type(error).__name__}.",
                f"forwarding {where} failed: {type(error).__name__}: {error}",
            )
        except Exception as error:  # signing in (an auth plugin, TLS files) failed
            # only the type: a plugin's message may quote what it was given
            self._fail(
                502,
                "TRACKING_SERVER_SIGN_IN_FAILED",
                f"The Jupyter server could not prepare its request to the tracking server "
                f"{self.target.public_uri}: {type(error).__name__}.",
                f"signing {where} failed: {type(error).__name__}",
            )

    async def _authorized(self, action: str) -> bool:
        allowed = self.authorizer.is_authorized(self, self.current_user, action, AUTH_RESOURCE)
        return bool(await allowed) if inspect.isawaitable(allowed) else bool(allowed)

    def _too_large(self, rule: Rule) -> str | None:
        """Why a write's body is not even parsed (its size), or None."""
        limit, size = self.limits.max_label_bytes, len(self.request.body)
        if rule.rebuild is None or size <= limit:
            return None
        return (
            f"The request body ({size} bytes) is larger than the {limit}-byte limit of the "
            "Jupyter server for a label (c.MlflowTracesProxy.max_label_bytes); nothing was "
            "sent to the tracking server."
        )

    def _body(self, rule: Rule, user: str) -> bytes | None:
        """What goes upstream: a write's body rebuilt for `user`, a read's as sent."""
        if rule.rebuild is not None:
            return rebuilt(rule.rebuild, self.request.body, user)
        return self.request.body if rule.method == "POST" else None

    def _signing(self, rule: Rule, path: str, query: str, body: bytes | None) -> asyncio.Future:
        # Signing may import MLflow (seconds, the first time) or fetch credentials (an
        # MLFLOW_TRACKING_AUTH plugin, AWS SigV4): on a thread of our own, never the loop's.
        return asyncio.get_running_loop().run_in_executor(
            self.upstream.signers, self.target.outgoing, rule, path, query, body
        )

    async def _exchange(self, rule: Rule, path: str, body: bytes | None, user: str) -> None:
        """The forward, after the author check of an edit or delete."""
        if rule.authors_only and not await self._by_author(rule, path, user):
            return
        as_bytes = asks_for_bytes(rule, self.request.query)
        await self._relay_answer(self._signing(rule, path, self.request.query, body), as_bytes)

    async def _by_author(self, rule: Rule, path: str, user: str) -> bool:
        """Reads the assessment (same server, same signing); answers and returns False
        unless `user` wrote it."""
        outgoing = await self._signing(Rule("GET", rule.path), path, "", None)
        client = self.upstream.client(outgoing)
        limit = self.limits.max_author_check_bytes
        try:
            answer, body = await read_whole(client, outgoing, limit)
        except _BrokenOff:
            raise _BrokenOff(
                f"The tracking server's answer for this assessment, read to check who wrote "
                f"it, is larger than the {limit}-byte limit of the Jupyter server (twice "
                "c.MlflowTracesProxy.max_label_bytes); it was not changed."
            ) from None
        if answer.is_redirect:
            self._reply_redirect(answer.status_code)
            return False
        if answer.status_code != 200:  # e.g. 404: no such assessment, as MLflow says it
            self.set_status(answer.status_code)
            self.set_header("Content-Type", "application/json")
            self.finish(body)
            return False
        try:
            problem = owner_problem(json.loads(body), user)
        except ValueError:
            problem = "The tracking server's answer for this assessment is not JSON."
        if problem:
            self._reply(403, "NOT_YOUR_ASSESSMENT", problem)
            return False
        return True

    def _reply_redirect(self, status: int) -> None:
        self.log.warning(
            "mlflow-traces: %s answered %d, a redirect, not followed",
            self.target.public_uri,
            status,
        )
        self._reply(
            502,
            "TRACKING_SERVER_REDIRECT",
            f"The tracking server {self.target.public_uri} answered with a redirect "
            f"({status}), which is not followed: set MLFLOW_TRACKING_URI "
            "of the Jupyter server to the URL it redirects to.",
        )

    async def _relay_answer(self, signing: asyncio.Future[Outgoing], as_bytes: bool) -> None:
        """Sends the request and streams the answer to the browser as it arrives; an
        attachment's bytes (``as_bytes``) as an opaque download, never sniffed or run."""
        outgoing = await signing
        client = self.upstream.client(outgoing)
        request = client.build_request(
            outgoing.method, outgoing.url, headers=outgoing.headers, content=outgoing.body
        )
        answer = await client.send(request, stream=True)
        try:
            if answer.is_redirect:
                self._reply_redirect(answer.status_code)
                return
            limit = self.limits.max_answer_bytes
            if as_bytes:
                limit = min(limit, MAX_ATTACHMENT_BYTES)
            too_large = f"the answer is larger than the {limit}-byte limit of the Jupyter server"
            declared = answer.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > limit:
                raise _BrokenOff(f"{too_large} ({declared} bytes).")
            self.set_status(answer.status_code)
            if as_bytes and answer.status_code == 200:
                self.set_header("Content-Type", "application/octet-stream")
                self.set_header("X-Content-Type-Options", "nosniff")
                self.set_header("Content-Disposition", "attachment")
                self.set_header("Content-Security-Policy", "sandbox")
            else:
                self.set_header("Content-Type", "application/json")
            sent = 0
            async for chunk in answer.aiter_bytes():
                sent += len(chunk)
                if sent > limit:
                    raise _BrokenOff(f"{too_large}; it was broken off there.")
                self.write(chunk)
                self._streaming = True
                await self.flush()  # waits for the browser: memory holds a chunk or two
            self.finish()
        finally:
            await answer.aclose()

    def _fail(self, status: int, error_code: str, message: str, log_line: str) -> None:
        """A clear error while nothing is sent yet; later, the answer is broken off."""
        self.log.warning("mlflow-traces: %s", log_line)
        if not self._streaming:
            self.clear()
            self._reply(status, error_code, message)
            return
        # Part of the answer went out with its status: breaking the connection is the
        # one way left to say it is incomplete (chunked, it lacks its last chunk).
        self.request.connection.close()

    def _reply(self, status: int, error_code: str, message: str) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(_error_body(error_code, message))


def _load_jupyter_server_extension(server_app: Any) -> None:
    """Registers the routes below the server's base_url."""
    target = Target(dict(os.environ))
    limits = MlflowTracesProxy(config=server_app.config, parent=server_app)
    base = url_path_join(server_app.web_app.settings["base_url"], ROUTE)
    proxy = {"target": target, "limits": limits, "upstream": _Upstream()}
    server_app.web_app.add_handlers(
        ".*$",
        [
            (url_path_join(base, "config"), ConfigHandler, {"target": target}),
            (url_path_join(base, "proxy", "(.*)"), ProxyHandler, proxy),
        ],
    )
    server_app.log.info(
        "jupyterlab_mlflow_traces: forwarding trace requests to %s",
        target.public_uri or f"nothing ({target.problem()})",
    )
