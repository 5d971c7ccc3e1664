"""Live traces in the IPython extension: a traced cell's output appears while
its root span runs and is updated in place as spans start and end.

A root span that runs longer than ``LIVE_SHOW_AFTER_MS`` gets its own output
(a display id) under the cell it started in, at most
``MLFLOW_MAX_TRACES_TO_DISPLAY_IN_NOTEBOOK`` per cell, only where the
extension's rule shows our output (``TraceDisplay.ours``). A trace that
ends sooner is shown at the cell's end by MLflow's display.

The last update on that display id is marked ``live.status: "interrupted"``
(the spans recorded so far, open ones cut off) iff (a) the cell failed (an
exception or a kernel interrupt escaped it) while the root span was still open
or after the root ended with an error, or (b) the root ended with an error
while other spans of the trace were open (sent as soon as it ends). "Ended
with an error" is the root span's status ERROR, its reason the exception
event's "Type: message". A kernel interrupt escaping the root counts as the
root still open: MLflow ends the root then without recording it.

Otherwise the last update is the trace MLflow's display handler collected, with
no ``live`` key, sent as soon as the handler has it (at the latest as the cell
ends; it then leaves the handler's pending traces, so it is not shown twice);
without it (shown by the cell's own ``display`` already, or unreadable), the
trace as the SDK recorded it. A root still open when its cell ends keeps its
last running update (nothing reaches a finished cell's output): the renderer
shows when it stopped updating, and MLflow's display shows the trace under a
later cell once it ends.

``jupyterlab_mlflow_traces.configure(live=False)`` turns it off: the span
hooks then only read one module global.

#### Notes
MLflow's private names used, each checked when the extension loads (one
warning line, and traces are shown when the cell ends, if one is missing):

- ``BaseMlflowSpanProcessor.on_start`` and ``on_end``
  (``mlflow/tracing/processor/base_mlflow.py``): wrapped at class level;
  MLflow's method runs first, then ours only sets flags;
- ``InMemoryTraceManager.get_instance``, ``get_trace`` and
  ``get_mlflow_trace_id_from_otel_id``, ``_Trace.info`` and
  ``_Trace.span_dict`` (``mlflow/tracing/trace_manager.py``): the running
  trace a snapshot reads;
- ``mlflow.tracing.utils.maybe_get_request_id`` (optional): no live output
  for traces of ``mlflow.genai.evaluate``, which MLflow never displays;
- and the display handler's, through ``ipython.py`` (its pending traces).

Threads: one scheduler thread per shell builds and sends every running
update, so the spans' own threads never build a snapshot; a last update
found early is encoded in a short-lived thread while the scheduler keeps the
heartbeat. Each send runs in a copy of the cell's ``contextvars`` context,
taken when the cell started: ipykernel 7 keeps a display's parent header in
a context variable, and a thread without it would fall back to the header of
the cell running at that moment, so the update lands on its own cell's
output. All outputs share one rate: after an update of B bytes the next
waits ``next_update_delay_ms(B)``; a running output is sent again at least
every ``HEARTBEAT_S``, and each update promises the next within
``update_every_ms`` (``LIVE_UPDATE_EVERY_MS``, longer when several outputs
share the rate).
"""

from __future__ import annotations

import contextvars
import functools
import importlib
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from ._live_output import (
    DROPPED,
    FINAL,
    HEARTBEAT_S,
    PENDING,
    RUNNING,
    LiveOutput,
    publish_display,
    wire_delay_ms,
)
from ._live_snapshot import LIVE_MIN_INTERVAL_MS
from .bundle import trace_bundle

#: A root span shows live once it has run this long (a shorter trace is shown when it ends).
LIVE_SHOW_AFTER_MS = LIVE_MIN_INTERVAL_MS

_PROCESSOR = "mlflow.tracing.processor.base_mlflow"
_MANAGER = "mlflow.tracing.trace_manager"

