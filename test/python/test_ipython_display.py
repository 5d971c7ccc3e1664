"""How the IPython extension keeps MLflow's display rules, on a real ipykernel (sqlite store)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kernel import TRACE_MIME, errors, notebook_of, run_notebook, stderr_text, trace_outputs
from mlflow_server import mlflow_server

LOAD = """%load_ext jupyterlab_mlflow_traces
import mlflow

@mlflow.trace
def step(x):
    return x + 1"""


def _trace_ids(cell) -> list[str]:
    return [t["trace_id"] for o in trace_outputs(cell) for t in o["data"][TRACE_MIME]["traces"]]


def test_one_output_per_cell_and_the_max_setting(tmp_path: Path) -> None:
    nb = run_notebook(
        notebook_of(LOAD, "[step(i) for i in range(3)]", "import os\n[step(i) for i in range(5)]"),
        tmp_path,
        {"MLFLOW_MAX_TRACES_TO_DISPLAY_IN_NOTEBOOK": "4"},
    )
    assert errors(nb) == []
    three, five = nb.cells[1], nb.cells[2]
    assert len(trace_outputs(three)) == 1, "three traces of one cell share one output"
    assert len(_trace_ids(three)) == 3
    assert len(trace_outputs(five)) == 1
    assert len(_trace_ids(five)) == 4, "MLFLOW_MAX_TRACES_TO_DISPLAY_IN_NOTEBOOK is honoured"


def test_disable_notebook_display_turns_it_off(tmp_path: Path) -> None:
    nb = run_notebook(
        notebook_of(
            LOAD,
            "mlflow.tracing.disable_notebook_display()\nstep(1)",
            "mlflow.tracing.enable_notebook_display()\nstep(2)",
        ),
        tmp_path,
        {},
    )
    assert errors(nb) == []
    assert trace_outputs(nb.cells[1]) == []
    assert len(_trace_ids(nb.cells[2])) == 1


def test_a_trace_that_is_the_cells_value_is_shown_once(tmp_path: Path) -> None:
    nb = run_notebook(
        notebook_of(
            LOAD,
            "step(1)\nmlflow.flush_trace_async_logging()\n"
            "mlflow.get_trace(mlflow.get_last_active_trace_id())",
            "from IPython.display import display\nstep(2)\nmlflow.flush_trace_async_logging()\n"
            "display(mlflow.get_trace(mlflow.get_last_active_trace_id()))",
        ),
        tmp_path,
        {},
    )
    assert errors(nb) == []
    value, displayed = nb.cells[1], nb.cells[2]
    assert [o["output_type"] for o in trace_outputs(value)] == ["execute_result"]
    assert len(_trace_ids(value)) == 1
    assert [o["output_type"] for o in trace_outputs(displayed)] == ["display_data"]
    assert len(_trace_ids(displayed)) == 1


def test_a_list_of_traces_is_one_output(tmp_path: Path) -> None:
    nb = run_notebook(
        notebook_of(
            LOAD,
            "step(1); step(2)",
            "mlflow.flush_trace_async_logging()\n"
            "mlflow.search_traces(return_type='list', order_by=['timestamp_ms ASC'])",
            "[1, 2, 3]",
        ),
        tmp_path,
        {},
    )
    assert errors(nb) == []
    listed = trace_outputs(nb.cells[2])
    assert len(listed) == 1
    assert _trace_ids(nb.cells[2]) == _trace_ids(nb.cells[1])
    plain = nb.cells[3].outputs[0]["data"]
    assert plain == {"text/plain": "[1, 2, 3]"}, "other lists are left alone"


def test_changed_mlflow_internals_fall_back_to_mlflows_display(tmp_path: Path) -> None:
    # As if a newer MLflow lacked one of the private names the extension relies on.
    rename = (
        "import jupyterlab_mlflow_traces.ipython as extension\n"
        "extension.MLFLOW_NAMES.append((extension._DISPLAY_HANDLER, 'a_name_this_mlflow_lacks'))"
    )
    with mlflow_server(tmp_path / "server") as url:
        nb = run_notebook(
            notebook_of(rename, LOAD, "step(1)"), tmp_path, {"MLFLOW_TRACKING_URI": url}
        )
    assert errors(nb) == [], "never an exception in the user's cell"
    warning = stderr_text(nb.cells[1])
    assert warning.count("jupyterlab_mlflow_traces:") == 1, warning
    assert "MLflow's own display" in warning
    assert "a_name_this_mlflow_lacks is missing" in warning
    assert trace_outputs(nb.cells[2]) == []
    html = "".join(o["data"].get("text/html", "") for o in nb.cells[2].outputs if "data" in o)
    assert "notebook-trace-renderer" in html, "MLflow's own output is shown instead"


def test_the_documented_config_line_loads_it_in_every_kernel(tmp_path: Path) -> None:
    # The README's opt-in: one line in the IPython profile's ipython_kernel_config.py.
    profile = tmp_path / "ipython" / "profile_default"
    profile.mkdir(parents=True)
    (profile / "ipython_kernel_config.py").write_text(
        'c.InteractiveShellApp.extensions = ["jupyterlab_mlflow_traces"]\n'
    )
    nb = run_notebook(
        notebook_of("import mlflow\n\n@mlflow.trace\ndef step(x):\n    return x\n\nstep(1)"),
        tmp_path,
        {"IPYTHONDIR": str(tmp_path / "ipython")},
    )
    assert errors(nb) == []
    assert len(_trace_ids(nb.cells[0])) == 1


ROWS = """class Rows(list):
    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/markdown": f"**{len(self)} rows**", "text/plain": "rows"}"""

