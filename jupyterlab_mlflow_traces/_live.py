"""Live traces in the IPython extension: a traced cell's output appears while
its root span runs and is updated in place as spans start and end.

A root span that runs longer than ``LIVE_SHOW_AFTER_MS`` gets its own output
(a display id) under the cell it started in, at most
``MLFLOW_MAX_TRACES_TO_DISPLAY_IN_NOTEBOOK`` per cell, only where the
extension's rule shows our output (``TraceDisplay.ours``). A trace that
ends sooner is shown as before, by MLflow's end-of-cell display. The last
update on that display id is the trace MLflow's display handler collected,
with no ``live`` key, sent as soon as the handler has it (at the latest as
the cell ends; it then leaves the handler's pending traces, so it is not
shown twice). For a cell that failed with an exception that escaped the
root span (a kernel interrupt included), or with the root still open, it is
the trace recorded so far, marked ``live.status: "interrupted"``.

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
every ``HEARTBEAT_S`` (within ``LIVE_UPDATE_EVERY_MS``, the heartbeat).
"""

from __future__ import annotations

import contextvars
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
)
from ._live_snapshot import LIVE_MIN_INTERVAL_MS, next_update_delay_ms
from .bundle import trace_bundle

#: A root span shows live once it has run this long (a shorter trace is shown when it ends).
LIVE_SHOW_AFTER_MS = LIVE_MIN_INTERVAL_MS
#: What a display message takes on IOPub besides its data (header, parent header,
#: signature): counted in the byte rate, so IOPub itself stays within it.
MESSAGE_ENVELOPE_BYTES = 1024
#: Why a trace whose cell ended before its root span did stopped updating.
CELL_ENDED_REASON = "the cell ended before the trace did"

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
        try:
            output = self._outputs.get(span.context.trace_id)
            if output is None:
                return
            if span.parent is None:
                output.root_ended(span.end_time, sys.exc_info()[1])
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
        while not self._stopping:
            self._wake.clear()
            now = time.monotonic()
            wait_s = HEARTBEAT_S
            for output in sorted(self._outputs.values(), key=lambda o: o.last_sent_at):
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
            if wait_s > 0:
                self._wake.wait(wait_s)

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
                sent = output.show(publish_display, self._tracking_uri())
                if sent == 0:
                    self._drop(output)
                    return
                cell.shown.append(output)
            elif output.state == RUNNING:
                self._finish_early(output)
                if output.dirty or time.monotonic() >= output.last_sent_at + HEARTBEAT_S:
                    sent = output.update(publish_display, self._tracking_uri())
            else:
                self._drop(output)
        if sent:
            self._sent(sent)

    def _sent(self, size_bytes: int) -> None:
        wire_bytes = size_bytes + MESSAGE_ENVELOPE_BYTES
        self._next_send_at = time.monotonic() + next_update_delay_ms(wire_bytes) / 1000

    def _finish_early(self, output: LiveOutput) -> None:
        """Starts the last update as soon as MLflow has the finished trace of a root
        that ended normally (the cell may run on), in a thread of its own: a large
        trace takes a while to encode, and this thread keeps the heartbeat meanwhile."""
        ended_normally = output.root_end_ns is not None and output.root_error is None
        if output.finalizing is not None or not ended_normally:
            return
        output.last_poll_at = time.monotonic()
        trace = self._pending().get(output.trace_id)
        if trace is None:
            return
        output.finalizing = threading.Thread(
            target=self._send_final,
            args=(output, lambda: self._bundle_for([trace])),
            name="mlflow-live-final",
            daemon=True,
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

    def finish_cell(self, result: Any, pending: dict) -> None:
        """The last update of each live output of the cell that ends, after MLflow's
        span processors were flushed; its traces leave `pending` (MLflow's display)."""
        cell, self._cell = self._cell, None
        if cell is None:
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
        if cell.shown:
            # MLflow's cap counts the live outputs too.
            for trace_id in list(pending)[max(0, cell.cap - len(cell.shown)) :]:
                pending.pop(trace_id, None)

    def _finish(self, output: LiveOutput, error: BaseException | None, pending: dict) -> None:
        """The last update of an output still running as its cell ends: MLflow's
        finished trace, or, interrupted, the trace recorded so far."""
        trace = pending.get(output.trace_id)
        reason = _interruption(output, error)
        if reason is None and trace is not None:
            self._send_final(output, lambda: self._bundle_for([trace]))
            return
        cut_ns = output.root_end_ns if output.root_error is not None else time.time_ns()
        with output.lock:  # reads the snapshot state the scheduler writes
            entry = output.interrupted_input(trace, reason or CELL_ENDED_REASON, cut_ns)
        if entry is None:
            return  # MLflow dropped the trace: its last running update stays
        uri = self._tracking_uri()
        self._send_final(output, lambda: trace_bundle([entry], tracking_uri=uri))


def _interruption(output: LiveOutput, error: BaseException | None) -> str | None:
    """Why `output`'s trace was interrupted by the cell's `error`; None if it was not."""
    if error is None:
        return None
    if output.root_end_ns is None:
        return _describe(error)
    if output.root_error is not None and _caused_by(error, output.root_error):
        return _describe(output.root_error)
    return None


def _caused_by(error: BaseException, cause: BaseException) -> bool:
    """Whether `error` is `cause`, was raised while handling it (or from it), or is a
    second kernel interrupt after it (one that landed while IPython printed the first)."""
    if isinstance(error, KeyboardInterrupt) and isinstance(cause, KeyboardInterrupt):
        return True
    seen: set[int] = set()
    at: BaseException | None = error
    while at is not None and id(at) not in seen:
        if at is cause:
            return True
        seen.add(id(at))
        at = at.__cause__ or at.__context__
    return False


def _describe(error: BaseException) -> str:
    message = str(error)
    return f"{type(error).__name__}: {message}" if message else type(error).__name__
