"""Live traces on a real ipykernel with the extension loaded and a real tracking server.

One notebook, one kernel, one server: a cell of five 300 ms steps, a cell interrupted
mid-trace (SIGINT, as JupyterLab's stop button), a loop of 10,000 spans, and last a cell
whose kernel is killed mid-trace. Every IOPub message a cell received is recorded as
nbclient received it (only messages whose parent is that cell reach it).
"""

from __future__ import annotations

import io
import json
import sys

import pytest
from nbclient.exceptions import DeadKernelError
from test_ipython_quickstart import _read_back

from jupyterlab_mlflow_traces._js import json_size
from jupyterlab_mlflow_traces._live_snapshot import (
    LIVE_MAX_BYTES_PER_S,
    LIVE_MAX_SNAPSHOT_BYTES,
    LIVE_MIN_INTERVAL_MS,
    LIVE_UPDATE_EVERY_MS,
    next_update_delay_ms,
)

from kernel import KERNEL_SETTINGS, ROOT, TRACE_MIME, environment, notebook_of, trace_outputs
from mlflow_server import mlflow_server

sys.path.insert(0, str(ROOT / "test" / "fixtures"))
from run_notebook import RecordingClient, cell_timeout  # noqa: E402

SETUP = """%load_ext jupyterlab_mlflow_traces
import time
import mlflow

@mlflow.trace
def step(i):
    time.sleep(0.3)
    return i

@mlflow.trace
def steps(n):
    return [step(i) for i in range(n)]"""
FIVE, INTERRUPTED, MANY, OFF, DISPLAY_DISABLED, THREADS, KILLED = range(1, 8)
SPAN_LOOP = """with mlflow.start_span("many"):
    for i in range(10_000):
        with mlflow.start_span(f"span {i}") as span:
            span.set_inputs({"i": i})"""
LIVE_OFF = """import jupyterlab_mlflow_traces

jupyterlab_mlflow_traces.configure(live=False)
steps(3)
jupyterlab_mlflow_traces.configure(live=True)"""
DISABLED_SOURCE = "mlflow.tracing.disable_notebook_display()\nsteps(3)"
THREE_THREADS = """mlflow.tracing.enable_notebook_display()
from concurrent.futures import ThreadPoolExecutor

with ThreadPoolExecutor(3) as pool:
    list(pool.map(steps, [3, 3, 3]))"""
# MLflow's cap on traces shown under one cell, for the kernel (three threads, two shown).
MAX_TRACES = 2
# Seconds after which the interrupted cell gets SIGINT and the killed cell's kernel SIGKILL.
INTERRUPT_AFTER_S = 1.6
KILL_AFTER_S = 1.6
# The renderer says an output stopped updating when nothing new came for this long.
STALE_AFTER_S = 3 * LIVE_UPDATE_EVERY_MS / 1000


def _notebook():
    nb = notebook_of(
        SETUP,
        "steps(5)",
        "steps(20)",
        SPAN_LOOP,
        LIVE_OFF,
        DISABLED_SOURCE,
        THREE_THREADS,
        "steps(20)",
    )
    nb.cells[INTERRUPTED].metadata["run_notebook"] = {"interrupt_after_s": INTERRUPT_AFTER_S}
    nb.cells[KILLED].metadata["run_notebook"] = {"kill_after_s": KILL_AFTER_S}
    return nb


class Client(RecordingClient):
    """Interrupts a cell once: on a loaded machine IPython may still be printing the
    first interrupt's traceback when the cell's timeout comes round again."""

    def __init__(self, nb, **kw) -> None:
        super().__init__(nb, **kw)
        self.interrupted: set[int] = set()

    async def _async_handle_timeout(self, timeout, cell=None):
        if cell is not None and id(cell) in self.interrupted:
            return None
        if cell is not None:
            self.interrupted.add(id(cell))
        return await super()._async_handle_timeout(timeout, cell)


class Run:
    """The executed notebook, its server, and the trace display messages of each cell."""

    def __init__(self, nb, url: str, messages: list[dict]) -> None:
        self.nb = nb
        self.url = url
        self.messages = messages

    def displays(self, cell: int) -> list[dict]:
        return [
            m
            for m in self.messages
            if m["cell"] == cell and TRACE_MIME in m.get("content", {}).get("data", {})
        ]


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory):
    directory = tmp_path_factory.mktemp("live")
    with mlflow_server(directory / "server") as url:
        nb = _notebook()
        log = io.StringIO()
        env = {
            "MLFLOW_TRACKING_URI": url,
            "MLFLOW_MAX_TRACES_TO_DISPLAY_IN_NOTEBOOK": str(MAX_TRACES),
            "PYTHONPATH": str(ROOT),
        }
        with environment(env, cleared=KERNEL_SETTINGS):
            client = Client(
                nb,
                iopub=log,
                timeout=180,
                timeout_func=cell_timeout(180),
                kernel_name="python3",
                resources={"metadata": {"path": str(directory)}},
                allow_errors=True,
            )
            with pytest.raises(DeadKernelError):
                client.execute()
        messages = [json.loads(line) for line in log.getvalue().splitlines()]
        yield Run(nb, url, messages)


