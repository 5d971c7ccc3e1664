"""The IPython extension: MLflow's own Python traces render with our renderer.

``%load_ext jupyterlab_mlflow_traces`` makes every trace MLflow's Python SDK
shows in a notebook one output with three MIME types (the interactive trace,
a static ``text/html`` tree and a ``text/plain`` line), whatever the tracking
store. So do ``display(trace)``, a ``Trace`` as a cell's value and a list made
only of traces; any other list keeps the display it had before.

Which cell shows a trace is MLflow's rule: the first cell to finish after the
trace's root span ended. A trace made in a cell is shown under it, also when a
thread is still ending its root span as the cell finishes (the end of the cell
waits for it). A trace whose root span a thread ends after its cell finished
is shown under the next cell that finishes: JupyterLab and nbclient drop output
sent to a cell that has finished (JupyterLab routes output only while its
execute request is pending), so it cannot be put back under its own cell.

#### Notes
One rule decides every path (``TraceDisplay.ours``): our output, unless
MLflow's notebook display is disabled or in Databricks, whose notebooks render
MLflow's own. If building ours fails, MLflow's display shows the trace and one
warning line says why.

MLflow collects finished traces in its display handler and shows them from a
``post_run_cell`` callback (``mlflow/tracing/display/display_handler.py``).
Its private names used, each guarded:

- ``IPythonTraceDisplayHandler.get_mimebundle``: replaced, so that its output
  is ours where the rule says so, MLflow's otherwise;
- ``display_handler.is_trace_ui_available``: widened to any IPython kernel,
  because MLflow shows nothing unless the tracking URI is http;
- ``base_mlflow._batch_processor_registry``: its batch processors are flushed
  before MLflow's callback runs, so a trace is shown under its own cell and
  not the next one (the batch processor waits up to 5 s);
- ``_pending_on_end_condition`` and ``_pending_on_end_count`` of MLflow's span
  processors (those flushed and ``provider._get_span_processor()``): the flush
  first waits for spans being ended, as ``mlflow.flush_trace_async_logging``
  does.

When one of the display handler's names is missing (another MLflow version),
the extension leaves MLflow's display as it is and prints one warning line; a
flush that fails prints one warning line once.

Live traces (``_live.py``): a root span that runs longer than a quarter
second while a cell runs is shown under that cell at once and updated in
place; its last update is the trace this display would have shown. They hook
MLflow's span processors; their private names are listed there.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import sys
from typing import Any

from IPython.utils.dir2 import get_real_method

from ._live import LiveTraces
from .bundle import trace_bundle

_logger = logging.getLogger(__name__)

#: How long the end of a cell waits for MLflow's span processors, in ms.
FLUSH_TIMEOUT_MS = 5000

_WARNING_PREFIX = "jupyterlab_mlflow_traces:"


def _warn(message: str) -> None:
    """One line on stderr; never an exception in the user's cell."""
    print(f"{_WARNING_PREFIX} {message}", file=sys.stderr)


_DISPLAY_HANDLER = "mlflow.tracing.display.display_handler"

#: MLflow's private names the display hooks rely on, as (module, attribute path).
MLFLOW_NAMES = [
    (_DISPLAY_HANDLER, "IPythonTraceDisplayHandler.get_mimebundle"),
    (_DISPLAY_HANDLER, "IPythonTraceDisplayHandler.disabled"),
    (_DISPLAY_HANDLER, "IPythonTraceDisplayHandler._instance"),
    (_DISPLAY_HANDLER, "is_trace_ui_available"),
    (_DISPLAY_HANDLER, "_is_jupyter"),
    ("mlflow.utils.databricks_utils", "is_in_databricks_runtime"),
]


def _resolve(module_name: str, path: str) -> Any:
    value = importlib.import_module(module_name)
    for part in path.split("."):
        value = getattr(value, part)
    return value


class _MlflowHooks:
    """MLflow's private display names this extension patches, and how to undo it."""

    def __init__(self) -> None:
        for module_name, path in MLFLOW_NAMES:
            try:
                _resolve(module_name, path)
            except (ImportError, AttributeError):
                raise AttributeError(f"{module_name}.{path} is missing") from None
        self.module = importlib.import_module(_DISPLAY_HANDLER)
        self.handler_class = self.module.IPythonTraceDisplayHandler
        self.original_get_mimebundle = self.handler_class.get_mimebundle
        self.original_is_trace_ui_available = self.module.is_trace_ui_available
        self.is_jupyter = self.module._is_jupyter
        self.is_in_databricks_runtime = _resolve(
            "mlflow.utils.databricks_utils", "is_in_databricks_runtime"
        )

    def install(self, extension: TraceDisplay) -> None:
        original_get_mimebundle = self.original_get_mimebundle
        original_available = self.original_is_trace_ui_available

        def get_mimebundle(handler: Any, traces: list) -> dict:
            bundle = extension.ours(traces)
            return original_get_mimebundle(handler, traces) if bundle is None else bundle

        def is_trace_ui_available() -> bool:
            return original_available() or self.is_jupyter()

        self.handler_class.get_mimebundle = get_mimebundle
        self.module.is_trace_ui_available = is_trace_ui_available

    def uninstall(self) -> None:
        self.handler_class.get_mimebundle = self.original_get_mimebundle
        self.module.is_trace_ui_available = self.original_is_trace_ui_available

    def shows_ours(self) -> bool:
        """Whether a trace shown now gets our output: not while MLflow's notebook display is
        disabled, and never in Databricks, whose notebooks render MLflow's own."""
        return not self.handler_class.disabled and not self.is_in_databricks_runtime()

    def pending_traces(self) -> dict:
        """The traces MLflow will show at the end of this cell, by trace id."""
        instance = self.handler_class._instance
        if instance is None:
            return {}
        return instance.traces_to_display


