"""One live trace output: the display of a trace while its root span runs,
updated in place, then its last update.

Driven by ``_live.LiveTraces``: its scheduler thread calls ``show`` and
``update``, the last update comes through ``send_final``; span hooks only
set flags (``changed``, ``root_ended``). Whatever sends holds ``lock``, and
nothing is sent after the last update.

#### Notes
A snapshot reads the running trace from MLflow's ``InMemoryTraceManager``
(``get_trace``: ``_Trace.info``, ``_Trace.span_dict``), with the manager's
lock held only while copying. An ended span's dict is built once and kept:
after ``end()`` OpenTelemetry ignores writes to it.
"""

from __future__ import annotations

import contextvars
import json
import math
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

from ._js import json_size
from ._live_snapshot import (
    IOPUB_ENVELOPE_BYTES,
    LIVE_FALLBACK_ROWS,
    LIVE_MAX_SNAPSHOT_BYTES,
    LIVE_UPDATE_EVERY_MS,
    bound_live_snapshot,
    next_update_delay_ms,
)
from .bundle import (
    TRACE_MIME_TYPE,
    encode_trace_bundle,
    trace_info_rest,
    trace_input,
    well_formed_json,
)
from .fallback import render_trace_html, render_trace_text

#: States of an output.
PENDING, RUNNING, FINAL, DROPPED = "pending", "running", "final", "dropped"

# A few bytes of the bound kept back for the omitted-span count added here.
_COUNT_ROOM_BYTES = 32
# Room left in the byte bound for what a snapshot holds besides spans (the live object).
_HEAD_ROOM = 1024
# Bytes of a display message besides its data: metadata and the transient display id.
_MESSAGE_ROOM_BYTES = 256
# Snapshots bounded for one update at most, each smaller than the last.
_BOUND_ATTEMPTS = 3
#: A running output is sent again after this long, in s: early enough that a busy
#: interpreter does not make it later than the LIVE_UPDATE_EVERY_MS it promises.
HEARTBEAT_S = LIVE_UPDATE_EVERY_MS / 1000 * 0.8
#: How often an output whose root ended looks for MLflow's finished trace, in s.
ROOT_ENDED_POLL_S = 0.1
#: How many times a span being written to while it is read is read again.
_READ_ATTEMPTS = 3


def wire_delay_ms(size_bytes: int) -> float:
    """How long the shared rate waits after an update whose data is `size_bytes`."""
    return next_update_delay_ms(size_bytes + IOPUB_ENVELOPE_BYTES)


def update_every_ms(running_outputs: int, size_bytes: int) -> int:
    """The ``update_every_ms`` an update of `size_bytes` promises when `running_outputs`
    share the byte rate: each waits its turn behind the others' updates."""
    shared = math.ceil(max(1, running_outputs) * wire_delay_ms(size_bytes))
    return max(LIVE_UPDATE_EVERY_MS, shared)


