"""Decoders of the two payloads, as ``src/bundle/decode.ts`` and ``tracelist.ts``.

They never raise: every problem names its field path, with the same words
as the TypeScript decoders, and good entries are kept in place. The
fallbacks print the errors, so the words are part of the contract.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from ._js import (
    ellipsize,
    is_number,
    js_trim,
    json_string,
    number_text,
    parse_json,
    u16_len,
    u16_slice,
)
from ._url import safe_http_url, without_credentials

#: The contract version this package writes and reads.
BUNDLE_VERSION = 1

#: An absent field (JavaScript's undefined), as opposed to a JSON null.
MISSING = object()


def describe_type(value: Any) -> str:
    """A short name for a JSON value's kind, for error messages."""
    if value is None:
        return "null"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "boolean"
    if is_number(value):
        return "number"
    return "string" if isinstance(value, str) else "object"


@dataclass
class Entry:
    """One decoded trace entry (a trace-list row has no spans)."""

    trace_id: str
    info: dict | None = None
    spans: list | None = None
    truncated: dict | None = None
    error: str | None = None
    #: Set while the trace is live (see read_live).
    live: dict | None = None
    #: The built trace and its summary, once a fallback has made them.
    built: Any = field(default=None, compare=False, repr=False)

    @property
    def embedded(self) -> bool:
        return self.info is not None and self.spans is not None


@dataclass
class Decoded:
    """A decoded bundle of either kind."""

    version: int | float | None = None
    tracking_uri: str | None = None
    traces: list[Entry] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    compare: bool = False
    experiment_ids: list[str] = field(default_factory=list)
    filter: str | None = None
    order_by: list[str] = field(default_factory=list)
    max_results: int | float | None = None
    next_page_token: str | None = None
    #: Set when the list is one session's traces (``mlflow.trace.session``).
    session_id: str | None = None


def read_id(raw: Any, path: str) -> tuple[str | None, str | None]:
    """(id, None) for a non-empty string id, else (None, problem naming ``path``)."""
    if raw is MISSING:
        return None, f"{path} is missing"
    if not isinstance(raw, str):
        return None, f"{path} is not a string (got {describe_type(raw)})"
    if js_trim(raw) == "":
        return None, f"{path} is empty"
    return js_trim(raw), None


def _read_version(raw: Any, result: Decoded) -> None:
    if raw is MISSING:
        result.errors.append("version is missing")
        return
    if not is_number(raw) or not math.isfinite(raw) or raw != math.floor(raw) or raw < 1:
        got = number_text(raw) if is_number(raw) else describe_type(raw)
        result.errors.append(f"version is not a positive integer (got {got})")
        return
    if raw > BUNDLE_VERSION:
        result.warnings.append(
            f"version {number_text(raw)} is newer than version {BUNDLE_VERSION}, "
            "which this reader knows; it is read best-effort"
        )
    result.version = raw


def _read_tracking_uri(raw: Any, result: Decoded) -> None:
    if raw is None or raw == "":
        return
    url = safe_http_url(raw)
    if url is None and isinstance(raw, str) and without_credentials(raw):
        result.warnings.append("tracking_uri holds credentials and is ignored")
        return
    if url is None:
        if isinstance(raw, str):
            shown = json_string(u16_slice(raw, 80) + "…" if u16_len(raw) > 80 else raw)
        else:
            shown = describe_type(raw)
        result.warnings.append(f"tracking_uri is not an http(s) URL and is ignored (got {shown})")
        return
    result.tracking_uri = url


def _read_header(data: Any, result: Decoded) -> dict | None:
    if isinstance(data, str):
        try:
            data = parse_json(data)
        except ValueError as error:
            result.errors.append(f"the data is not valid JSON ({error})")
            return None
    if not isinstance(data, dict):
        result.errors.append(f"the bundle is not an object (got {describe_type(data)})")
        return None
    _read_version(data.get("version", MISSING), result)
    _read_tracking_uri(data.get("tracking_uri"), result)
    return data