def _flush_span_processors(timeout_ms: int) -> None:
    """Drains MLflow's span processors into its exporter, which hands each
    finished trace to the display handler before writing it to the store.

    As ``mlflow.flush_trace_async_logging`` does, it first waits for spans still
    being ended (a thread ending a root span as the cell finishes), so that they
    are in the queue the flush drains."""
    if "mlflow" not in sys.modules:
        return  # MLflow never imported (or not installed): no processor to flush
    from mlflow.tracing.processor import base_mlflow

    if not hasattr(base_mlflow, "_batch_processor_registry"):
        import mlflow.environment_variables as settings

        if not hasattr(settings, "MLFLOW_USE_BATCH_SPAN_PROCESSOR"):
            return  # an MLflow before batch processing: each trace is exported as its root ends
    with base_mlflow._batch_processor_registry_lock:
        processors = list(base_mlflow._batch_processor_registry)
    current = _current_span_processor()
    for processor in {*processors, *([current] if current is not None else [])}:
        _wait_for_ending_spans(processor, timeout_ms)
    for processor in processors:
        processor.force_flush(timeout_ms)


def _current_span_processor() -> Any:
    """MLflow's span processor of the current tracer provider, which exports each trace
    as its root span ends when batch processing is off; None where MLflow lacks it."""
    from mlflow.tracing import provider

    get_processor = getattr(provider, "_get_span_processor", None)
    return get_processor() if get_processor is not None else None


def _wait_for_ending_spans(processor: Any, timeout_ms: int) -> None:
    """Waits until no span is inside the processor's ``on_end``, at most `timeout_ms`."""
    condition = getattr(processor, "_pending_on_end_condition", None)
    if condition is None or not hasattr(processor, "_pending_on_end_count"):
        return  # an MLflow that does not count them
    with condition:
        condition.wait_for(lambda: processor._pending_on_end_count == 0, timeout=timeout_ms / 1000)


class _Printer:
    """Our printer for one type in IPython's mimebundle formatter.

    IPython looks a printer up through the object's type and its bases and, once
    found, never asks the object's own ``_repr_mimebundle_``. So what `claim`
    declines (returns None for) goes to what was there before: the printer this
    one replaced, else the object's own ``_repr_mimebundle_``. Uninstalling puts
    the replaced printer back."""

    def __init__(self, formatter: Any, module: str, name: str, claim: Any) -> None:
        self.formatter = formatter
        self.key = (module, name)
        self.claim = claim
        self.replaced: Any = None

    def install(self) -> None:
        self.replaced = self._pop()
        self.formatter.for_type_by_name(*self.key, self)

    def uninstall(self) -> None:
        current = self._pop()
        restored = self.replaced if current is self else current
        if restored is not None:
            self.formatter.for_type_by_name(*self.key, restored)

    def __call__(self, value: Any) -> Any:
        bundle = self.claim(value)
        if bundle is not None:
            return bundle
        if self.replaced is not None:
            return self.replaced(value)
        method = get_real_method(value, "_repr_mimebundle_")
        return method() if method is not None else None

    def _pop(self) -> Any:
        """Removes the printer registered for exactly this type, whether IPython
        has yet resolved it from its name to the type or not, and returns it."""
        printer = self.formatter.deferred_printers.pop(self.key, None)
        for cls in list(self.formatter.type_printers):
            if (getattr(cls, "__module__", None), getattr(cls, "__name__", None)) == self.key:
                printer = self.formatter.type_printers.pop(cls)
        return printer


