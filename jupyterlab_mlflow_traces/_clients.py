"""How the server extension reaches the tracking server: its limits (Jupyter's
config), the shared async HTTP clients and the threads that sign requests."""

from __future__ import annotations

import ssl
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
from traitlets import Float, Int
from traitlets.config import Configurable

from ._upstream import Outgoing


class MlflowTracesProxy(Configurable):
    """Limits of a forwarded request (``c.MlflowTracesProxy.*`` in Jupyter's config)."""

    timeout_s = Float(
        60.0, help="Longest a forwarded request may take, from sending it to the last byte."
    ).tag(config=True)
    max_answer_bytes = Int(
        512 * 2**20, help="Largest answer forwarded to the browser, in bytes."
    ).tag(config=True)
    max_label_bytes = Int(
        2**20,
        help="Largest body of a label write (an assessment, a tag, a review item's status), "
        "in bytes; the Jupyter server reads it whole before sending it on. The read of an "
        "assessment before its edit may be twice this.",
    ).tag(config=True)

    @property
    def max_author_check_bytes(self) -> int:
        """Largest answer read to check who wrote an assessment: a label at the cap, read
        back with its source and times (read whole and parsed on the event loop)."""
        return 2 * self.max_label_bytes


class _BrokenOff(Exception):
    """The answer cannot go on; the message says why (for the log)."""


class _Upstream:
    """The async HTTP clients the forwards share (one per TLS setting), and the
    threads that sign requests (the Jupyter server's default pool is not ours)."""

    def __init__(self) -> None:
        self._clients: dict[tuple[Any, Any], httpx.AsyncClient] = {}
        self.signers = ThreadPoolExecutor(max_workers=2, thread_name_prefix="mlflow-traces")

    def client(self, outgoing: Outgoing) -> httpx.AsyncClient:
        key = (outgoing.verify, outgoing.cert)
        if key not in self._clients:
            self._clients[key] = httpx.AsyncClient(
                follow_redirects=False, verify=_tls(outgoing), timeout=None
            )
        return self._clients[key]


def _tls(outgoing: Outgoing) -> bool | ssl.SSLContext:
    """httpx's ``verify`` for MLflow's TLS settings (a CA bundle, no check, a client cert)."""
    if outgoing.verify is True and outgoing.cert is None:
        return True
    if outgoing.verify is False:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    else:
        cafile = outgoing.verify if isinstance(outgoing.verify, str) else None
        context = ssl.create_default_context(cafile=cafile)
    if outgoing.cert:
        context.load_cert_chain(outgoing.cert)
    return context


async def read_whole(
    client: httpx.AsyncClient, outgoing: Outgoing, limit: int
) -> tuple[httpx.Response, bytes]:
    """Sends `outgoing` and reads its whole answer (no more than `limit` bytes, else
    _BrokenOff): for the small reads the extension makes itself."""
    request = client.build_request(outgoing.method, outgoing.url, headers=outgoing.headers)
    answer = await client.send(request, stream=True)
    try:
        body = bytearray()
        async for chunk in answer.aiter_bytes():
            body += chunk
            if len(body) > limit:
                raise _BrokenOff(f"the answer is larger than the {limit}-byte limit.")
    finally:
        await answer.aclose()
    return answer, bytes(body)
