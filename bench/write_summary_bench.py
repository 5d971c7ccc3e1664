"""Writes the summary bench's traces into a tracking store with MLflow's own store API.

    python bench/write_summary_bench.py STORE_URI ARTIFACT_ROOT COUNT [COUNT ...]

For each COUNT, experiment ``summary-bench-COUNT`` gets COUNT traces, request times spread
evenly over the 24 hours from BASE_MS (seeded, so every run writes the same traces). Each
trace: an AGENT root (tag ``version``; 4% end in ERROR), an LLM ``chat`` span with token usage
(cache read on some) and ``mlflow.llm.cost``, a RETRIEVER span on 60%, a TOOL span on 30%
(the failing one when the trace fails); feedback ``helpful`` (a boolean) on 10% and
``relevance`` (0-1) on 5%.

Spans go as MLflow span dicts through ``Span.from_dict`` and ``SqlAlchemyStore.log_spans``,
1,000 traces a call, in WORKERS processes: the store path the server's OTLP endpoint takes,
without one HTTP request per trace (the SDK's REST path takes hours for 100,000).
Assessments go through ``SqlAlchemyStore.create_assessment``. No SQL is written here.
Each trace draws from its own seeded generator, so the traces do not depend on which
process writes them. Prints
``{"experiments": {COUNT: experiment_id}, "range": [start_ms, end_ms]}``.
"""

from __future__ import annotations

import base64
import json
import multiprocessing
import random
import sys
import time
from concurrent.futures import ProcessPoolExecutor

from mlflow.entities import Span
from mlflow.entities.assessment import AssessmentSource, Feedback
from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore

#: 2026-11-01T00:00:00Z in epoch ms; the range is the 24 hours from it.
BASE_MS = 1793491200000
RANGE_MS = 24 * 3_600_000
BATCH = 1000
WORKERS = 4
_NS = 1_000_000
MODELS = ["gpt-4o-mini", "claude-haiku", "gpt-4o"]
TOOLS = ["search_web", "calculator", "lookup_order"]


def _b64(value: int, size: int) -> str:
    return base64.b64encode(value.to_bytes(size, "big")).decode()