def _read_truncation(raw: Any, path: str, result: Decoded) -> dict | None:
    max_string = raw.get("max_string") if isinstance(raw, dict) else None
    if not is_number(max_string) or not max_string >= 0:
        result.warnings.append(
            f"{path} is not {{max_string: number}} and is ignored (got {describe_type(raw)})"
        )
        return None
    truncation = {"max_string": max_string}
    if raw.get("spans_dropped") is True:
        truncation["spans_dropped"] = True
    return truncation


# --- the live object (src/bundle/livewire.ts) -----------------------------

#: The statuses a live trace may have.
LIVE_STATUSES = ("running", "interrupted")


def _shown(value: Any) -> str:
    """A value as a warning shows it: a number as written, a string quoted, else its kind."""
    if is_number(value):
        return number_text(value)
    if isinstance(value, str):
        return json_string(ellipsize(value, 40))
    return describe_type(value)


def _is_integer(value: Any) -> bool:
    """``Number.isInteger(value)``."""
    if not is_number(value):
        return False
    try:
        number = float(value)
    except OverflowError:  # beyond any double: JavaScript reads Infinity
        return False
    return math.isfinite(number) and number == math.floor(number)


def _integer_problem(value: Any, minimum: int, required: bool) -> str | None:
    if value is MISSING:
        return "is missing" if required else None
    if _is_integer(value) and value >= minimum:
        return None
    return f"is not an integer >= {minimum} (got {_shown(value)})"


def _first_live_problem(raw: dict) -> tuple[str, str] | None:
    status = raw.get("status", MISSING)
    if not isinstance(status, str) or status not in LIVE_STATUSES:
        got = "missing" if status is MISSING else _shown(status)
        return "status", f'is not "running" or "interrupted" (got {got})'
    integers = (
        ("updated_unix_ms", 0, True),
        ("update_every_ms", 1, True),
        ("sequence", 1, True),
        ("spans_omitted", 0, False),
        ("interrupted_at_unix_nano", 0, status == "interrupted"),
    )
    for name, minimum, required in integers:
        problem = _integer_problem(raw.get(name, MISSING), minimum, required)
        if problem is not None:
            return name, problem
    reason = raw.get("reason", MISSING)
    if reason is not MISSING and not isinstance(reason, str):
        return "reason", f"is not a string (got {_shown(reason)})"
    return None


def read_live(raw: Any, path: str, warnings: list[str]) -> dict | None:
    """The ``live`` of an entry at ``path`` (e.g. ``traces[0].live``), or None
    with a warning naming the bad field: the trace then shows as not live.
    ``raw`` is MISSING when the entry has none. Fields this reader does not
    know are left out."""
    if raw is MISSING:
        return None
    if not isinstance(raw, dict):
        warnings.append(f"{path} is not an object and is ignored (got {describe_type(raw)})")
        return None
    problem = _first_live_problem(raw)
    if problem is not None:
        warnings.append(f"{path}.{problem[0]} {problem[1]}; the trace is shown as not live")
        return None
    live = {key: raw[key] for key in ("status", "updated_unix_ms", "update_every_ms", "sequence")}
    for key in ("spans_omitted", "interrupted_at_unix_nano", "reason"):
        if key in raw:
            live[key] = raw[key]
    return live


def _decode_entry(raw: Any, index: int, result: Decoded) -> Entry:
    path = f"traces[{index}]"
    if not isinstance(raw, dict):
        error = f"{path} is not an object (got {describe_type(raw)})"
        result.errors.append(error)
        return Entry("", error=error)
    problems = []
    trace_id, problem = read_id(raw.get("trace_id", MISSING), f"{path}.trace_id")
    entry = Entry(trace_id or "")
    if problem:
        problems.append(problem)
    info = raw.get("info")
    if isinstance(info, dict):
        entry.info = info
    elif "info" in raw:
        problems.append(f"{path}.info is not an object (got {describe_type(info)})")
    spans = raw.get("spans")
    if isinstance(spans, list):
        entry.spans = spans
    elif "spans" in raw:
        problems.append(f"{path}.spans is not a list (got {describe_type(spans)})")
    if "truncated" in raw:
        entry.truncated = _read_truncation(raw["truncated"], f"{path}.truncated", result)
    entry.live = read_live(raw.get("live", MISSING), f"{path}.live", result.warnings)
    info_id = entry.info.get("trace_id") if entry.info is not None else None
    if entry.trace_id and isinstance(info_id, str) and info_id != entry.trace_id:
        result.warnings.append(
            f"{path}.info.trace_id ({info_id}) differs from {path}.trace_id ({entry.trace_id})"
        )
    if problems:
        entry.error = "; ".join(problems)
        result.errors.extend(problems)
    return entry


