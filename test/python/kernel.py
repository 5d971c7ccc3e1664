"""Runs notebooks on a real ipykernel with nbclient, and reads their trace outputs."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient
from traitlets.config import Config

ROOT = Path(__file__).resolve().parents[2]
PYTHON_QUICKSTART = ROOT / "examples" / "python-quickstart.ipynb"

TRACE_MIME = "application/vnd.mlflow.trace+json"
LIST_MIME = "application/vnd.mlflow.trace-list+json"
KERNEL_SETTINGS = (
    "MLFLOW_TRACKING_URI",
    "MLFLOW_TRACKING_USERNAME",
    "MLFLOW_TRACKING_PASSWORD",
    "MLFLOW_TRACKING_TOKEN",
    "MLFLOW_EXPERIMENT_NAME",
    "MLFLOW_EXPERIMENT_ID",
    "MLFLOW_ALLOW_FILE_STORE",
    "IPYTHONDIR",
    "MLFLOW_ENABLE_ASYNC_TRACE_LOGGING",
)
# How long a kernel asked to shut down may take before it is stopped: MLflow flushes its span
# export queue at exit, which takes seconds on a busy machine (jupyter_client allows 5 s, half
# of it before SIGTERM, which skips exit handlers).
KERNEL_SHUTDOWN_WAIT_S = 120


@contextmanager
def environment(values: dict[str, str], cleared: Iterable[str] = ()) -> Iterator[None]:
    """os.environ with `cleared` removed and `values` set; restored afterwards."""
    names = {*cleared, *values}
    saved = {name: os.environ.get(name) for name in names}
    for name in cleared:
        os.environ.pop(name, None)
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def run_notebook(
    nb: nbformat.NotebookNode, cwd: Path, env: dict[str, str], timeout_s: int = 180
) -> nbformat.NotebookNode:
    """Executes `nb` in place on the python3 kernel, in `cwd`, with exactly `env`'s
    MLflow and IPython settings; the kernel imports this checkout's package."""
    with environment({**env, "PYTHONPATH": str(ROOT)}, cleared=KERNEL_SETTINGS):
        NotebookClient(
            nb,
            timeout=timeout_s,
            kernel_name="python3",
            resources={"metadata": {"path": str(cwd)}},
            config=Config({"KernelManager": {"shutdown_wait_time": KERNEL_SHUTDOWN_WAIT_S}}),
        ).execute()
    return nb


def notebook_of(*sources: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    return nb


def trace_outputs(cell: Any, mime: str = TRACE_MIME) -> list[dict]:
    """The outputs of a cell that carry `mime`."""
    return [o for o in cell.get("outputs", []) if mime in o.get("data", {})]


def stderr_text(cell: Any) -> str:
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("name") == "stderr")


def errors(nb: nbformat.NotebookNode) -> list[str]:
    return [
        f"{o.get('ename')}: {o.get('evalue')}"
        for cell in nb.cells
        for o in cell.get("outputs", [])
        if o.get("output_type") == "error"
    ]
