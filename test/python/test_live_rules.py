"""The IPython live emitter's rules without a kernel: which last update a trace gets
(the interrupted rule, the trace as recorded), the heartbeat each update promises,
and the scheduler thread's failure path.

Real MLflow spans (a sqlite store in a temporary directory) through the real span
hooks and scheduler thread; only the display call is a recorder, and each "cell"
is ``start_cell`` ... ``finish_cell`` with the cell's error as IPython reports it.
"""

from __future__ import annotations

import contextvars
import math
import threading
import time
from types import SimpleNamespace

import mlflow
import pytest

from jupyterlab_mlflow_traces import _live
from jupyterlab_mlflow_traces._live import LiveTraces, interruption
from jupyterlab_mlflow_traces._live_output import (
    LiveOutput,
    promise_update_every,
    update_every_ms,
    wire_delay_ms,
)
from jupyterlab_mlflow_traces._live_snapshot import (
    LIVE_MAX_SNAPSHOT_BYTES,
    LIVE_UPDATE_EVERY_MS,
    next_update_delay_ms,
)
from jupyterlab_mlflow_traces.bundle import TRACE_MIME_TYPE, trace_bundle
from jupyterlab_mlflow_traces.ipython import TraceDisplay

# How long a test waits for the scheduler thread, in s (a loaded machine is slow).
WAIT_S = 30