def decode_trace_bundle(data: Any) -> Decoded:
    """Decodes and validates an ``application/vnd.mlflow.trace+json`` payload."""
    result = Decoded()
    root = _read_header(data, result)
    if root is None:
        return result
    compare = root.get("compare")
    if "compare" in root and not isinstance(compare, bool):
        result.warnings.append(
            f"compare is not a boolean and is ignored (got {describe_type(compare)})"
        )
    result.compare = compare is True
    traces = root.get("traces")
    if "traces" not in root:
        result.errors.append("traces is missing")
    elif not isinstance(traces, list):
        result.errors.append(f"traces is not a list (got {describe_type(traces)})")
    elif not traces:
        result.errors.append("traces is empty")
    else:
        result.traces = [_decode_entry(raw, i, result) for i, raw in enumerate(traces)]
    return result


def _read_strings(raw: Any, path: str, result: Decoded) -> list[str]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        result.warnings.append(f"{path} is not a list and is ignored (got {describe_type(raw)})")
        return []
    out = []
    for i, item in enumerate(raw):
        if isinstance(item, str) or is_number(item):
            out.append(item if isinstance(item, str) else number_text(item))
        else:
            result.warnings.append(
                f"{path}[{i}] is not a string and is ignored (got {describe_type(item)})"
            )
    return out


def _read_query(raw: Any, result: Decoded) -> None:
    if not isinstance(raw, dict):
        result.warnings.append(f"query is not an object and is ignored (got {describe_type(raw)})")
        return
    result.experiment_ids = _read_strings(raw.get("experiment_ids"), "query.experiment_ids", result)
    result.order_by = _read_strings(raw.get("order_by"), "query.order_by", result)
    query_filter = raw.get("filter")
    if isinstance(query_filter, str):
        result.filter = query_filter
    elif query_filter is not None:
        result.warnings.append(
            f"query.filter is not a string and is ignored (got {describe_type(query_filter)})"
        )
    session_id = raw.get("session_id")
    if isinstance(session_id, str) and session_id != "":
        result.session_id = session_id
    elif session_id is not None:
        result.warnings.append(
            "query.session_id is not a non-empty string and is ignored "
            f"(got {describe_type(session_id)})"
        )
    max_results = raw.get("max_results")
    if is_number(max_results) and max_results > 0:
        result.max_results = max_results
    elif max_results is not None:
        result.warnings.append("query.max_results is not a positive number and is ignored")


def decode_trace_list_bundle(data: Any) -> Decoded:
    """Decodes and validates an ``application/vnd.mlflow.trace-list+json`` payload."""
    result = Decoded()
    root = _read_header(data, result)
    if root is None:
        return result
    if "query" in root:
        _read_query(root["query"], result)
    traces = root.get("traces")
    if "traces" not in root:
        result.errors.append("traces is missing")
    elif not isinstance(traces, list):
        result.errors.append(f"traces is not a list (got {describe_type(traces)})")
    else:
        for i, raw in enumerate(traces):
            path = f"traces[{i}]"
            if not isinstance(raw, dict):
                error = f"{path} is not an object (got {describe_type(raw)})"
                result.errors.append(error)
                result.traces.append(Entry("", error=error))
                continue
            trace_id, problem = read_id(raw.get("trace_id", MISSING), f"{path}.trace_id")
            if problem:
                result.errors.append(problem)
            result.traces.append(Entry(trace_id or "", info=raw, error=problem))
    token = root.get("next_page_token")
    if isinstance(token, str) and token != "":
        result.next_page_token = token
    elif token is not None and token != "":
        result.warnings.append(
            f"next_page_token is not a string and is ignored (got {describe_type(token)})"
        )
    return result
