"""JupyterLab renderer for MLflow traces (a prebuilt labextension)."""

try:
    from ._version import __version__
except ImportError:
    # Fallback when using the package in dev mode without installing in editable mode with pip.
    import warnings

    warnings.warn(
        "Importing 'jupyterlab_mlflow_traces' outside a proper installation.", stacklevel=2
    )
    __version__ = "dev"


def _jupyter_labextension_paths():
    return [{"src": "labextension", "dest": "jupyterlab-mlflow-traces"}]


def load_ipython_extension(shell):
    """``%load_ext jupyterlab_mlflow_traces``: MLflow's traces render with our renderer."""
    from .ipython import load_ipython_extension as load

    load(shell)


def unload_ipython_extension(shell):
    """``%unload_ext jupyterlab_mlflow_traces``: MLflow's own display again."""
    from .ipython import unload_ipython_extension as unload

    unload(shell)


def _jupyter_server_extension_points():
    return [{"module": "jupyterlab_mlflow_traces.server"}]


def __getattr__(name):
    # `from jupyterlab_mlflow_traces import trace_list`, without importing it on every start.
    if name == "configure":
        from ._live import configure

        return configure
    if name == "trace_list":
        from .query import trace_list

        return trace_list
    if name == "trace_session":
        from .query import trace_session

        return trace_session
    if name == "summarize":
        from .summary import summarize

        return summarize
    if name == "check":
        from .summary import check

        return check
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
