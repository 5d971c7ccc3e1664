"""The emitters' limits on live updates, and the bounded snapshot of a
running trace: ``src/bundle/livesnapshot.ts`` in Python, the same snapshot
of the same input byte for byte (test_live_contract.py checks it).
"""

from __future__ import annotations

import math
from typing import Any

from ._js import is_number, js_number, js_trim, json_size, u16_len
from ._shorten import shorten_spans
from .bundle import MAX_STRING_FLOOR_CHARS, MAX_STRING_START_CHARS

#: Shortest time between two updates of one output: at most 4 updates/s.
LIVE_MIN_INTERVAL_MS = 250
#: While a trace runs, an update is sent at least this often (the heartbeat).
LIVE_UPDATE_EVERY_MS = 2000
#: Largest live update's trace entry, in UTF-8 bytes of JSON (256 KiB).
LIVE_MAX_SNAPSHOT_BYTES = 262144
#: Bytes per second of live updates, averaged over each update and the wait after it.
LIVE_MAX_BYTES_PER_S = 262144
#: What a display message takes on IOPub besides its data (header, parent header,
#: signature): emitters count it in the byte rate, so IOPub itself stays within it.
IOPUB_ENVELOPE_BYTES = 1024
#: Rows of a running update's text/html fallback (read only if the kernel dies mid-cell).
LIVE_FALLBACK_ROWS = 100


def next_update_delay_ms(size_bytes: int) -> float:
    """How long to wait after sending an update of ``size_bytes`` before the
    next: max(LIVE_MIN_INTERVAL_MS, the bytes at LIVE_MAX_BYTES_PER_S)."""
    return max(LIVE_MIN_INTERVAL_MS, size_bytes / LIVE_MAX_BYTES_PER_S * 1000)


def _end_key(value: Any) -> float:
    """The end time a snapshot orders ended spans by (NaN when unreadable)."""
    if is_number(value):
        try:
            return float(value)
        except OverflowError:  # an int beyond any double: JavaScript reads it as Infinity
            return math.inf if value > 0 else -math.inf
    if isinstance(value, str) and js_trim(value) != "":
        return js_number(value)
    return math.nan


def is_running_span_dict(span: Any) -> bool:
    """True for a span dict still running: its end is null, absent or 0."""
    if not isinstance(span, dict):
        return False
    end = span.get("end_time_unix_nano")
    return end is None or _end_key(end) == 0


def _id_of(value: Any) -> str | None:
    return value if isinstance(value, str) and value != "" else None


def _required_spans(spans: list) -> list[bool]:
    """Which spans a snapshot always keeps: roots, running spans and their ancestors."""
    index_by_id: dict[str, int] = {}
    for i, span in enumerate(spans):
        span_id = _id_of(span.get("span_id")) if isinstance(span, dict) else None
        if span_id is not None:
            index_by_id.setdefault(span_id, i)
    required = [isinstance(s, dict) and _id_of(s.get("parent_span_id")) is None for s in spans]
    for i, span in enumerate(spans):
        if not is_running_span_dict(span):
            continue
        # Stops at a span already kept: its own ancestors are (or will be) kept too
        at: int | None = i
        while at is not None and not (required[at] and at != i):
            required[at] = True
            parent_id = _id_of(spans[at].get("parent_span_id"))
            at = None if parent_id is None else index_by_id.get(parent_id)
    return required


def _newest_ended_first(spans: list, required: list[bool]) -> list[int]:
    """Ended spans, newest end first (ties: later in the list first; unreadable ends last)."""
    keys = []
    for span in spans:
        key = _end_key(span.get("end_time_unix_nano")) if isinstance(span, dict) else math.nan
        keys.append(-math.inf if math.isnan(key) else key)
    ended = [i for i in range(len(spans)) if not required[i]]
    return sorted(ended, key=lambda i: (keys[i], i), reverse=True)


def _longest_string(span: Any) -> int:
    """The longest string value anywhere in a span dict, in UTF-16 code units."""
    longest = 0
    pending = [span]
    while pending:
        value = pending.pop()
        if isinstance(value, str):
            longest = max(longest, u16_len(value))
        elif isinstance(value, list):
            pending.extend(value)
        elif isinstance(value, dict):
            pending.extend(value.values())
    return longest


class _RawSpans:
    """The raw spans' sizes and longest strings, measured once for every step of the ladder."""

    def __init__(self, spans: list) -> None:
        self.spans = spans
        self._bytes: dict[int, int] = {}
        self._longest: dict[int, int] = {}

    def size(self, i: int) -> int:
        size = self._bytes.get(i)
        if size is None:
            size = self._bytes[i] = json_size(self.spans[i])
        return size

    def longest(self, i: int) -> int:
        longest = self._longest.get(i)
        if longest is None:
            longest = self._longest[i] = _longest_string(self.spans[i])
        return longest


