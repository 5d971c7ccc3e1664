"""Conversation reads timed in a fresh Python process (run by conversation.mjs):
``python conversation_read.py <payloads.json> <runs>`` prints {shape: [ms of
each read]}; the first read of each shape is the first time this process
reads that shape, with this checkout's package."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

# This checkout's package, not the copy installed into .venv.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from jupyterlab_mlflow_traces._conversation import read_conversation  # noqa: E402


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as file:
        payloads = json.load(file)
    out: dict[str, list[float]] = {}
    for _ in range(int(sys.argv[2])):
        for shape, payload in payloads.items():
            start = time.perf_counter()
            if read_conversation(payload) is None:
                raise SystemExit(f"{shape}: not read as a conversation")
            out.setdefault(shape, []).append((time.perf_counter() - start) * 1000)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
