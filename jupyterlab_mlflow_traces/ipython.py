"""The IPython extension: MLflow's own Python traces render with our renderer.

``%load_ext jupyterlab_mlflow_traces`` makes every trace MLflow's Python SDK
shows in a notebook one output with three MIME types (the interactive trace,
a static ``text/html`` tree and a ``text/plain`` line), under the cell that
made it, whatever the tracking store.

#### Notes
MLflow collects finished traces in its display handler and shows them from a
``post_run_cell`` callback (``mlflow/tracing/display/display_handler.py``).
Three of its private names are used, each through ``_MlflowHooks``:

- ``IPythonTraceDisplayHandler.get_mimebundle``: replaced, so that its output
  is ours (Databricks keeps MLflow's);
- ``display_handler.is_trace_ui_available``: widened to any IPython kernel,
  because MLflow shows nothing unless the tracking URI is http;
- ``base_mlflow._batch_processor_registry``: its batch processors are flushed
  before MLflow's callback runs, so a trace is shown under its own cell and
  not the next one (the batch processor waits up to 5 s).

When one of them is missing (another MLflow version), the extension leaves
MLflow's display as it is and prints one warning line.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import sys
from typing import Any

from .bundle import trace_bundle

_logger = logging.getLogger(__name__)

#: How long the end of a cell waits for MLflow's batch processors, in ms.
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
            if self.is_in_databricks_runtime():
                return original_get_mimebundle(handler, traces)
            return extension.bundle_for(traces)

        def is_trace_ui_available() -> bool:
            return original_available() or self.is_jupyter()

        self.handler_class.get_mimebundle = get_mimebundle
        self.module.is_trace_ui_available = is_trace_ui_available

    def uninstall(self) -> None:
        self.handler_class.get_mimebundle = self.original_get_mimebundle
        self.module.is_trace_ui_available = self.original_is_trace_ui_available

    @property
    def disabled(self) -> bool:
        return bool(self.handler_class.disabled)

    def pending_traces(self) -> dict:
        """The traces MLflow will show at the end of this cell, by trace id."""
        instance = self.handler_class._instance
        if instance is None:
            return {}
        return instance.traces_to_display


def _flush_batch_processors(timeout_ms: int) -> None:
    """Drains MLflow's batch span processors into its exporter, which hands
    each finished trace to the display handler before writing it to the store."""
    if "mlflow" not in sys.modules:
        return  # MLflow never imported (or not installed): no processor to flush
    from mlflow.tracing.processor import base_mlflow

    if not hasattr(base_mlflow, "_batch_processor_registry"):
        import mlflow.environment_variables as settings

        if not hasattr(settings, "MLFLOW_USE_BATCH_SPAN_PROCESSOR"):
            return  # an MLflow before batch processing: each trace is exported as its root ends
    with base_mlflow._batch_processor_registry_lock:
        processors = list(base_mlflow._batch_processor_registry)
    for processor in processors:
        processor.force_flush(timeout_ms)


class TraceDisplay:
    """The extension's state in one IPython shell."""

    def __init__(self, shell: Any) -> None:
        self.shell = shell
        self.hooks: _MlflowHooks | None = None
        # Trace ids this cell already showed (display(trace) or the cell's value).
        self._shown_this_cell: set[str] = set()
        self._flush_warned = False

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
        self._register_formatters()
        events = self.shell.events
        events.register("pre_run_cell", self._before_cell)
        # First in line, so MLflow's own post_run_cell callback sees the flushed traces.
        callbacks = events.callbacks["post_run_cell"]
        if self._after_cell not in callbacks:
            callbacks.insert(0, self._after_cell)

    def unload(self) -> None:
        if self.hooks is not None:
            self.hooks.uninstall()
        events = self.shell.events
        events.unregister("pre_run_cell", self._before_cell)
        events.unregister("post_run_cell", self._after_cell)
        formatter = self.shell.display_formatter.mimebundle_formatter
        formatter.deferred_printers.pop(("mlflow.entities.trace", "Trace"), None)
        try:
            from mlflow.entities import Trace

            formatter.type_printers.pop(Trace, None)
        except ImportError:
            pass
        formatter.type_printers.pop(list, None)

    def bundle_for(self, traces: list) -> dict:
        """Our three MIME types for MLflow ``Trace`` objects."""
        return trace_bundle(traces, tracking_uri=_tracking_uri())

    def _register_formatters(self) -> None:
        formatter = self.shell.display_formatter.mimebundle_formatter
        formatter.for_type_by_name("mlflow.entities.trace", "Trace", self._format_trace)
        formatter.for_type(list, self._format_trace_list)

    def _format_trace(self, trace: Any) -> dict | None:
        if self.hooks is not None and self.hooks.disabled:
            return None
        return self._format([trace])

    def _format_trace_list(self, items: list) -> dict | None:
        if not items or not all(_is_mlflow_trace(item) for item in items):
            return None
        if self.hooks is not None and self.hooks.disabled:
            return None
        return self._format(list(items))

    def _format(self, traces: list) -> dict | None:
        try:
            bundle = self.bundle_for(traces)
        except Exception as error:
            _warn(f"could not encode the trace ({error!r}); shown as text.")
            return None
        for trace in traces:
            self._shown_this_cell.add(trace.info.trace_id)
        return bundle

    def _before_cell(self, *_args: Any) -> None:
        self._shown_this_cell.clear()

    def _after_cell(self, *_args: Any) -> None:
        try:
            _flush_batch_processors(FLUSH_TIMEOUT_MS)
        except Exception as error:
            if not self._flush_warned:
                self._flush_warned = True
                _warn(
                    f"could not flush MLflow's span processors ({error!r}); "
                    "a trace may show under the next cell."
                )
        if self.hooks is None:
            return
        try:
            pending = self.hooks.pending_traces()
            for trace_id in self._shown_this_cell:
                pending.pop(trace_id, None)
        except Exception:
            _logger.debug("could not read MLflow's pending traces", exc_info=True)
        self._shown_this_cell.clear()


def _is_mlflow_trace(value: Any) -> bool:
    cls = type(value)
    return cls.__name__ == "Trace" and cls.__module__ == "mlflow.entities.trace"


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