#: MLflow's private names the live hooks rely on, as (module, attribute path).
LIVE_MLFLOW_NAMES = [
    (_PROCESSOR, "BaseMlflowSpanProcessor.on_start"),
    (_PROCESSOR, "BaseMlflowSpanProcessor.on_end"),
    (_MANAGER, "InMemoryTraceManager.get_instance"),
    (_MANAGER, "InMemoryTraceManager.get_trace"),
    (_MANAGER, "InMemoryTraceManager.get_mlflow_trace_id_from_otel_id"),
    (_MANAGER, "_Trace.__dataclass_fields__"),
]

_settings = {"live": True}
# The LiveTraces the span hooks report to; None while live traces are off.
_listener: LiveTraces | None = None
_loaded: LiveTraces | None = None


def configure(*, live: bool | None = None) -> dict:
    """Settings of the IPython extension, after applying those given.

    ``live=False``: no live output, traces are shown when the cell ends
    (the span hooks cost one module-global read); ``live=True``: live again.
    """
    global _listener
    if live is not None:
        _settings["live"] = bool(live)
        _listener = _loaded if _settings["live"] else None
    return dict(_settings)


def _resolve(module_name: str, path: str) -> Any:
    value: Any = importlib.import_module(module_name)
    for part in path.split("."):
        value = value[part] if isinstance(value, dict) else getattr(value, part)
    return value


def _check_names() -> None:
    for module_name, path in LIVE_MLFLOW_NAMES:
        try:
            _resolve(module_name, path)
        except (ImportError, AttributeError, KeyError):
            raise AttributeError(f"{module_name}.{path} is missing") from None
    fields = _resolve(_MANAGER, "_Trace.__dataclass_fields__")
    for name in ("info", "span_dict"):
        if name not in fields:
            raise AttributeError(f"{_MANAGER}._Trace.{name} is missing")


class _SpanHooks:
    """MLflow's span processor methods, wrapped so that span events reach `_listener`."""

    def __init__(self) -> None:
        _check_names()
        self.processor = _resolve(_PROCESSOR, "BaseMlflowSpanProcessor")
        self.original_on_start = self.processor.on_start
        self.original_on_end = self.processor.on_end
        self.on_start = self.on_end = None

    def install(self) -> None:
        """Wraps MLflow's span processor methods (class level): MLflow's first, then ours."""
        original_on_start, original_on_end = self.original_on_start, self.original_on_end

        def on_start(processor: Any, span: Any, parent_context: Any = None) -> None:
            original_on_start(processor, span, parent_context)
            listener = _listener
            if listener is not None:
                listener.span_started(span)

        def on_end(processor: Any, span: Any) -> None:
            original_on_end(processor, span)
            listener = _listener
            if listener is not None:
                listener.span_ended(span)

        self.on_start, self.on_end = on_start, on_end
        self.processor.on_start = on_start
        self.processor.on_end = on_end

    def uninstall(self) -> None:
        """Puts MLflow's methods back where ours are still installed."""
        # Only our own wrappers are undone: another wrapper on top stays.
        if self.processor.__dict__.get("on_start") is self.on_start:
            self.processor.on_start = self.original_on_start
        if self.processor.__dict__.get("on_end") is self.on_end:
            self.processor.on_end = self.original_on_end


class _Cell:
    """One cell's live outputs and the context its updates are sent in."""

    def __init__(self, context: contextvars.Context, cap: int) -> None:
        self.context = context
        self.cap = cap
        self.open = True
        self.shown: list[LiveOutput] = []


