"""Time from a traced Python cell's end to its trace output, on a real ipykernel.

Run: .venv/bin/python bench/python_display.py [--runs 20] [--tracking-uri URI]

The kernel has `%load_ext jupyterlab_mlflow_traces` and MLflow's default async
logging and batch span processor. Each run executes a cell whose last statement
calls a traced function (a root span with three tool children and a chat model
call whose OpenAI-style messages the fallback writes as a conversation) and then prints a
marker; the figure is the kernel's own timestamp of the trace output's
display_data message minus that of the marker, so both ends are read on one
clock. Prints the cold first run and the median of the warm ones, as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from datetime import datetime

from jupyter_client.manager import start_new_kernel

TRACE_MIME = "application/vnd.mlflow.trace+json"

SETUP = """%load_ext jupyterlab_mlflow_traces
import mlflow

@mlflow.trace(span_type="TOOL")
def tool(i):
    return {"i": i, "text": "x" * 200}

@mlflow.trace(span_type="CHAT_MODEL")
def chat(messages):
    return {"choices": [{"message": {"role": "assistant", "content": "It is sunny, 21 C."}}]}

@mlflow.trace(span_type="AGENT")
def agent(i):
    found = [tool(i * 3 + k) for k in range(3)]
    system = {"role": "system", "content": "Answer from the tools."}
    return chat([system, {"role": "user", "content": f"Weather {i}? {found}"}])
"""

CELL = 'agent({i})\nprint("cell-end-marker", flush=True)'


def _when(message: dict) -> datetime:
    date = message["header"]["date"]
    return date if isinstance(date, datetime) else datetime.fromisoformat(date)


def _run_cell(client, code: str, timeout_s: float = 60) -> list[dict]:
    msg_id = client.execute(code)
    messages = []
    while True:
        message = client.get_iopub_msg(timeout=timeout_s)
        if message["parent_header"].get("msg_id") != msg_id:
            continue
        messages.append(message)
        if message["msg_type"] == "status" and message["content"]["execution_state"] == "idle":
            return messages


def measure(runs: int, cwd: str) -> dict:
    manager, client = start_new_kernel(kernel_name="python3", cwd=cwd)
    try:
        setup = _run_cell(client, SETUP, timeout_s=120)
        errors = [m for m in setup if m["msg_type"] == "error"]
        if errors:
            raise RuntimeError(f"setup cell failed: {errors[0]['content']}")
        latencies_ms = []
        for i in range(runs):
            messages = _run_cell(client, CELL.format(i=i))
            marker = [
                m
                for m in messages
                if m["msg_type"] == "stream" and "cell-end-marker" in m["content"]["text"]
            ]
            outputs = [
                m
                for m in messages
                if m["msg_type"] == "display_data" and TRACE_MIME in m["content"]["data"]
            ]
            if len(marker) != 1 or len(outputs) != 1:
                raise RuntimeError(
                    f"run {i}: {len(marker)} markers and {len(outputs)} trace outputs in its cell"
                )
            delta = _when(outputs[0]) - _when(marker[0])
            latencies_ms.append(delta.total_seconds() * 1000)
        return {
            "runs": runs,
            "cold_first_ms": round(latencies_ms[0], 1),
            "warm_median_ms": round(statistics.median(latencies_ms[1:]), 1),
            "warm_max_ms": round(max(latencies_ms[1:]), 1),
        }
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=21, help="the cold one and 20 warm")
    parser.add_argument("--tracking-uri", help="default: sqlite in a temp dir")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["MLFLOW_TRACKING_URI"] = args.tracking_uri or f"sqlite:///{tmp}/mlflow.db"
        result = measure(args.runs, cwd=tmp)
    result["tracking_uri"] = "sqlite (temp dir)" if not args.tracking_uri else args.tracking_uri
    json.dump(result, sys.stdout)
    print()


if __name__ == "__main__":
    main()
