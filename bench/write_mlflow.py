"""Write generated traces to a real MLflow server with MLflow's own Python SDK.

Usage: write_mlflow.py TRACKING_URI EXPERIMENT_NAME IN_JSON OUT_JSON

IN_JSON is {label: {"trace_id": "tr-…", "spans": [span dicts]}} (bench/generate.mjs).
Spans go through mlflow.entities.Span.from_dict and TracingClient.log_spans,
which is the SDK's OTLP export path (POST /v1/traces) into the tracking
store; the root span goes in the last batch. bench/run.mjs then reads each
trace back over REST (get-trace-artifact) and checks its span count.
OUT_JSON gets {experiment_id, traces: {label: trace_id}}.
"""

import json
import sys
import time

import mlflow
from mlflow.entities import Span
from mlflow.tracing.client import TracingClient

BATCH = 2000


def main():
    tracking_uri, experiment_name, in_path, out_path = sys.argv[1:5]
    mlflow.set_tracking_uri(tracking_uri)
    experiment = mlflow.set_experiment(experiment_name)
    client = TracingClient(tracking_uri)
    with open(in_path, encoding="utf-8") as f:
        traces = json.load(f)
    written = {}
    for label, trace in traces.items():
        started = time.time()
        spans = [Span.from_dict(d) for d in trace["spans"]]
        roots = [s for s in spans if s.parent_id is None]
        others = [s for s in spans if s.parent_id is not None]
        parsed = time.time()
        for i in range(0, len(others), BATCH):
            client.log_spans(experiment.experiment_id, others[i : i + BATCH])
        client.log_spans(experiment.experiment_id, roots)
        logged = time.time()
        trace_id = spans[0].trace_id
        written[label] = trace_id
        print(
            f"[write_mlflow] {label}: {len(spans)} spans as {trace_id}"
            f" in {time.time() - started:.1f} s"
            f" (from_dict {parsed - started:.1f} s, log_spans {logged - parsed:.1f} s)",
            flush=True,
        )
    with open(out_path, "w", encoding="utf-8") as out:
        json.dump({"experiment_id": experiment.experiment_id, "traces": written}, out)


if __name__ == "__main__":
    main()