class _SpanSizes:
    """Spans as one step of the ladder writes them, shortened at ``max_chars`` (none when None)."""

    def __init__(self, raw: _RawSpans, max_chars: int | None) -> None:
        self.raw = raw
        self.max_chars = max_chars
        self.shortened: set[int] = set()
        self._spans: dict[int, Any] = {}
        self._bytes: dict[int, int] = {}

    def span(self, i: int) -> Any:
        return self.raw.spans[i] if self._fits(i) else self._shorten(i)[0]

    def size(self, i: int) -> int:
        return self.raw.size(i) if self._fits(i) else self._shorten(i)[1]

    def _fits(self, i: int) -> bool:
        """True when no string of span ``i`` is longer than ``max_chars``: it is written as is."""
        return self.max_chars is None or self.raw.longest(i) <= self.max_chars

    def _shorten(self, i: int) -> tuple[Any, int]:
        if i not in self._bytes:
            shortened, count = shorten_spans([self.raw.spans[i]], self.max_chars or 0)
            if count > 0:
                self.shortened.add(i)
            self._spans[i] = shortened[0]
            self._bytes[i] = json_size(shortened[0])
        return self._spans[i], self._bytes[i]


def _head_size(entry: dict, truncated: dict | None, live: dict) -> int:
    """UTF-8 bytes of the entry with no spans, as the encoder writes it."""
    head: dict = {"trace_id": entry["trace_id"]}
    if entry.get("info") is not None:
        head["info"] = entry["info"]
    head["spans"] = []
    if truncated is not None:
        head["truncated"] = truncated
    head["live"] = live
    return json_size(head)


def _all_fit(sizes: _SpanSizes, head: int, max_bytes: int) -> bool:
    total = head
    for i in range(len(sizes.raw.spans)):
        total += sizes.size(i) + (1 if i > 0 else 0)  # each span after the first adds a comma
        if total > max_bytes:
            return False
    return total <= max_bytes


def _ladder() -> list[int | None]:
    """The ``max_string`` values tried, as the encoder tries them: none, 65536 halved to 256."""
    steps: list[int | None] = [None]
    m = MAX_STRING_START_CHARS
    while True:
        step = max(m, MAX_STRING_FLOOR_CHARS)
        steps.append(step)
        if step == MAX_STRING_FLOOR_CHARS:
            return steps
        m //= 2


def _snapshot(entry: dict, live: dict, sizes: _SpanSizes, kept: list[int]) -> dict:
    out: dict = {"trace_id": entry["trace_id"]}
    if entry.get("info") is not None:
        out["info"] = entry["info"]
    if entry.get("spans") is not None:
        out["spans"] = [sizes.span(i) for i in kept]
    if sizes.max_chars is not None and any(i in sizes.shortened for i in kept):
        out["truncated"] = {"max_string": sizes.max_chars}
    out["live"] = live
    return out


def bound_live_snapshot(entry: dict, max_bytes: int = LIVE_MAX_SNAPSHOT_BYTES) -> dict:
    """A live trace entry ``{trace_id, info, spans, live}`` whose JSON, as the
    encoder writes it, fits in ``max_bytes`` wherever that can be.

    #### Notes
    All spans when they fit. Otherwise long strings are shortened first, as
    the encoder does (``max_string`` 65536 halved down to 256, the entry
    gets ``truncated``); if all spans still do not fit, the snapshot keeps
    every root, every running span (end null) and its ancestors, then the
    ended spans with the newest end while they fit, in their input order,
    and ``live.spans_omitted`` says how many ended spans were left out.
    Running spans and their ancestors are never left out, even over the
    bound. Info is never shortened. Pass the smaller of this bound and the
    output's budget, so the encoder does not shorten again.
    """
    live = {key: value for key, value in entry["live"].items() if key != "spans_omitted"}
    if entry.get("spans") is None:
        return _snapshot(entry, live, _SpanSizes(_RawSpans([]), None), [])
    raw = list(entry["spans"])
    measured = _RawSpans(raw)
    everything = list(range(len(raw)))
    sizes = _SpanSizes(measured, None)
    for max_chars in _ladder():
        sizes = _SpanSizes(measured, max_chars)
        truncated = None if max_chars is None else {"max_string": max_chars}
        if _all_fit(sizes, _head_size(entry, truncated, live), max_bytes):
            return _snapshot(entry, live, sizes, everything)
    required = _required_spans(raw)
    ended = _newest_ended_first(raw, required)
    # Room for the largest spans_omitted this snapshot can write
    reserve = {**live, "spans_omitted": len(ended)}
    total = _head_size(entry, {"max_string": sizes.max_chars}, reserve)
    count = 0
    keep = list(required)
    for i in everything:
        if keep[i]:
            total += sizes.size(i) + (1 if count > 0 else 0)
            count += 1
    kept = 0
    for i in ended:
        size = sizes.size(i) + (1 if count > 0 else 0)
        if total + size > max_bytes:
            break
        total += size
        count += 1
        keep[i] = True
        kept += 1
    if len(ended) > kept:
        live["spans_omitted"] = len(ended) - kept
    return _snapshot(entry, live, sizes, [i for i in everything if keep[i]])


__all__ = [
    "LIVE_MAX_BYTES_PER_S",
    "LIVE_MAX_SNAPSHOT_BYTES",
    "LIVE_MIN_INTERVAL_MS",
    "LIVE_UPDATE_EVERY_MS",
    "bound_live_snapshot",
    "is_running_span_dict",
    "next_update_delay_ms",
]