# Another library's printer for every list, registered before the extension loads.
OTHER_LIST_PRINTER = (
    "get_ipython().display_formatter.mimebundle_formatter.for_type(\n"
    "    list, lambda items: {'text/markdown': f'list of {len(items)}'})"
)


def _data(cell) -> dict:
    return {k: v for o in cell.outputs if "data" in o for k, v in o["data"].items()}


def test_other_lists_keep_their_own_display(tmp_path: Path) -> None:
    nb = run_notebook(
        notebook_of(
            LOAD,
            ROWS + "\nRows([1, 2])",
            "%unload_ext jupyterlab_mlflow_traces",
            OTHER_LIST_PRINTER,
            "%load_ext jupyterlab_mlflow_traces",
            "[1, 2, 3]",
            "step(1)\nmlflow.flush_trace_async_logging()\n"
            "[mlflow.get_trace(mlflow.get_last_active_trace_id())]",
            "%unload_ext jupyterlab_mlflow_traces",
            "[1, 2]",
        ),
        tmp_path,
        {},
    )
    assert errors(nb) == []
    rows, plain, traces, after = (nb.cells[i] for i in (1, 5, 6, 8))
    assert _data(rows).get("text/markdown") == "**2 rows**", "a list subclass keeps its own bundle"
    assert _data(plain).get("text/markdown") == "list of 3", "the earlier list printer still runs"
    assert len(_trace_ids(traces)) == 1, "a list made only of traces is ours"
    assert _data(after).get("text/markdown") == "list of 2", "unloading restores it"


def test_databricks_keeps_mlflows_display_on_every_path(tmp_path: Path) -> None:
    nb = run_notebook(
        notebook_of(
            LOAD,
            "step(1)",
            "from IPython.display import display\nmlflow.flush_trace_async_logging()\n"
            "display(mlflow.get_trace(mlflow.get_last_active_trace_id()))",
            "[mlflow.get_trace(mlflow.get_last_active_trace_id())]",
        ),
        tmp_path,
        {
            # What mlflow.utils.databricks_utils.is_in_databricks_runtime() reads.
            "DATABRICKS_RUNTIME_VERSION": "15.4",
            "MLFLOW_TRACKING_URI": f"sqlite:///{tmp_path / 'mlflow.db'}",
        },
    )
    assert errors(nb) == []
    for cell in nb.cells[1:]:
        assert trace_outputs(cell) == [], cell.source
    for cell in nb.cells[1:3]:  # a list of traces has no display of MLflow's: its text line
        assert "application/databricks.mlflow.trace" in _data(cell), cell.source


SLOW_ROOT_END = """import threading, time
from mlflow.tracing.processor import base_mlflow

ending = threading.Event()
usage = base_mlflow.aggregate_usage_from_spans

def slow_usage(spans):  # MLflow ends the root span in this thread for 1.5 s
    ending.set()
    time.sleep(1.5)
    return usage(spans)

base_mlflow.aggregate_usage_from_spans = slow_usage
threading.Thread(target=step, args=(1,)).start()
ending.wait(10)"""

ENDS_AFTER_ITS_CELL = """base_mlflow.aggregate_usage_from_spans = usage

@mlflow.trace
def slow_step(x):
    time.sleep(1)
    return x

threading.Thread(target=slow_step, args=(2,)).start()"""


@pytest.mark.parametrize("async_logging", ["true", "false"])  # batch or simple span processor
def test_a_trace_ending_as_its_cell_ends_is_shown_under_that_cell(
    tmp_path: Path, async_logging: str
) -> None:
    nb = run_notebook(
        notebook_of(LOAD, SLOW_ROOT_END, ENDS_AFTER_ITS_CELL, "time.sleep(3)"),
        tmp_path,
        {"MLFLOW_ENABLE_ASYNC_TRACE_LOGGING": async_logging},
    )
    assert errors(nb) == []
    ending, started, later = nb.cells[1:]
    assert len(_trace_ids(ending)) == 1, "the cell's flush waits for a root span being ended"
    assert _trace_ids(started) == [], "a root span still open when its cell ends is not shown there"
    assert len(_trace_ids(later)) == 1, "it is shown under the cell that ends after it ended"


def test_a_failing_bundle_falls_back_to_mlflows_display(tmp_path: Path) -> None:
    broken = (
        "import jupyterlab_mlflow_traces.ipython as extension\n\n"
        "def broken(*args, **kwargs):\n"
        "    raise RuntimeError('no bundle')\n\n"
        "extension.trace_bundle = broken"
    )
    nb = run_notebook(
        notebook_of(
            LOAD,
            broken + "\nstep(1);",
            "from IPython.display import display\nmlflow.flush_trace_async_logging()\n"
            "display(mlflow.get_trace(mlflow.get_last_active_trace_id()))",
        ),
        tmp_path,
        {},
    )
    assert errors(nb) == [], "never an exception in the user's cell"
    for cell in nb.cells[1:]:
        assert trace_outputs(cell) == [], cell.source
        assert _data(cell).get("text/plain", "").startswith("Trace(trace_id="), cell.source
        warning = stderr_text(cell)
        assert warning.count("jupyterlab_mlflow_traces:") == 1, warning
        assert "no bundle" in warning and "MLflow's own display" in warning, warning
