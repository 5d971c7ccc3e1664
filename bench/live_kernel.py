"""Runs cells on a real kernel and records its iopub traffic as the client receives it.

Usage: live_kernel.py KERNEL CWD CELLS.json OUT.json

CELLS.json is ``[{"code": str, "timeout_s": float, "settle_s": float}]``. Each cell is
executed in turn (jupyter_client); every iopub message whose parent is that cell is
recorded with its arrival time and its size on the wire (the sum of its ZMQ frames), until
the kernel is idle again and then ``settle_s`` more (late displays). OUT.json gets, per
cell: its wall time, stdout, stderr, error and the trace displays (display_data and
update_display_data carrying the trace MIME type). The kernel inherits this environment.
"""

import json
import sys
import time
from pathlib import Path

from jupyter_client.manager import KernelManager

TRACE_MIME = "application/vnd.mlflow.trace+json"
DISPLAY_TYPES = ("display_data", "update_display_data")
#: Kernel starts tried (tslab's shell socket may throw EBUSY on its first request).
START_ATTEMPTS = 3


def start(name: str, cwd: str):
    """A started kernel and its ready client."""
    for attempt in range(1, START_ATTEMPTS + 1):
        manager = KernelManager(kernel_name=name)
        manager.start_kernel(cwd=cwd)
        client = manager.client()
        client.start_channels()
        try:
            client.wait_for_ready(timeout=60)
            return manager, client
        except RuntimeError:
            client.stop_channels()
            manager.shutdown_kernel(now=True)
            if attempt == START_ATTEMPTS:
                raise
    raise AssertionError("unreachable")


def receive(client, timeout_s: float):
    """The next iopub message, its wire bytes and arrival time; None on timeout."""
    socket = client.iopub_channel.socket
    if not socket.poll(timeout_s * 1000):
        return None
    frames = socket.recv_multipart()
    arrived = time.perf_counter()
    _, parts = client.session.feed_identities(frames)
    message = client.session.deserialize(parts)
    return message, sum(len(frame) for frame in frames), arrived


def describe(message: dict, wire_bytes: int, t_ms: float) -> dict | None:
    """A trace display: its type, time, bytes, display id and live key (None: not one)."""
    content = message["content"]
    data = content.get("data", {})
    if message["header"]["msg_type"] not in DISPLAY_TYPES or TRACE_MIME not in data:
        return None
    traces = data[TRACE_MIME].get("traces", [])
    return {
        "type": message["header"]["msg_type"],
        "t_ms": round(t_ms, 3),
        "bytes": wire_bytes,
        "display_id": content.get("transient", {}).get("display_id"),
        "bundle_bytes": len(json.dumps(data[TRACE_MIME]).encode()),
        "live": [t.get("live") for t in traces],
        "spans": [len(t.get("spans") or []) for t in traces],
    }


def run_cell(client, cell: dict) -> dict:
    """Execute one cell; what it printed and displayed."""
    sent = time.perf_counter()
    msg_id = client.execute(cell["code"], store_history=False)
    out = {"stdout": "", "stderr": "", "error": None, "displays": [], "other_bytes": 0}
    deadline = sent + cell.get("timeout_s", 300)
    idle_at = None
    while True:
        now = time.perf_counter()
        if idle_at is not None and now >= idle_at + cell.get("settle_s", 0):
            break
        if now > deadline:
            out["error"] = f"no idle within {cell.get('timeout_s', 300)} s"
            break
        wait = (idle_at + cell.get("settle_s", 0) - now) if idle_at else min(1.0, deadline - now)
        got = receive(client, max(wait, 0.001))
        if got is None:
            continue
        message, wire_bytes, arrived = got
        if message["parent_header"].get("msg_id") != msg_id:
            continue
        kind = message["header"]["msg_type"]
        content = message["content"]
        if kind == "status" and content["execution_state"] == "idle":
            idle_at = arrived
            out["ms"] = round((arrived - sent) * 1000, 3)
        elif kind == "stream":
            out[content["name"]] = out.get(content["name"], "") + content["text"]
        elif kind == "error":
            out["error"] = f"{content['ename']}: {content['evalue']}"
        shown = describe(message, wire_bytes, (arrived - sent) * 1000)
        if shown:
            out["displays"].append(shown)
        elif kind != "status":
            out["other_bytes"] += wire_bytes
    # wait_for_ready may leave kernel_info replies queued: take this cell's own reply
    reply = client.get_shell_msg(timeout=30)
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = client.get_shell_msg(timeout=30)
    status = reply["content"].get("status")
    if status != "ok" and not out["error"]:
        # tslab reports a failed cell on stderr, with a bare error reply
        detail = reply["content"].get("evalue") or out["stderr"][-300:]
        out["error"] = f"{status}: {reply['content'].get('ename')}: {detail}"
    return out


def main() -> None:
    name, cwd, cells_path, out_path = sys.argv[1:5]
    cells = json.loads(Path(cells_path).read_text(encoding="utf-8"))
    manager, client = start(name, cwd)
    results = []
    try:
        for cell in cells:
            results.append(run_cell(client, cell))
            if results[-1]["error"] and cell.get("stop_on_error", True):
                break
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    Path(out_path).write_text(json.dumps(results), encoding="utf-8")


if __name__ == "__main__":
    main()
