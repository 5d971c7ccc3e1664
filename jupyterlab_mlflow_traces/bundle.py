"""The Python emitter of the output contract (``contract/``): MLflow traces
as one display message of three MIME types.

``trace_bundle(traces)`` gives ``application/vnd.mlflow.trace+json`` (info and
spans embedded within a byte budget), the static ``text/html`` fallback and
a ``text/plain`` line; ``trace_list_bundle(infos, ...)`` the same for a
query's results. Both take MLflow's own objects (``Trace``, ``TraceInfo``)
or the REST dicts. Pure standard library: MLflow is imported only to turn
its objects into the REST shapes, and only when it is given one.

#### Notes
The encoder is ``src/bundle/encode.ts`` in Python: the same budget
algorithm, the same ``truncated`` marker, the same warnings. ``info`` is the
tracking server's REST TraceInfoV3 (``execution_duration: "0.048s"``, not
``Trace.to_dict()``'s ``execution_duration_ms``); span dicts are the trace
data artifact's, with nanosecond ints exact in the JSON text.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ._decode import BUNDLE_VERSION
from ._js import json_size, well_formed
from ._shorten import shorten_spans
from ._url import without_credentials
from .fallback import render_trace_fallbacks, render_trace_list_html, render_trace_list_text

#: MIME type of one or more traces.
TRACE_MIME_TYPE = "application/vnd.mlflow.trace+json"
#: MIME type of a trace query and its results.
TRACE_LIST_MIME_TYPE = "application/vnd.mlflow.trace-list+json"
#: Default budget of the JSON payload: 4 MiB.
DEFAULT_MAX_BYTES = 4 * 1024 * 1024
#: The first ``max_string`` tried when the payload is over budget.
MAX_STRING_START_CHARS = 65536
#: The smallest ``max_string`` tried before spans are dropped.
MAX_STRING_FLOOR_CHARS = 256


@dataclass
class EncodeResult:
    """A payload, its UTF-8 size as JSON, and the problems worked around."""

    bundle: dict
    size_bytes: int
    warnings: list[str] = field(default_factory=list)


# --- MLflow objects to the REST shapes ------------------------------------


def _duration_text(milliseconds: int | float) -> str:
    """A protobuf Duration in JSON, as the server writes it: "0.048s", "2s"."""
    nanos = int(round(milliseconds * 1_000_000))
    seconds, nanos = divmod(nanos, 1_000_000_000)
    if nanos == 0:
        return f"{seconds}s"
    digits = f"{nanos:09d}"
    for width in (3, 6):
        if digits[width:] == "0" * (9 - width):
            digits = digits[:width]
            break
    return f"{seconds}.{digits}s"


def trace_info_rest(info: Any) -> dict:
    """An MLflow ``TraceInfo`` as ``GET /api/3.0/mlflow/traces/{id}`` returns it.

    A dict is taken as already in that shape. MLflow's own protobuf
    serializer is used; if it is missing or fails, ``to_dict()`` is mended
    (``execution_duration_ms`` becomes ``execution_duration``).
    """
    if isinstance(info, dict):
        return info
    try:
        from mlflow.utils.proto_json_utils import message_to_json

        return json.loads(message_to_json(info.to_proto()))
    except Exception:  # an MLflow that moved its serializer: mend to_dict()
        rest = dict(info.to_dict())
        duration_ms = rest.pop("execution_duration_ms", None)
        if duration_ms is not None:
            rest["execution_duration"] = _duration_text(duration_ms)
        return {key: value for key, value in rest.items() if value is not None}


def trace_input(trace: Any) -> dict:
    """``{"trace_id", "info", "spans"}`` of an MLflow ``Trace`` (or of such a dict)."""
    if isinstance(trace, dict):
        return trace
    info = trace_info_rest(trace.info)
    spans = [span.to_dict() for span in trace.data.spans]
    return {"trace_id": info["trace_id"], "info": info, "spans": spans}


# --- the trace payload ----------------------------------------------------


def _set_tracking_uri(bundle: dict, tracking_uri: str | None, warnings: list[str]) -> None:
    if tracking_uri is None:
        return
    clean = without_credentials(tracking_uri)
    if clean is None:
        warnings.append("trackingUri is not an http(s) URL and is left out")
        return
    if clean[1]:
        warnings.append("trackingUri held credentials: they are left out")
    bundle["tracking_uri"] = clean[0]


def _size(value: Any) -> int:
    return json_size(value)


def _entry(trace: dict, max_chars: int | None) -> dict:
    entry: dict = {"trace_id": trace["trace_id"]}
    if trace.get("info") is not None:
        entry["info"] = trace["info"]
    if trace.get("spans") is not None:
        if max_chars is None:
            entry["spans"] = list(trace["spans"])
        else:
            spans, shortened = shorten_spans(trace["spans"], max_chars)
            entry["spans"] = spans
            if shortened > 0:
                entry["truncated"] = {"max_string": max_chars}
    # Spans the caller already shortened (a live snapshot) keep their mark
    if trace.get("truncated") is not None and "truncated" not in entry:
        entry["truncated"] = trace["truncated"]
    if trace.get("live") is not None:
        entry["live"] = trace["live"]
    return entry


class _Attempt:
    def __init__(self, traces: list[dict], max_chars: int | None) -> None:
        self.entries = [_entry(trace, max_chars) for trace in traces]
        self.sizes = [_size(entry) for entry in self.entries]

    def total(self, head_bytes: int) -> int:
        return head_bytes + max(0, len(self.sizes) - 1) + sum(self.sizes)

    def drop_until_fits(self, head_bytes: int, max_bytes: int, max_chars: int) -> None:
        """Leaves out the largest entries' spans, then their info, until the budget is met."""
        by_size = sorted(range(len(self.entries)), key=lambda i: (-self.sizes[i], i))
        for part in ("spans", "info"):
            for i in by_size:
                if self.total(head_bytes) <= max_bytes:
                    return
                if part not in self.entries[i]:
                    continue
                lean = {key: value for key, value in self.entries[i].items() if key != part}
                lean["truncated"] = {"max_string": max_chars, "spans_dropped": True}
                self.entries[i] = lean
                self.sizes[i] = _size(lean)