def _entry(message: dict) -> dict:
    traces = message["content"]["data"][TRACE_MIME]["traces"]
    assert len(traces) == 1, "one trace per live output"
    return traces[0]


def _display_id(message: dict) -> str:
    return message["content"]["transient"]["display_id"]


def _running(displays: list[dict]) -> list[dict]:
    return [m for m in displays if _entry(m).get("live", {}).get("status") == "running"]


def _stored_spans(run: Run, trace_id: str) -> dict:
    stored = _read_back(run.url, trace_id, {})
    return {d["span_id"]: d for d in (s.to_dict() for s in stored.data.spans)}


def test_five_steps_update_in_place_and_end_as_the_server_stored_them(run: Run) -> None:
    displays = run.displays(FIVE)
    assert displays[0]["msg_type"] == "display_data", "the first is a new output"
    assert {_display_id(m) for m in displays} == {_display_id(displays[0])}, "one display id"
    assert all(m["msg_type"] == "update_display_data" for m in displays[1:])
    running = _running(displays)
    assert len(running) >= 3, f"at least three running updates, got {len(running)}"
    assert running[0] is displays[0], "the output appears while the root runs"
    sequences = [_entry(m)["live"]["sequence"] for m in running]
    assert sequences == list(range(1, len(running) + 1))
    assert all(_entry(m)["info"]["state"] == "IN_PROGRESS" for m in running), "the contract"
    counts = [len(_entry(m)["spans"]) for m in running]
    assert counts == sorted(counts) and counts[-1] > counts[0], f"spans grow: {counts}"
    last = displays[-1]
    assert last is not running[-1] and "live" not in _entry(last), "the last is not live"
    final = _entry(last)
    assert len(final["spans"]) == 6
    assert {s["span_id"]: s for s in final["spans"]} == _stored_spans(run, final["trace_id"])
    saved = trace_outputs(run.nb.cells[FIVE])
    assert len(saved) == 1, "one output in the saved notebook"
    assert saved[0]["data"][TRACE_MIME] == last["content"]["data"][TRACE_MIME]
    assert "partial" not in saved[0]["data"]["text/plain"]


def test_an_interrupted_cell_keeps_the_partial_trace_marked_interrupted(run: Run) -> None:
    errors = [o for o in run.nb.cells[INTERRUPTED].outputs if o["output_type"] == "error"]
    assert errors and {e["ename"] for e in errors} == {"KeyboardInterrupt"}
    displays = run.displays(INTERRUPTED)
    assert len(_running(displays)) >= 2
    last = _entry(displays[-1])
    live = last["live"]
    assert live["status"] == "interrupted"
    assert live["reason"] == "KeyboardInterrupt"
    assert live["sequence"] == len(displays)
    names = [s["name"] for s in last["spans"]]
    started = names.count("step")
    # The interrupt lands in the step running at INTERRUPT_AFTER_S: 0.3 s each.
    assert 3 <= started <= 7 and names.count("steps") == 1, names
    assert all(s["start_time_unix_nano"] <= live["interrupted_at_unix_nano"] for s in last["spans"])
    seen = {s["span_id"] for m in _running(displays) for s in _entry(m)["spans"]}
    assert seen <= {s["span_id"] for s in last["spans"]}, "every span shown live is kept"
    # MLflow ended the open spans as the interrupt unwound them and stored that trace.
    assert {s["span_id"]: s for s in last["spans"]} == _stored_spans(run, last["trace_id"])
    saved = trace_outputs(run.nb.cells[INTERRUPTED])
    assert len(saved) == 1
    assert saved[0]["data"][TRACE_MIME]["traces"][0]["live"]["status"] == "interrupted"
    assert "interrupted at" in saved[0]["data"]["text/plain"]


def test_ten_thousand_spans_stay_within_the_rate_and_the_byte_bound(run: Run) -> None:
    displays = run.displays(MANY)
    running = _running(displays)
    assert len(running) >= 2
    assert "live" not in _entry(displays[-1])
    assert len({_display_id(m) for m in displays}) == 1
    sizes = [json_size(m["content"]["data"]) for m in running]
    for message in running:
        entry = _entry(message)
        # The whole message: the trace payload, both fallbacks, the display id.
        assert message["bytes"] <= LIVE_MAX_SNAPSHOT_BYTES, message["bytes"]
        assert entry["live"]["update_every_ms"] == LIVE_UPDATE_EVERY_MS
    assert any(_entry(m)["live"].get("spans_omitted", 0) > 0 for m in running)
    made = [_entry(m)["live"]["updated_unix_ms"] for m in running]
    for i in range(1, len(made)):
        # The kernel's clock: each update waits for the bytes of the one before it.
        assert made[i] - made[i - 1] >= next_update_delay_ms(sizes[i - 1]) - 5, (i, made, sizes)
        assert made[i] - made[i - 1] >= LIVE_MIN_INTERVAL_MS - 5
    elapsed_s = (running[-1]["time"] - running[0]["time"]) or 1e-3
    sent = sum(sizes[:-1])
    assert sent <= LIVE_MAX_BYTES_PER_S * elapsed_s + max(sizes), (sent, elapsed_s)
    # The heartbeat: the output never looks stale while the kernel lives, also while
    # MLflow exports the finished trace and its last update is encoded.
    arrived = [m["time"] for m in displays]
    gaps = [b - a for a, b in zip(arrived, arrived[1:], strict=False)]
    assert max(gaps) < STALE_AFTER_S, gaps
    per_cell = [m for m in run.messages if m["cell"] == MANY]
    assert len(per_cell) <= elapsed_s * 1000 / LIVE_MIN_INTERVAL_MS + 10, "IOPub is not flooded"