class LiveTraces:
    """Live outputs of one IPython shell.

    `shows_ours`, `pending` and `bundle_for` are the extension's rule, MLflow's
    pending traces by id, and our bundle of finished traces."""

    def __init__(
        self,
        shows_ours: Callable[[], bool],
        pending: Callable[[], dict],
        bundle_for: Callable[[list], dict],
        tracking_uri: Callable[[], str | None],
        warn: Callable[[str], None],
    ) -> None:
        self._shows_ours = shows_ours
        self._pending = pending
        self._bundle_for = bundle_for
        self._tracking_uri = tracking_uri
        self._warn = warn
        self._hooks: _SpanHooks | None = None
        self._manager_class: Any = None
        self._evaluating: Callable[[], Any] | None = None
        self._cell: _Cell | None = None
        self._outputs: dict[int, LiveOutput] = {}  # by OpenTelemetry trace id
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._stopping = False
        self._next_send_at = 0.0
        self._failed = False

    # --- extension lifecycle ---------------------------------------------

    def load(self) -> None:
        """Hooks MLflow's span processors; one warning line if they moved."""
        global _listener, _loaded
        try:
            self._hooks = _SpanHooks()
            self._manager_class = _resolve(_MANAGER, "InMemoryTraceManager")
        except Exception as error:
            self._hooks = None
            self._warn(
                f"live traces are off: MLflow's tracing changed ({error}); "
                "traces are shown when the cell ends."
            )
            return
        try:
            self._evaluating = _resolve("mlflow.tracing.utils", "maybe_get_request_id")
        except (ImportError, AttributeError):
            self._evaluating = None
        self._hooks.install()
        _loaded = self
        _listener = self if _settings["live"] else None

    def unload(self) -> None:
        """Unhooks MLflow's span processors and stops the scheduler thread."""
        global _listener, _loaded
        if _loaded is self:
            _listener = _loaded = None
        if self._hooks is not None:
            self._hooks.uninstall()
        self._stopping = True
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def start_cell(self, cap: int) -> None:
        """A cell starts: its updates are sent in (a copy of) this context."""
        self._cell = _Cell(contextvars.copy_context(), cap)

    # --- span hooks (the span's own thread) --------------------------------

    def span_started(self, span: Any) -> None:
        """A span started: a root may get a live output; a child marks its trace changed."""
        try:
            if span.parent is None:
                self._root_started(span)
                return
            output = self._outputs.get(span.context.trace_id)
            if output is not None:
                output.changed()
        except Exception as error:
            self._fail(error)

    def span_ended(self, span: Any) -> None:
        """A span ended: its trace changed; for a root, how it ended is noted."""
        try:
            output = self._outputs.get(span.context.trace_id)
            if output is None:
                return
            if span.parent is None:
                output.root_ended(span.end_time, root_error(span), _escaping_interrupt())
            else:
                output.changed()
        except Exception as error:
            self._fail(error)

    def _root_started(self, span: Any) -> None:
        cell = self._cell
        if cell is None or not cell.open or len(cell.shown) >= cell.cap:
            return
        if self._evaluating is not None and self._evaluating(is_evaluate=True):
            return
        if not self._shows_ours():
            return
        otel_trace_id = span.context.trace_id
        manager = self._manager_class.get_instance()
        trace_id = manager.get_mlflow_trace_id_from_otel_id(otel_trace_id)
        if trace_id is None:
            return
        output = LiveOutput(trace_id, otel_trace_id, cell, self._wake.set, manager)
        self._outputs[otel_trace_id] = output
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._run, name="mlflow-live-traces", daemon=True
            )
            self._thread.start()
        self._wake.set()

    def _fail(self, error: BaseException) -> None:
        """Live traces off for this session, with one warning line."""
        global _listener
        _listener = None
        if not self._failed:
            self._failed = True
            self._warn(f"live traces stopped ({error!r}); traces are shown when the cell ends.")

    # --- the scheduler thread ------------------------------------------------

    def _run(self) -> None:
        try:
            while not self._stopping:
                self._wake.clear()
                wait_s = self._service_due()
                if wait_s is None or wait_s > 0:
                    self._wake.wait(wait_s)
        except Exception as error:
            # A new root starts a new thread (once live traces are on again).
            self._thread = None
            self._fail(error)

    def _service_due(self) -> float | None:
        """Services every output that is due; seconds until the next is (None: no output)."""
        outputs = sorted(list(self._outputs.values()), key=lambda o: o.last_sent_at)
        if not outputs:
            return None
        now = time.monotonic()
        wait_s = HEARTBEAT_S
        for output in outputs:
            ready = self._ready_at(output)
            if ready <= now:
                try:
                    self._service(output)
                except Exception as error:
                    self._drop(output)
                    self._fail(error)
                now = time.monotonic()
                ready = self._ready_at(output)
            wait_s = min(wait_s, ready - now)
        return wait_s

    def _ready_at(self, output: LiveOutput) -> float:
        due = output.due_at(LIVE_SHOW_AFTER_MS / 1000)
        if output.state == PENDING and output.root_end_ns is not None:
            return due  # dropped: nothing is sent
        return max(due, self._next_send_at)

    def _service(self, output: LiveOutput) -> None:
        with output.lock:
            cell = output.cell
            sent = 0
            if output.state == PENDING:
                if output.root_end_ns is not None or not cell.open or len(cell.shown) >= cell.cap:
                    self._drop(output)
                    return
                sharing = self._running_count(output)
                sent = output.show(publish_display, self._tracking_uri(), sharing)
                if sent == 0:
                    self._drop(output)
                    return
                cell.shown.append(output)
            elif output.state == RUNNING:
                self._finish_early(output)
                if output.dirty or time.monotonic() >= output.last_sent_at + HEARTBEAT_S:
                    sharing = self._running_count(output)
                    sent = output.update(publish_display, self._tracking_uri(), sharing)
            else:
                self._drop(output)
        if sent:
            self._sent(sent)

    def _running_count(self, output: LiveOutput) -> int:
        """How many outputs share the byte rate with `output`'s next update (it included)."""
        others = [o for o in list(self._outputs.values()) if o is not output and o.state == RUNNING]
        return len(others) + 1

    def _sent(self, size_bytes: int) -> None:
        self._next_send_at = time.monotonic() + wire_delay_ms(size_bytes) / 1000

    def _finish_early(self, output: LiveOutput) -> None:
        """Starts the last update before the cell ends where the root's end decides it:
        MLflow's finished trace of a root that ended normally, once the display handler
        has it, or the cut-off trace of a root that ended with an error while spans were
        open. In a thread of its own: a large trace takes a while to encode, and this
        thread keeps the heartbeat meanwhile. The caller holds the output's lock."""
        if output.finalizing is not None:
            return
        if output.cut_at_root_end():
            entry = output.interrupted_input(None, output.root_error, output.root_end_ns)
            if entry is None:
                return
            uri = self._tracking_uri()
            build = functools.partial(trace_bundle, [entry], tracking_uri=uri)
        elif output.ends_as_stored():
            output.last_poll_at = time.monotonic()
            trace = self._pending().get(output.trace_id)
            if trace is None:
                return
            build = functools.partial(self._bundle_for, [trace])
        else:
            return  # the cell's end decides
        output.finalizing = threading.Thread(
            target=self._send_final, args=(output, build), name="mlflow-live-final", daemon=True
        )
        output.finalizing.start()

    def _send_final(self, output: LiveOutput, build: Callable[[], dict]) -> None:
        """Builds the last update outside the output's lock (heartbeats go on), then sends it."""
        try:
            bundle = build()
        except Exception as error:
            self._warn(f"could not show the live trace's last update ({error!r}).")
            return
        with output.lock:
            if output.state != RUNNING:
                return
            sent = output.send_final(publish_display, bundle)
        self._outputs.pop(output.otel_trace_id, None)
        self._sent(sent)

    def _drop(self, output: LiveOutput) -> None:
        """No more scheduled updates for `output`; a shown one still gets its last."""
        if output.state == PENDING:
            output.state = DROPPED
        self._outputs.pop(output.otel_trace_id, None)

    # --- the cell's end (the kernel's main thread) --------------------------

    def finish_cell(self, result: Any, pending: dict, shown: Any = ()) -> None:
        """The last update of each live output of the cell that ends, after MLflow's
        span processors were flushed; its traces leave `pending` (MLflow's display), as
        do the trace ids in `shown` (shown by the cell itself), read here first."""
        cell, self._cell = self._cell, None
        if cell is None:
            for trace_id in shown:
                pending.pop(trace_id, None)
            return
        cell.open = False
        error = getattr(result, "error_in_exec", None)
        registered = [o for o in list(self._outputs.values()) if o.cell is cell]
        for output in dict.fromkeys([*registered, *cell.shown]):
            with output.lock:
                if output.state == PENDING:
                    self._drop(output)
                    continue
                early = output.finalizing
                output.finalizing = early or threading.current_thread()
            if early is not None:
                early.join()
            if output.state == RUNNING:
                self._finish(output, error, pending)
            self._outputs.pop(output.otel_trace_id, None)
            if output.state == FINAL:
                pending.pop(output.trace_id, None)
        for trace_id in shown:
            pending.pop(trace_id, None)
        if cell.shown:
            # MLflow's cap counts the live outputs too.
            for trace_id in list(pending)[max(0, cell.cap - len(cell.shown)) :]:
                pending.pop(trace_id, None)

    def _finish(self, output: LiveOutput, error: BaseException | None, pending: dict) -> None:
        """The last update of an output still running as its cell ends (see the
        module's rule): interrupted, the trace recorded so far; else MLflow's finished
        trace, or the trace as recorded; a root still open keeps its last update."""
        trace = pending.get(output.trace_id)
        reason = interruption(output, error)
        uri = self._tracking_uri()
        if reason is None and trace is not None:
            self._send_final(output, lambda: self._bundle_for([trace]))
            return
        if reason is None and output.root_end_ns is None:
            return  # still running past its cell: nothing can reach this output now
        with output.lock:  # reads the snapshot state the scheduler writes
            if reason is None:
                entry = output.recorded_input()
            else:
                cut_ns = output.root_end_ns if output.root_end_ns is not None else time.time_ns()
                entry = output.interrupted_input(trace, reason, cut_ns)
        if entry is None:
            return  # MLflow dropped the trace: its last running update stays
        self._send_final(output, lambda: trace_bundle([entry], tracking_uri=uri))


