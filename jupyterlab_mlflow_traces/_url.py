"""The one URL rule for links and tracking URIs, as ``src/trace/url.ts``.

An absolute http(s) URL with a host, nothing hidden in it (no white space or
control character) and never credentials: they would end up in a notebook.

#### Notes
JavaScript checks the URL with the WHATWG parser (``new URL``). This module
checks the same things for the URLs a tracking server has (a host name, an
IPv4 or IPv6 address, a port, a path); exotic hosts that only a full WHATWG
parser would accept or reject (IDNA edge cases) may be judged differently.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any
from urllib.parse import quote, unquote

from ._js import JS_WHITESPACE, js_trim, well_formed

_HTTP_START = re.compile(r"^https?://[^/?#" + re.escape(JS_WHITESPACE) + "]+", re.IGNORECASE)
_FORBIDDEN_HOST = set(" #%/:<>?@[\\]^|\x7f") | {chr(c) for c in range(0x20)}
_DEFAULT_PORTS = {"http": "80", "https": "443"}
# WHATWG percent-encode sets for the parts kept when credentials are removed
_PATH_ENCODE = set(' "#<>?`{}')
_QUERY_ENCODE = set(" \"#<>'")
_FRAGMENT_ENCODE = set(' "<>`')


def _has_control_char(text: str) -> bool:
    return any(ord(char) < 0x20 or char == "\x7f" or char in JS_WHITESPACE for char in text)


def _ipv4_number(part: str) -> int | None:
    try:
        if part[:2].lower() == "0x":
            return int(part[2:] or "0", 16)
        if len(part) > 1 and part[0] == "0":
            return int(part[1:], 8)
        return int(part, 10) if part.isascii() and part.isdigit() else None
    except ValueError:
        return None


def _host_ok(host: str) -> bool:
    if host.startswith("["):
        if not host.endswith("]"):
            return False
        try:
            ipaddress.IPv6Address(host[1:-1])
        except ValueError:
            return False
        return True
    host = unquote(host)  # the WHATWG parser percent-decodes a host first
    if host == "" or any(char in _FORBIDDEN_HOST for char in host):
        return False
    labels = host.rstrip(".").split(".") if host != "." else [""]
    last = labels[-1]
    if last and (last.isascii() and last.isdigit() or last[:2].lower() == "0x"):
        # ends in a number: the host must be an IPv4 address
        numbers = [_ipv4_number(label) for label in labels]
        if len(numbers) > 4 or any(number is None for number in numbers):
            return False
        if any(number > 255 for number in numbers[:-1]):
            return False
        return numbers[-1] < 256 ** (5 - len(numbers))
    try:
        host.encode("idna")
    except UnicodeError:
        return False
    return True


class _Parsed:
    """The parts of an absolute http(s) URL."""

    def __init__(self, scheme: str, userinfo: str | None, host: str, port: str, rest: str):
        self.scheme = scheme
        self.userinfo = userinfo
        self.host = host
        self.port = port
        self.rest = rest

    @property
    def credentials(self) -> bool:
        return self.userinfo is not None and self.userinfo not in ("", ":")

    def href_without_credentials(self) -> str:
        host = self.host.lower()
        port = "" if self.port in ("", _DEFAULT_PORTS[self.scheme]) else f":{int(self.port)}"
        return f"{self.scheme}://{host}{port}{_serialize_rest(self.rest)}"


def _encode(text: str, chars: set) -> str:
    return "".join(
        quote(char, safe="") if char in chars or ord(char) > 0x7E else char for char in text
    )


def _serialize_rest(rest: str) -> str:
    fragment = ""
    if "#" in rest:
        rest, fragment = rest.split("#", 1)
        fragment = "#" + _encode(fragment, _FRAGMENT_ENCODE)
    query = ""
    if "?" in rest:
        rest, query = rest.split("?", 1)
        query = "?" + _encode(query, _QUERY_ENCODE)
    segments: list[str] = []
    for segment in rest.replace("\\", "/").split("/")[1:]:
        if segment in (".", "%2e", "%2E"):
            continue
        if segment in ("..", ".%2e", "%2e.", "%2e%2e", ".%2E", "%2E.", "%2E%2E"):
            if segments:
                segments.pop()
            continue
        segments.append(_encode(segment, _PATH_ENCODE))
    return "/" + "/".join(segments) + query + fragment


def _parse_http_url(text: str) -> _Parsed | None:
    if not _HTTP_START.match(text) or _has_control_char(text):
        return None
    scheme, after = text.split("://", 1)
    end = len(after)
    for char in "/\\?#":
        at = after.find(char)
        if at >= 0:
            end = min(end, at)
    authority, rest = after[:end], after[end:]
    userinfo = None
    if "@" in authority:
        userinfo, authority = authority.rsplit("@", 1)
    host, port = authority, ""
    colon = authority.rfind(":")
    if colon >= 0 and "]" not in authority[colon:]:
        host, port = authority[:colon], authority[colon + 1 :]
        if port and (not (port.isascii() and port.isdigit()) or int(port) > 65535):
            return None
    if not _host_ok(host):
        return None
    return _Parsed(scheme.lower(), userinfo, host, port, rest)


def safe_http_url(value: Any) -> str | None:
    """The URL without trailing slashes when it is an absolute http(s) URL
    without credentials; else None (javascript:, data:, ``user:pw@``, …)."""
    if not isinstance(value, str):
        return None
    text = js_trim(value)
    parsed = _parse_http_url(text)
    if parsed is None or parsed.credentials:
        return None
    return text.rstrip("/")


def without_credentials(value: str) -> tuple[str, bool] | None:
    """An http(s) URL with any ``user:password@`` removed, and whether some
    were; None when the value is not an http(s) URL at all."""
    parsed = _parse_http_url(js_trim(value))
    if parsed is None:
        return None
    credentials = parsed.credentials
    clean = safe_http_url(parsed.href_without_credentials() if credentials else value)
    return None if clean is None else (clean, credentials)


def encode_uri_component(text: str) -> str:
    """``encodeURIComponent`` (lone surrogates, where it would throw, as U+FFFD)."""
    return quote(well_formed(text), safe="-_.!~*'()")


def _experiment_id_of(info: Any) -> str | None:
    location = info.get("trace_location") if isinstance(info, dict) else None
    experiment = location.get("mlflow_experiment") if isinstance(location, dict) else None
    found = experiment.get("experiment_id") if isinstance(experiment, dict) else None
    return found if isinstance(found, str) and found != "" else None


def mlflow_trace_ui_url(tracking_uri: Any, trace_id: str, info: Any) -> str | None:
    """The MLflow UI page of a trace; None without an http(s) tracking URI,
    an experiment id in ``info``, or a trace id."""
    base = safe_http_url(tracking_uri)
    experiment_id = _experiment_id_of(info)
    if base is None or experiment_id is None or not trace_id:
        return None
    # the experiment's Traces tab with the trace's drawer open (MLflow 3.17.2)
    return (
        f"{base}/#/experiments/{encode_uri_component(experiment_id)}/traces"
        f"?selectedEvaluationId={encode_uri_component(trace_id)}"
    )