class TraceDisplay:
    """The extension's state in one IPython shell."""

    def __init__(self, shell: Any) -> None:
        self.shell = shell
        self.hooks: _MlflowHooks | None = None
        # Trace ids this cell already showed (display(trace) or the cell's value).
        self._shown_this_cell: set[str] = set()
        self._flush_warned = False
        self._printers: list[_Printer] = []
        self.live: LiveTraces | None = None

    def load(self) -> None:
        try:
            if importlib.util.find_spec("mlflow") is None:
                raise ModuleNotFoundError("mlflow")
            self.hooks = _MlflowHooks()
        except ModuleNotFoundError:
            self.hooks = None
            _warn(
                "MLflow is not installed in this Python environment: install it "
                "(pip install mlflow), then run %reload_ext jupyterlab_mlflow_traces."
            )
        except Exception as error:  # another MLflow version moved a private name
            self.hooks = None
            _warn(
                f"MLflow's notebook display changed ({error}); "
                "traces are shown by MLflow's own display."
            )
        else:
            self.hooks.install(self)
            self._load_live(self.hooks)
        self._register_formatters()
        events = self.shell.events
        events.register("pre_run_cell", self._before_cell)
        # First in line, so MLflow's own post_run_cell callback sees the flushed traces.
        callbacks = events.callbacks["post_run_cell"]
        if self._after_cell not in callbacks:
            callbacks.insert(0, self._after_cell)

    def _load_live(self, hooks: _MlflowHooks) -> None:
        self.live = LiveTraces(
            shows_ours=hooks.shows_ours,
            pending=hooks.pending_traces,
            bundle_for=self.bundle_for,
            tracking_uri=_tracking_uri,
            warn=_warn,
        )
        self.live.load()

    def unload(self) -> None:
        if self.live is not None:
            self.live.unload()
            self.live = None
        if self.hooks is not None:
            self.hooks.uninstall()
        events = self.shell.events
        events.unregister("pre_run_cell", self._before_cell)
        events.unregister("post_run_cell", self._after_cell)
        for printer in self._printers:
            printer.uninstall()
        self._printers = []

    def bundle_for(self, traces: list) -> dict:
        """Our three MIME types for MLflow ``Trace`` objects."""
        return trace_bundle(traces, tracking_uri=_tracking_uri())

    def ours(self, traces: list) -> dict | None:
        """Our bundle for `traces`, or None where MLflow's display is to show them.

        The one rule for MLflow's end-of-cell display and for ``display(trace)``:
        ours unless MLflow's display hooks are missing, disabled or on Databricks;
        a failure to build it is one warning line and MLflow's display."""
        try:
            if self.hooks is None or not self.hooks.shows_ours():
                return None
            return self.bundle_for(traces)
        except Exception as error:
            _warn(f"could not show the trace ({error!r}); shown by MLflow's own display.")
            return None

    def _register_formatters(self) -> None:
        formatter = self.shell.display_formatter.mimebundle_formatter
        self._printers = [
            _Printer(formatter, "mlflow.entities.trace", "Trace", self._format_trace),
            _Printer(formatter, "builtins", "list", self._format_trace_list),
        ]
        for printer in self._printers:
            printer.install()

    def _format_trace(self, trace: Any) -> dict | None:
        return self._format([trace])

    def _format_trace_list(self, items: list) -> dict | None:
        if not items or not all(_is_mlflow_trace(item) for item in items):
            return None
        if get_real_method(items, "_repr_mimebundle_") is not None:
            return None  # a list type with its own display keeps it
        return self._format(list(items))

    def _format(self, traces: list) -> dict | None:
        bundle = self.ours(traces)
        if bundle is not None:
            for trace in traces:
                self._shown_this_cell.add(trace.info.trace_id)
        return bundle

    def _before_cell(self, *_args: Any) -> None:
        self._shown_this_cell.clear()
        if self.live is not None:
            self.live.start_cell(_max_traces_per_cell())

    def _after_cell(self, result: Any = None, *_args: Any) -> None:
        try:
            _flush_span_processors(FLUSH_TIMEOUT_MS)
        except Exception as error:
            if not self._flush_warned:
                self._flush_warned = True
                _warn(
                    f"could not flush MLflow's span processors ({error!r}); "
                    "a trace may show under the next cell."
                )
        if self.hooks is None:
            return
        shown, self._shown_this_cell = self._shown_this_cell, set()
        try:
            pending = self.hooks.pending_traces()
        except Exception:
            _logger.debug("could not read MLflow's pending traces", exc_info=True)
            pending = {}
        if self.live is not None:
            try:
                # Live outputs read the finished traces the cell showed itself too.
                self.live.finish_cell(result, pending, shown)
            except Exception as error:
                _warn(f"could not end the cell's live traces ({error!r}).")
        for trace_id in shown:
            pending.pop(trace_id, None)


def _is_mlflow_trace(value: Any) -> bool:
    cls = type(value)
    return cls.__name__ == "Trace" and cls.__module__ == "mlflow.entities.trace"


def _max_traces_per_cell() -> int:
    """MLflow's cap on the traces shown under one cell."""
    try:
        from mlflow.environment_variables import MLFLOW_MAX_TRACES_TO_DISPLAY_IN_NOTEBOOK

        return int(MLFLOW_MAX_TRACES_TO_DISPLAY_IN_NOTEBOOK.get())
    except Exception:
        return 10  # MLflow's default


def _tracking_uri() -> str | None:
    try:
        import mlflow

        return mlflow.get_tracking_uri()
    except Exception:
        return None


_active: TraceDisplay | None = None


def load_ipython_extension(shell: Any) -> None:
    """``%load_ext jupyterlab_mlflow_traces``."""
    global _active
    if _active is not None:
        return
    extension = TraceDisplay(shell)
    extension.load()
    _active = extension


def unload_ipython_extension(shell: Any) -> None:
    """``%unload_ext jupyterlab_mlflow_traces``: MLflow's display as it was."""
    global _active
    if _active is None:
        return
    _active.unload()
    _active = None