def test_a_killed_kernel_leaves_an_output_that_says_it_stopped_updating(run: Run) -> None:
    displays = run.displays(KILLED)
    assert displays and all("live" in _entry(m) for m in displays)
    saved = trace_outputs(run.nb.cells[KILLED])
    assert len(saved) == 1
    data = saved[0]["data"]
    assert data[TRACE_MIME] == displays[-1]["content"]["data"][TRACE_MIME], "the last update"
    assert data[TRACE_MIME]["traces"][0]["live"]["status"] == "running"
    assert "stopped updating at" in data["text/plain"]
    assert "stopped updating at" in data["text/html"]


def test_every_update_landed_on_its_own_cell(run: Run) -> None:
    ids_by_cell: dict[int, set] = {}
    for message in run.messages:
        if "display_id" in message.get("content", {}).get("transient", {}):
            ids_by_cell.setdefault(message["cell"], set()).add(_display_id(message))
    assert sorted(ids_by_cell) == [FIVE, INTERRUPTED, MANY, THREADS, KILLED]
    for cell in ids_by_cell:
        assert all(m["bytes"] <= LIVE_MAX_SNAPSHOT_BYTES for m in _running(run.displays(cell)))
    for cell, ids in ids_by_cell.items():
        assert len(ids) == (MAX_TRACES if cell == THREADS else 1), f"cell {cell}: live outputs"
        others = set().union(*(v for c, v in ids_by_cell.items() if c != cell))
        assert not ids & others


def test_live_off_and_display_disabled_show_as_before(run: Run) -> None:
    shown = run.displays(OFF)
    assert [m["msg_type"] for m in shown] == ["display_data"], "configure(live=False)"
    assert "display_id" not in shown[0]["content"]["transient"]
    assert "live" not in _entry(shown[0]) and len(_entry(shown[0])["spans"]) == 4
    assert run.displays(DISPLAY_DISABLED) == [], "MLflow's notebook display disabled"
    disabled = run.nb.cells[DISPLAY_DISABLED]
    assert trace_outputs(disabled) == []
    assert "error" not in {o["output_type"] for o in disabled.outputs}


def test_traces_of_one_cell_each_get_a_live_output_within_the_cap(run: Run) -> None:
    displays = run.displays(THREADS)
    by_id: dict[str, list[dict]] = {}
    for message in displays:
        by_id.setdefault(_display_id(message), []).append(message)
    assert len(by_id) == MAX_TRACES, "MLFLOW_MAX_TRACES_TO_DISPLAY_IN_NOTEBOOK counts live outputs"
    for messages in by_id.values():
        assert messages[0]["msg_type"] == "display_data" and _running(messages)
        assert "live" not in _entry(messages[-1]) and len(_entry(messages[-1])["spans"]) == 4
    assert len({_entry(m[-1])["trace_id"] for m in by_id.values()}) == MAX_TRACES
    assert len(trace_outputs(run.nb.cells[THREADS])) == MAX_TRACES


def test_a_moved_private_name_is_one_warning_line_and_no_hook(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from mlflow.tracing.processor.base_mlflow import BaseMlflowSpanProcessor
    from mlflow.tracing.trace_manager import InMemoryTraceManager

    from jupyterlab_mlflow_traces._live import LiveTraces

    monkeypatch.delattr(InMemoryTraceManager, "get_mlflow_trace_id_from_otel_id")
    on_start, on_end = BaseMlflowSpanProcessor.on_start, BaseMlflowSpanProcessor.on_end
    lines: list[str] = []
    live = LiveTraces(lambda: True, dict, lambda traces: {}, lambda: None, lines.append)
    live.load()
    assert len(lines) == 1 and "get_mlflow_trace_id_from_otel_id is missing" in lines[0]
    assert "traces are shown when the cell ends" in lines[0]
    assert BaseMlflowSpanProcessor.on_start is on_start and BaseMlflowSpanProcessor.on_end is on_end
    live.start_cell(10)
    live.finish_cell(None, {})  # the cell's hooks still run, and do nothing
    live.unload()