class Harness:
    """A loaded LiveTraces whose displays are recorded as (display id, update, bundle)."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, bool, dict]] = []
        self.lines: list[str] = []
        self.live = LiveTraces(
            lambda: True, dict, lambda traces: trace_bundle(traces), lambda: None, self.lines.append
        )

    def publish(self, bundle: dict, display_id: str, update: bool) -> None:
        self.sent.append((display_id, update, bundle))

    def wait_for(self, found, what: str) -> None:
        deadline = time.monotonic() + WAIT_S
        while not found():
            assert time.monotonic() < deadline, f"waited {WAIT_S} s for {what}"
            time.sleep(0.02)

    def cell(self, body, error: BaseException | None = None) -> list[dict]:
        """Runs `body` as a cell that ends with `error`; the trace entries it sent."""
        first = len(self.sent)
        self.live.start_cell(10)
        body(lambda: self.wait_for(lambda: len(self.sent) > first, "the first display"))
        self.live.finish_cell(SimpleNamespace(error_in_exec=error), {})
        sent = self.sent[first:]
        assert len({display_id for display_id, _, _ in sent}) == 1, "one live output"
        assert [update for _, update, _ in sent] == [False] + [True] * (len(sent) - 1)
        return [_entry(bundle) for _, _, bundle in sent]


def _entry(bundle: dict) -> dict:
    (entry,) = bundle[TRACE_MIME_TYPE]["traces"]
    return entry


@pytest.fixture(scope="module")
def harness(tmp_path_factory: pytest.TempPathFactory):
    before = mlflow.get_tracking_uri()
    directory = tmp_path_factory.mktemp("live")
    made = Harness()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(directory)  # MLflow's default artifact root (./mlruns) lands there
        mlflow.set_tracking_uri(f"sqlite:///{directory / 'mlflow.db'}")
        patch.setattr(_live, "publish_display", made.publish)
        made.live.load()
        try:
            yield made
        finally:
            made.live.unload()
            mlflow.flush_trace_async_logging()
            mlflow.set_tracking_uri(before)
    assert made.lines == [], "no warning line"


def _check_as_recorded(entries: list[dict], spans: int, state: str) -> None:
    final = entries[-1]
    assert all(e["live"]["status"] == "running" for e in entries[:-1])
    assert "live" not in final, final.get("live")
    assert final["info"]["state"] == state
    assert len(final["spans"]) == spans
    assert all(s["end_time_unix_nano"] is not None for s in final["spans"])


def test_a_root_ending_normally_inside_an_except_block_ends_as_recorded(harness: Harness) -> None:
    def body(wait_shown) -> None:
        try:
            raise ValueError("handled before the trace")
        except ValueError:
            with mlflow.start_span("root"):
                with mlflow.start_span("child"):
                    pass
                wait_shown()

    # No finished trace from MLflow's display (the cell showed it already, say).
    _check_as_recorded(harness.cell(body), spans=2, state="OK")


def _raise_in_root(wait_shown) -> None:
    with pytest.raises(ValueError), mlflow.start_span("root"):
        wait_shown()
        raise ValueError("bad input")


def test_a_root_that_raised_with_nothing_open_and_a_cell_that_caught_it(harness: Harness) -> None:
    _check_as_recorded(harness.cell(_raise_in_root), spans=1, state="ERROR")


def test_a_root_that_raised_and_a_cell_that_failed_later_is_interrupted(harness: Harness) -> None:
    entries = harness.cell(_raise_in_root, error=RuntimeError("later"))
    live = entries[-1]["live"]
    assert live["status"] == "interrupted"
    assert live["reason"] == "ValueError: bad input", "the root's exception event"
    (root,) = entries[-1]["spans"]
    assert live["interrupted_at_unix_nano"] == root["end_time_unix_nano"]


def test_a_root_that_raised_with_a_span_open_is_cut_off_as_it_ends(harness: Harness) -> None:
    open_child = []

    def body(wait_shown) -> None:
        with pytest.raises(ValueError), mlflow.start_span("root") as root:
            open_child.append(mlflow.start_span_no_context("child", parent_span=root))
            wait_shown()
            raise ValueError("boom")
        harness.wait_for(
            lambda: (
                "live" in _entry(harness.sent[-1][2])
                and _entry(harness.sent[-1][2])["live"]["status"] == "interrupted"
            ),
            "the interrupted update, before the cell ends",
        )

    entries = harness.cell(body)
    open_child[0].end()
    live = entries[-1]["live"]
    assert live["status"] == "interrupted" and live["reason"] == "ValueError: boom"
    by_name = {s["name"]: s for s in entries[-1]["spans"]}
    assert by_name["child"]["end_time_unix_nano"] is None, "cut off"
    assert live["interrupted_at_unix_nano"] == by_name["root"]["end_time_unix_nano"]


def _interrupt_root(wait_shown) -> None:
    with pytest.raises(KeyboardInterrupt), mlflow.start_span("root"):
        wait_shown()
        raise KeyboardInterrupt


def test_a_kernel_interrupt_that_escapes_the_root_and_fails_the_cell(harness: Harness) -> None:
    error = KeyboardInterrupt()
    entries = harness.cell(_interrupt_root, error=error)
    live = entries[-1]["live"]
    assert live["status"] == "interrupted" and live["reason"] == "KeyboardInterrupt"
    assert live["interrupted_at_unix_nano"] == entries[-1]["spans"][0]["end_time_unix_nano"]


def test_a_kernel_interrupt_the_cell_caught_ends_as_recorded(harness: Harness) -> None:
    _check_as_recorded(harness.cell(_interrupt_root), spans=1, state="OK")


def test_a_root_open_past_its_cell_keeps_its_last_running_update(harness: Harness) -> None:
    roots = []

    def body(wait_shown) -> None:
        roots.append(mlflow.start_span_no_context("root"))
        wait_shown()

    entries = harness.cell(body)
    count = len(harness.sent)
    roots[0].end()
    time.sleep(0.5)
    assert len(harness.sent) == count, "nothing is sent to a finished cell"
    assert entries[-1]["live"]["status"] == "running", "not interrupted: the cell did not fail"


def test_the_interrupted_rule() -> None:
    def output(**fields) -> LiveOutput:
        cell = SimpleNamespace(context=contextvars.copy_context())
        made = LiveOutput("tr-1", 1, cell, lambda: None, None)
        made.__dict__.update(fields)
        return made

    failed = ValueError("x")
    running = output()
    assert interruption(running, None) is None, "a root open past a cell that did not fail"
    assert interruption(running, failed) == "ValueError: x"
    ended = output(root_end_ns=5)
    assert interruption(ended, failed) is None, "ended normally, the cell failed after"
    raised = output(root_end_ns=5, root_error="KeyError: 'k'")
    assert interruption(raised, None) is None, "the cell caught it, nothing open"
    assert interruption(raised, failed) == "KeyError: 'k'"
    no_reason = output(root_end_ns=5, root_error="")
    assert interruption(no_reason, failed) == "", "interrupted, with no reason to give"
    cut = output(root_end_ns=5, root_error="KeyError: 'k'", open_at_root_end=True)
    assert interruption(cut, None) == "KeyError: 'k'"
    unwound = output(root_end_ns=5, root_unwound_by="KeyboardInterrupt")
    assert interruption(unwound, KeyboardInterrupt()) == "KeyboardInterrupt"
    assert interruption(unwound, None) is None


def test_update_every_ms_counts_the_outputs_sharing_the_rate() -> None:
    big = LIVE_MAX_SNAPSHOT_BYTES
    assert update_every_ms(1, big) == LIVE_UPDATE_EVERY_MS
    assert update_every_ms(1, 100) == LIVE_UPDATE_EVERY_MS
    for outputs in (2, 3, 5):
        expected = max(LIVE_UPDATE_EVERY_MS, math.ceil(outputs * wire_delay_ms(big)))
        assert update_every_ms(outputs, big) == expected
    assert update_every_ms(3, big) > LIVE_UPDATE_EVERY_MS, "3 x ~1 s of bytes each"
    assert wire_delay_ms(big) > next_update_delay_ms(big), "the envelope is counted"
    bundle = {TRACE_MIME_TYPE: {"traces": [{"live": {"update_every_ms": LIVE_UPDATE_EVERY_MS}}]}}
    added = promise_update_every(bundle, 12345)
    assert _entry(bundle)["live"]["update_every_ms"] == 12345 and added == 1


def test_the_scheduler_waits_without_a_timeout_and_reports_a_failure() -> None:
    lines: list[str] = []
    live = LiveTraces(lambda: True, dict, lambda traces: {}, lambda: None, lines.append)
    assert live._service_due() is None, "no output: it waits until woken"
    broken = SimpleNamespace(last_sent_at=0.0)  # no due_at: fails outside _service
    live._outputs[1] = broken
    thread = threading.Thread(target=live._run, daemon=True)
    thread.start()
    thread.join(WAIT_S)
    assert not thread.is_alive() and live._thread is None
    assert len(lines) == 1 and lines[0].startswith("live traces stopped (AttributeError")


def test_the_cells_end_reads_the_traces_it_showed_before_dropping_them() -> None:
    seen: list[dict] = []
    pending = {"tr-shown": "trace", "tr-other": "trace"}
    display = TraceDisplay(shell=None)
    display.hooks = SimpleNamespace(pending_traces=lambda: pending)
    display.live = SimpleNamespace(finish_cell=lambda result, p, shown: seen.append(dict(p)))
    display._shown_this_cell.add("tr-shown")
    display._after_cell(SimpleNamespace(error_in_exec=None))
    assert seen == [{"tr-shown": "trace", "tr-other": "trace"}], "live outputs read both"
    assert pending == {"tr-other": "trace"}, "MLflow's display does not show it again"