def encode_trace_bundle(
    traces: Iterable[Any],
    tracking_uri: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_string_chars: int | None = None,
    embed: str = "full",
    compare: bool = False,
) -> EncodeResult:
    """An ``application/vnd.mlflow.trace+json`` payload within ``max_bytes``.

    ``traces``: MLflow ``Trace`` objects or ``{"trace_id", "info"?, "spans"?}``
    dicts, which may carry ``live`` (written as given) and ``truncated``
    (spans already shortened, as by ``bound_live_snapshot``).
    ``embed="ids"`` writes trace ids only (the renderer fetches them).

    #### Notes
    Over budget, every string longer than ``max_string`` (65536, then halved
    down to 256) is shortened in every trace's spans, and traces that lost
    characters get ``truncated: {max_string}``. If 256 is still too much, the
    largest traces lose their spans, then their info, and get
    ``truncated: {max_string, spans_dropped: true}``. Info is never shortened.
    """
    inputs = [trace_input(trace) for trace in traces]
    warnings: list[str] = []
    bundle: dict = {"version": BUNDLE_VERSION, "traces": []}
    _set_tracking_uri(bundle, tracking_uri, warnings)
    if compare:
        bundle["compare"] = True
    head_bytes = _size(bundle)
    if embed == "ids":
        fit = _Attempt([{"trace_id": trace["trace_id"]} for trace in inputs], None)
    else:
        start = math.floor(max_string_chars) if max_string_chars and max_string_chars >= 1 else None
        max_chars = start
        fit = _Attempt(inputs, max_chars)
        floor_chars = min(start if start is not None else math.inf, MAX_STRING_FLOOR_CHARS)
        while fit.total(head_bytes) > max_bytes:
            if max_chars is not None and max_chars <= floor_chars:
                fit.drop_until_fits(head_bytes, max_bytes, max_chars)
                break
            if max_chars is None or max_chars > MAX_STRING_START_CHARS:
                max_chars = MAX_STRING_START_CHARS
            else:
                max_chars = max(floor_chars, max_chars // 2)
            fit = _Attempt(inputs, max_chars)
    bundle["traces"] = fit.entries
    size_bytes = fit.total(head_bytes)
    if size_bytes > max_bytes:
        warnings.append(
            f"the bundle is {size_bytes} bytes, over the {max_bytes}-byte budget "
            "even with trace ids only"
        )
    return EncodeResult(bundle, size_bytes, warnings)


def well_formed_json(value: Any) -> Any:
    """A copy of a JSON value whose strings (keys too) have no lone surrogate:
    each becomes U+FFFD, as the tslab helper does, since a notebook saved as
    UTF-8 cannot hold one. Values that need no change are returned as they are.
    """
    if isinstance(value, str):
        return well_formed(value)
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return _well_formed_copy(value)
    except (TypeError, ValueError):
        pass
    return value


def _well_formed_copy(value: Any) -> Any:
    if isinstance(value, str):
        return well_formed(value)
    if isinstance(value, list):
        fixed = [_well_formed_copy(item) for item in value]
        return value if all(a is b for a, b in zip(fixed, value, strict=True)) else fixed
    if isinstance(value, dict):
        pairs = [(well_formed(key), _well_formed_copy(item)) for key, item in value.items()]
        unchanged = all(
            key is old_key and item is old_item
            for (key, item), (old_key, old_item) in zip(pairs, value.items(), strict=True)
        )
        return value if unchanged else dict(pairs)
    return value


def trace_bundle(
    traces: Iterable[Any],
    tracking_uri: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    embed: str = "full",
    compare: bool = False,
    warnings: list[str] | None = None,
    live: dict[str, dict] | None = None,
) -> dict:
    """The display data of traces: the trace payload, ``text/html`` and ``text/plain``.

    ``traces``: MLflow ``Trace`` objects or ``{"trace_id", "info"?, "spans"?,
    "live"?}`` dicts. ``tracking_uri``: the kernel's (``mlflow.get_tracking_uri()``);
    written only when it is http(s), always without credentials. ``live``:
    the ``live`` object of each live trace, by trace id. Problems worked
    around are appended to ``warnings`` when a list is given.
    Pass the result to ``IPython.display.display(data, raw=True)``.
    """
    inputs = [trace_input(trace) for trace in traces]
    if live:
        inputs = [
            {**item, "live": live[item["trace_id"]]} if item["trace_id"] in live else item
            for item in inputs
        ]
    result = encode_trace_bundle(inputs, tracking_uri, max_bytes, embed=embed, compare=compare)
    fallbacks = render_trace_fallbacks(inputs, tracking_uri)
    return _display_data(TRACE_MIME_TYPE, result, fallbacks, warnings)


def _display_data(
    mime_type: str, result: EncodeResult, fallbacks: tuple[str, str], warnings: list[str] | None
) -> dict:
    """An encoded payload and its ``(text/html, text/plain)`` fallbacks as
    display data; the encoder's warnings go to ``warnings`` when given."""
    if warnings is not None:
        warnings.extend(result.warnings)
    html, text = fallbacks
    return well_formed_json({mime_type: result.bundle, "text/html": html, "text/plain": text})


# --- the trace-list payload -----------------------------------------------


def encode_trace_list_bundle(
    traces: Iterable[Any],
    experiment_ids: Iterable[str] = (),
    filter: str | None = None,
    order_by: Iterable[str] = (),
    max_results: int | None = None,
    next_page_token: str | None = None,
    tracking_uri: str | None = None,
    max_bytes: int | None = None,
    session_id: str | None = None,
) -> EncodeResult:
    """An ``application/vnd.mlflow.trace-list+json`` payload: a query and one
    page (or all) of its results, as REST TraceInfoV3 rows.

    ``traces``: MLflow ``TraceInfo`` or ``Trace`` objects, or REST dicts.
    """
    warnings: list[str] = []
    query: dict = {
        "experiment_ids": [str(experiment_id) for experiment_id in experiment_ids],
        "order_by": list(order_by),
    }
    if filter:
        query["filter"] = filter
    if max_results is not None:
        query["max_results"] = max_results
    if session_id:
        query["session_id"] = session_id
    bundle: dict = {"version": BUNDLE_VERSION, "query": query, "traces": []}
    _set_tracking_uri(bundle, tracking_uri, warnings)
    bundle["traces"] = [trace_info_rest(getattr(trace, "info", trace)) for trace in traces]
    if next_page_token:
        bundle["next_page_token"] = next_page_token
    size_bytes = _size(bundle)
    if max_bytes is not None and size_bytes > max_bytes:
        warnings.append(f"the trace list is {size_bytes} bytes, over the {max_bytes}-byte budget")
    return EncodeResult(bundle, size_bytes, warnings)


def trace_list_bundle(
    traces: Iterable[Any],
    experiment_ids: Iterable[str] = (),
    filter: str | None = None,
    order_by: Iterable[str] = (),
    max_results: int | None = None,
    next_page_token: str | None = None,
    tracking_uri: str | None = None,
    warnings: list[str] | None = None,
    session_id: str | None = None,
) -> dict:
    """The display data of a trace query's results: the trace-list payload,
    ``text/html`` (a table, or a session's turns) and ``text/plain``."""
    result = encode_trace_list_bundle(
        traces,
        experiment_ids,
        filter,
        order_by,
        max_results,
        next_page_token,
        tracking_uri,
        session_id=session_id,
    )
    fallbacks = render_trace_list_html(result.bundle), render_trace_list_text(result.bundle)
    return _display_data(TRACE_LIST_MIME_TYPE, result, fallbacks, warnings)


__all__ = [
    "DEFAULT_MAX_BYTES",
    "TRACE_LIST_MIME_TYPE",
    "TRACE_MIME_TYPE",
    "EncodeResult",
    "encode_trace_bundle",
    "encode_trace_list_bundle",
    "trace_bundle",
    "trace_info_rest",
    "trace_input",
    "trace_list_bundle",
    "well_formed_json",
]