class LiveOutput:
    """The live display of one trace (one display id) in the cell its root started in."""

    def __init__(
        self,
        trace_id: str,
        otel_trace_id: int,
        cell: Any,
        wake: Callable[[], None],
        manager: Any,
    ) -> None:
        self.trace_id = trace_id
        self.otel_trace_id = otel_trace_id
        self.display_id = f"mlflow-trace-live-{uuid.uuid4().hex}"
        self.state = PENDING
        self.started_at = time.monotonic()
        self.dirty = False
        self.root_end_ns: int | None = None
        # As the root ended: "Type: message" of the error it ended with (status ERROR),
        # whether other spans were still open, and a kernel interrupt (or exit) escaping
        # it, which MLflow does not record on the span.
        self.root_error: str | None = None
        self.open_at_root_end = False
        self.root_unwound_by: str | None = None
        self.sequence = 0
        self.last_sent_at = 0.0
        self.last_poll_at = 0.0
        self.lock = threading.Lock()
        self.cell = cell  # its cell: where it is shown, and the context it is sent in
        # Its own copy: a context is entered by one thread at a time, and each
        # output sends under its own lock.
        self._context: contextvars.Context = cell.context.copy()
        self.finalizing: threading.Thread | None = None  # what builds the last update
        self._wake = wake
        self._manager = manager
        # Ended spans seen: their parent ids; the newest as dicts (and their JSON
        # bytes, oldest end first); roots and ancestors of running spans, always sent.
        self._parent_of: dict[str, str | None] = {}
        self._pool: dict[str, tuple[dict, int]] = {}
        self._pool_bytes = 0
        self._pinned: dict[str, dict] = {}
        self._last_entry: dict | None = None  # the last running snapshot sent
        self._besides_entry_bytes = 0  # what the last running update held besides its entry
        self._ended_trace: tuple[Any, list] | None = None  # (info, spans) as the root ended

    # --- from span hooks (any thread; no lock, no snapshot) ---------------

    def changed(self) -> None:
        """A span of this trace started or ended."""
        if not self.dirty:
            self.dirty = True
            self._wake()

    def root_ended(self, end_ns: int | None, error: str | None, unwound_by: str | None) -> None:
        """The root span ended: with status ERROR (`error` is its reason) or not (None),
        closed by an escaping kernel interrupt (`unwound_by`) or not.

        Keeps MLflow's spans of the trace (a list of references, no snapshot):
        its exporter soon takes the trace from the manager, and snapshots read
        these until the finished trace reaches the display handler."""
        self.root_error = error
        self.root_unwound_by = unwound_by
        with self._manager.get_trace(self.trace_id) as trace:
            if trace is not None:
                self._ended_trace = (trace.info, list(trace.span_dict.items()))
        if self._ended_trace is not None:
            self.open_at_root_end = any(s.end_time_ns is None for _, s in self._ended_trace[1])
        self.root_end_ns = end_ns if end_ns is not None else time.time_ns()
        self.dirty = True
        self._wake()

    # --- from the scheduler thread -----------------------------------------

    def due_at(self, show_delay_s: float) -> float:
        """When this output next wants `service` (time.monotonic()), ignoring rate limits."""
        if self.state == PENDING:
            return 0.0 if self.root_end_ns is not None else self.started_at + show_delay_s
        if self.state != RUNNING:
            return float("inf")
        due = self.last_sent_at + HEARTBEAT_S
        if self.dirty:
            due = 0.0
        if self.ends_as_stored():
            due = min(due, self.last_poll_at + ROOT_ENDED_POLL_S)
        return due

    def ends_as_stored(self) -> bool:
        """Whether the root ended and the last update is the trace as stored, whatever
        the cell does next: it ended without an error and no interrupt escaped it."""
        ended = self.root_end_ns is not None
        return ended and self.root_error is None and self.root_unwound_by is None

    def cut_at_root_end(self) -> bool:
        """Whether the root ended with an error while other spans were open (cut off)."""
        return self.root_error is not None and self.open_at_root_end

    def show(
        self, publish: Callable[..., None], tracking_uri: str | None, running_outputs: int = 1
    ) -> int:
        """The first display (sequence 1); the bytes sent (0: nothing to show).
        `running_outputs` share the byte rate with it (``update_every_ms``)."""
        built = self._running_bundle(tracking_uri)
        if built is None:
            return 0
        return self._send(publish, *built, update=False, running_outputs=running_outputs)

    def update(
        self, publish: Callable[..., None], tracking_uri: str | None, running_outputs: int = 1
    ) -> int:
        """A running update; the bytes sent. If the trace left MLflow's manager
        before its root ended was seen, the last snapshot is sent again (a heartbeat)."""
        built = self._running_bundle(tracking_uri)
        if built is None:
            if self._last_entry is None:
                return 0
            entry = {**self._last_entry, "live": self._running_live(self._last_entry["live"])}
            bundle = running_display_data(entry, tracking_uri)
            built = bundle, json_size(bundle)
        return self._send(publish, *built, update=True, running_outputs=running_outputs)

    def send_final(self, publish: Callable[..., None], bundle: dict) -> int:
        """The last update: `bundle` on this display id, sent in the cell's context.
        A live entry's sequence is set here, as heartbeats may have gone out while
        it was built."""
        self.state = FINAL
        self.sequence += 1
        for entry in bundle.get(TRACE_MIME_TYPE, {}).get("traces", []):
            if isinstance(entry.get("live"), dict):
                entry["live"]["sequence"] = self.sequence
        self._context.run(publish, bundle, self.display_id, True)
        return json_size(bundle)

    def recorded_input(self) -> dict | None:
        """The trace input of every span recorded so far, as the SDK recorded them
        (running ones with a null end); None if MLflow dropped the trace."""
        entry = self._read_entry(trim=False)
        if entry is not None:
            entry.pop("omitted")
        return entry

    def interrupted_input(self, trace: Any, reason: str | None, cut_ns: int) -> dict | None:
        """The trace input of an interrupted last update: MLflow's finished `trace`
        when it has one, else the spans recorded so far (running ones with a null end)."""
        if trace is not None:
            entry = dict(trace_input(trace))
        else:
            entry = self.recorded_input()
            if entry is None and self._last_entry is not None:
                entry = dict(self._last_entry)  # MLflow dropped the trace: the spans last shown
            elif entry is None:
                return None
        live: dict = {
            "status": "interrupted",
            "updated_unix_ms": time.time_ns() // 1_000_000,
            "update_every_ms": LIVE_UPDATE_EVERY_MS,
            "sequence": self.sequence + 1,  # set again when sent
            "interrupted_at_unix_nano": cut_ns,
        }
        if reason:
            live["reason"] = reason
        entry["live"] = live
        return entry

    # --- snapshots -----------------------------------------------------------

    def _send(
        self,
        publish: Callable[..., None],
        bundle: dict,
        size_bytes: int,
        update: bool,
        running_outputs: int,
    ) -> int:
        every = update_every_ms(running_outputs, size_bytes)
        size_bytes += promise_update_every(bundle, every)
        self._context.run(publish, bundle, self.display_id, update)
        self.state = RUNNING
        self.last_sent_at = time.monotonic()
        return size_bytes

    def _running_bundle(self, tracking_uri: str | None) -> tuple[dict, int] | None:
        """A running update's display data and its bytes, its sequence taken; None
        when the trace is gone.

        The whole message is at most LIVE_MAX_SNAPSHOT_BYTES: the snapshot leaves
        room for what the last update held besides it (the fallbacks, mostly), and
        is bounded again, smaller, if that grew."""
        self.dirty = False
        entry = self._read_entry()
        if entry is None:
            return None
        omitted = entry.pop("omitted")
        entry["live"] = self._running_live({})
        entry["info"] = _in_progress(entry["info"])
        limit = LIVE_MAX_SNAPSHOT_BYTES - _MESSAGE_ROOM_BYTES
        for attempt in range(_BOUND_ATTEMPTS):
            budget = limit - self._besides_entry_bytes - attempt * 1024
            bounded = bound_live_snapshot(entry, budget - _COUNT_ROOM_BYTES)
            if omitted:
                live = bounded["live"]
                live["spans_omitted"] = live.get("spans_omitted", 0) + omitted
            bundle = running_display_data(bounded, tracking_uri)
            size = json_size(bundle)
            self._besides_entry_bytes = size - json_size(bounded)
            if size <= limit:
                break
        self._last_entry = bounded
        return bundle, size

    def _running_live(self, previous: dict) -> dict:
        """The ``live`` object of the next running update (`previous`'s span count kept)."""
        self.sequence += 1
        live = {
            "status": "running",
            "updated_unix_ms": time.time_ns() // 1_000_000,
            "update_every_ms": LIVE_UPDATE_EVERY_MS,
            "sequence": self.sequence,
        }
        if "spans_omitted" in previous:
            live["spans_omitted"] = previous["spans_omitted"]
        return live

    def _read_entry(self, trim: bool = True) -> dict | None:
        """``{trace_id, info, spans, omitted}`` of the running trace from MLflow's manager.

        With `trim`, only the newest ended spans worth the byte bound are kept
        (``omitted`` counts the others), besides the roots, the running spans
        and their ancestors: a snapshot's cost does not grow with the trace,
        and each ended span is turned into a dict at most once. The bounded
        snapshot then shortens long strings in what is kept, if it must."""
        with self._manager.get_trace(self.trace_id) as trace:
            if trace is not None:
                info = trace_info_rest(trace.info)
                items = list(trace.span_dict.items())
        if trace is None:
            if self._ended_trace is None:
                return None
            info = trace_info_rest(self._ended_trace[0])
            items = self._ended_trace[1]
        running: dict[str, dict] = {}
        fresh: list[tuple[int, str, Any]] = []
        for span_id, span in items:
            if span_id in self._parent_of:
                continue  # ended, and seen before
            end = span.end_time_ns
            if end is None:
                span_dict = _read_span(span)
                if span_dict is None:
                    self.dirty = True  # written to while read: read it next time
                else:
                    running[span_id] = span_dict
            else:
                fresh.append((end, span_id, span))
                self._parent_of[span_id] = span.parent_id
        room = LIVE_MAX_SNAPSHOT_BYTES - self._besides_entry_bytes - _HEAD_ROOM
        self._add_ended(fresh, trim, room - _json_bytes(info))
        spans_by_id = dict(items)
        for span_id in self._ancestors(running):
            self._pin(span_id, spans_by_id.get(span_id))
        if not trim:
            for span_id in self._parent_of:
                if span_id not in self._pool and span_id not in self._pinned:
                    self._pin(span_id, spans_by_id.get(span_id))
        spans = []
        for span_id, _ in items:
            span_dict = running.get(span_id) or self._pinned.get(span_id)
            if span_dict is None and span_id in self._pool:
                span_dict = self._pool[span_id][0]
            if span_dict is not None:
                spans.append(span_dict)
        omitted = len(self._parent_of) - len(self._pool) - len(self._pinned)
        return {"trace_id": self.trace_id, "info": info, "spans": spans, "omitted": omitted}

    def _add_ended(self, fresh: list[tuple[int, str, Any]], trim: bool, max_bytes: int) -> None:
        """Spans that ended since the last snapshot: roots are pinned; the newest
        others join the pool, whose oldest leave it past `max_bytes`."""
        fresh.sort(key=lambda item: item[0], reverse=True)
        budget = max_bytes
        added: list[tuple[str, dict, int]] = []
        for _, span_id, span in fresh:
            if self._parent_of[span_id] is None:
                self._pin(span_id, span)
            elif budget > 0 or not trim:
                span_dict = _read_span(span)
                if span_dict is not None:
                    size = _json_bytes(span_dict)
                    budget -= size
                    added.append((span_id, span_dict, size))
        for span_id, span_dict, size in reversed(added):  # oldest end first
            self._pool[span_id] = (span_dict, size)
            self._pool_bytes += size
        while trim and self._pool_bytes > max_bytes and len(self._pool) > 1:
            oldest = next(iter(self._pool))
            self._pool_bytes -= self._pool.pop(oldest)[1]

    def _ancestors(self, running: dict[str, dict]) -> set[str]:
        """Ended spans above a running one (a parent that ended before its child)."""
        found: set[str] = set()
        for span_dict in running.values():
            at = span_dict.get("parent_span_id")
            while at is not None and at not in found and at not in running:
                found.add(at)
                at = self._parent_of.get(at)
        return {span_id for span_id in found if span_id in self._parent_of}

    def _pin(self, span_id: str, span: Any) -> None:
        """Keeps an ended span in every snapshot."""
        if span_id in self._pinned or span is None:
            return
        entry = self._pool.pop(span_id, None)
        if entry is not None:
            self._pool_bytes -= entry[1]
            self._pinned[span_id] = entry[0]
            return
        span_dict = _read_span(span)
        if span_dict is not None:
            self._pinned[span_id] = span_dict


