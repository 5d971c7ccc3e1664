"""Times the Python ``summarize()`` of one experiment, in a fresh process (for bench/summary.mjs).

    python bench/summary_time.py URL EXPERIMENT_ID START_MS END_MS RUNS server|search [PAYLOAD_OUT]

Before each run it asks URL's ``/__bench/mark?run=N`` (the bench's counting proxy files
the requests that follow under run N). Prints ``{"ms": [...], "source": ..., "traces": N}``:
run 0 is the cold one (mlflow imported, nothing else run). A payload whose source is not the path
asked for is an error: the figure would time the other path. PAYLOAD_OUT gets the last
payload (the render bench draws it).
"""

from __future__ import annotations

import json
import sys
import time
import urllib.request

import mlflow  # noqa: F401  (a notebook using MLflow has it loaded: the cold run is the summary's)

from jupyterlab_mlflow_traces.summary import summarize


def main() -> None:
    url, experiment_id, start, end, runs, path = sys.argv[1:7]
    times, payload = [], {}
    for run in range(int(runs)):
        urllib.request.urlopen(f"{url}/__bench/mark?run={run}", timeout=10).read()
        started = time.perf_counter()
        payload = summarize(
            [experiment_id],
            start=int(start),
            end=int(end),
            interval="1h",
            tracking_uri=url,
            use_server=path == "server",
        ).to_dict()
        times.append((time.perf_counter() - started) * 1000)
        if payload["source"] != path:
            raise SystemExit(
                f"asked for the {path} path, got {payload['source']}: {payload.get('source_note')}"
            )
    urllib.request.urlopen(f"{url}/__bench/mark?run=done", timeout=10).read()
    if len(sys.argv) > 7:
        with open(sys.argv[7], "w", encoding="utf-8") as out:
            json.dump(payload, out)
    print(
        json.dumps(
            {"ms": times, "source": payload["source"], "traces": payload["totals"]["traces"]}
        )
    )


if __name__ == "__main__":
    main()