def trace_spans(rng: random.Random, count: int, index: int, seed: int) -> tuple[list[dict], str]:
    """The span dicts of trace `index` of `count`, and its request id."""
    otel_id = (seed << 64) | (index + 1)
    request_id = f"tr-{otel_id:032x}"
    trace_b64 = _b64(otel_id, 16)
    start_ns = (BASE_MS + (index * RANGE_MS) // count + rng.randrange(0, 1000)) * _NS
    error = rng.random() < 0.04
    version = rng.choice(["v1", "v2", "v3"])
    spans: list[dict] = []

    def span(number, parent, name, kind, begin_ms, end_ms, failed=False, **extra):
        attributes = {
            "mlflow.traceRequestId": json.dumps(request_id),
            "mlflow.spanType": json.dumps(kind),
            **{k: json.dumps(v) for k, v in extra.items()},
        }
        spans.append(
            {
                "trace_id": trace_b64,
                "span_id": _b64((index << 8) | number, 8),
                "parent_span_id": _b64((index << 8) | parent, 8) if parent else None,
                "name": name,
                "start_time_unix_nano": start_ns + int(begin_ms * _NS),
                "end_time_unix_nano": start_ns + int(end_ms * _NS),
                "events": [],
                "status": {
                    "code": "STATUS_CODE_ERROR" if failed else "STATUS_CODE_OK",
                    "message": "tool failed" if failed else "",
                },
                "attributes": attributes,
            }
        )

    at = 1.0
    if rng.random() < 0.6:
        took = rng.lognormvariate(3.5, 0.6)
        span(3, 1, "retrieve", "RETRIEVER", at, at + took)
        at += took
    took = rng.lognormvariate(6.2, 0.5)
    input_tokens, output_tokens = rng.randrange(50, 4000), rng.randrange(10, 800)
    usage = {
        "input_tokens": input_tokens,
        "output_tokens": output_tokens,
        "total_tokens": input_tokens + output_tokens,
    }
    if rng.random() < 0.3:
        usage["cache_read_input_tokens"] = rng.randrange(0, input_tokens)
    model = rng.choice(MODELS)
    input_cost, output_cost = input_tokens * 1.5e-7, output_tokens * 6e-7
    cost = {
        "input_cost": input_cost,
        "output_cost": output_cost,
        "total_cost": input_cost + output_cost,
    }
    span(2, 1, "chat", "LLM", at, at + took, **{
        "mlflow.chat.tokenUsage": usage,
        "mlflow.llm.cost": cost,
        "mlflow.llm.model": model,
    })  # fmt: skip
    at += took
    if error or rng.random() < 0.3:
        took = rng.lognormvariate(4.5, 0.8)
        span(4, 1, rng.choice(TOOLS), "TOOL", at, at + took, failed=error)
        at += took
    span(1, None, "agent", "AGENT", 0, at + 1.0, failed=error, **{
        "mlflow.spanInputs": {"question": f"question {index}"},
        "mlflow.spanOutputs": {"answer": "ok" if not error else None},
        "mlflow.traceTag.version": version,
    })  # fmt: skip
    return spans, request_id


#: A worker's store: one engine per process (a forked engine's sockets are the parent's).
_store: SqlAlchemyStore | None = None


def write_batch(store_uri: str, artifact_root: str, experiment_id: str, count: int, first: int):
    """Traces first..first+BATCH-1 of `count`, with their assessments (in a worker)."""
    global _store
    if _store is None:
        _store = SqlAlchemyStore(store_uri, artifact_root)
    store = _store
    spans: list[Span] = []
    feedback: list[tuple[str, str, object]] = []
    for index in range(first, min(first + BATCH, count)):
        rng = random.Random(count * 1_000_003 + index)
        dicts, request_id = trace_spans(rng, count, index, seed=count)
        spans += [Span.from_dict(d) for d in dicts]
        draw = rng.random()
        if draw < 0.10:
            feedback.append((request_id, "helpful", rng.random() < 0.8))
        if draw < 0.05:
            feedback.append((request_id, "relevance", round(rng.random(), 2)))
    store.log_spans(experiment_id, spans)
    source = AssessmentSource(source_type="HUMAN", source_id="bench")
    for request_id, name, value in feedback:
        store.create_assessment(
            Feedback(name=name, value=value, source=source, trace_id=request_id)
        )
    return len(feedback)


def write(store: SqlAlchemyStore, store_uri: str, artifact_root: str, count: int) -> str:
    name = f"summary-bench-{count}"
    if store.get_experiment_by_name(name) is not None:
        raise SystemExit(f"experiment {name} already exists: write into an empty store")
    experiment_id = store.create_experiment(name, artifact_location=f"{artifact_root}/{name}")
    started = time.time()
    done = assessments = 0
    with ProcessPoolExecutor(WORKERS, mp_context=multiprocessing.get_context("spawn")) as pool:
        batches = [
            pool.submit(write_batch, store_uri, artifact_root, experiment_id, count, first)
            for first in range(0, count, BATCH)
        ]
        for batch in batches:
            assessments += batch.result()
            done = min(done + BATCH, count)
            print(
                f"[write_summary_bench] {name}: {done} traces, {time.time() - started:.0f} s",
                file=sys.stderr,
                flush=True,
            )
    print(
        f"[write_summary_bench] {name}: {assessments} assessments,"
        f" {time.time() - started:.0f} s in all",
        file=sys.stderr,
        flush=True,
    )
    return experiment_id


def main() -> None:
    if len(sys.argv) < 4:
        raise SystemExit("usage: write_summary_bench.py STORE_URI ARTIFACT_ROOT COUNT [COUNT ...]")
    store_uri, artifact_root, counts = sys.argv[1], sys.argv[2], [int(c) for c in sys.argv[3:]]
    store = SqlAlchemyStore(store_uri, artifact_root)
    experiments = {count: write(store, store_uri, artifact_root, count) for count in counts}
    print(json.dumps({"experiments": experiments, "range": [BASE_MS, BASE_MS + RANGE_MS - 1]}))


if __name__ == "__main__":
    main()