def _in_progress(info: dict) -> dict:
    """Info as a running update holds it (the contract): IN_PROGRESS, no duration yet,
    also once the root ended and until MLflow's finished trace takes its place."""
    if info.get("state") == "IN_PROGRESS" and "execution_duration" not in info:
        return info
    running = {key: value for key, value in info.items() if key != "execution_duration"}
    running["state"] = "IN_PROGRESS"
    return running


def promise_update_every(bundle: dict, every_ms: int) -> int:
    """Writes `every_ms` as the running entry's ``update_every_ms`` in a built display
    bundle (no fallback shows it); the bytes that added (digits)."""
    live = bundle[TRACE_MIME_TYPE]["traces"][0]["live"]
    before = len(str(live["update_every_ms"]))
    live["update_every_ms"] = every_ms
    return len(str(every_ms)) - before


def _json_bytes(value: Any) -> int:
    """About its JSON's UTF-8 bytes, quickly (never fewer: non-ASCII is escaped)."""
    return len(json.dumps(value, separators=(",", ":")))


def _read_span(span: Any) -> dict | None:
    """A live span's dict; None if another thread kept changing it while read."""
    for _ in range(_READ_ATTEMPTS):
        try:
            return span.to_dict()
        except (RuntimeError, KeyError):  # its attributes changed while copied
            continue
    return None


def running_display_data(entry: dict, tracking_uri: str | None) -> dict:
    """The display data of a running snapshot: the trace payload (not shortened
    again), a text/html fallback of at most LIVE_FALLBACK_ROWS rows, text/plain."""
    result = encode_trace_bundle([entry], tracking_uri)
    html = render_trace_html([entry], tracking_uri, LIVE_FALLBACK_ROWS)
    data = {
        TRACE_MIME_TYPE: result.bundle,
        "text/html": html,
        "text/plain": render_trace_text([entry]),
    }
    return well_formed_json(data)


def publish_display(bundle: dict, display_id: str, update: bool) -> None:
    """Sends `bundle` as a display (or its update) with `display_id`."""
    from IPython.display import display, update_display

    if update:
        update_display(bundle, raw=True, display_id=display_id)
    else:
        display(bundle, raw=True, display_id=display_id)


__all__ = ["LiveOutput", "publish_display", "update_every_ms", "wire_delay_ms"]