def interruption(output: LiveOutput, error: BaseException | None) -> str | None:
    """Why `output`'s trace is marked interrupted when its cell ends with `error`
    (None: the cell did not fail); None if it is not (the module's rule)."""
    if output.cut_at_root_end():
        return output.root_error  # (b)
    if error is None:
        return None
    if output.root_end_ns is None:
        return describe_error(error)  # (a) the root still open
    if output.root_error is not None:
        return output.root_error  # (a) the root ended with an error ("": with no reason)
    return output.root_unwound_by  # (a) the root was open when the interrupt came


def root_error(span: Any) -> str | None:
    """How an ended OpenTelemetry root span ended with an error: "Type: message" of its
    first exception event, else its status text ("" if none); None unless its status
    is ERROR. As the tslab helper's ``exceptionReason``."""
    status = getattr(span, "status", None)
    if getattr(getattr(status, "status_code", None), "name", None) != "ERROR":
        return None
    for event in getattr(span, "events", None) or ():
        if event.name == "exception":
            attributes = event.attributes or {}
            parts = [attributes.get("exception.type"), attributes.get("exception.message")]
            text = ": ".join(str(part) for part in parts if part is not None and part != "")
            if text:
                return text
            break
    return getattr(status, "description", None) or ""


def _escaping_interrupt() -> str | None:
    """The kernel interrupt (or exit) escaping the span ending now, which MLflow does
    not record on the span (it records only an ``Exception``); None if there is none."""
    error = sys.exc_info()[1]
    if isinstance(error, (KeyboardInterrupt, SystemExit)):
        return describe_error(error)
    return None


def describe_error(error: BaseException) -> str:
    """An exception as a reason: "Type: message" ("Type" with no message)."""
    return _reason(type(error).__name__, str(error))


def _reason(kind: str, message: str) -> str:
    return f"{kind}: {message}" if message else kind
