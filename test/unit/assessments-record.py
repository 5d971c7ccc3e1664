"""Record the assessments test/unit/assessments-fixtures.ts holds.

Not part of `npm test` (the fixture is committed). Starts `mlflow server`
from this checkout's .venv (sqlite in a temporary directory, a free port on
127.0.0.1), writes one trace (a root span and a child) with MLflow's Python
SDK, labels it with MLflow's own API (log_feedback: a human boolean, a judge's
number on the child span, a code string, a failed judge, a dict, a list;
log_expectation: a string, a list, an object with metadata, a number; two
override_feedback in a chain; an IssueReference), then reads the trace info
back over REST (`GET api/3.0/mlflow/traces/{id}`) and writes its
`assessments`, verbatim, into the fixture. The tests name some of the ids and
times it recorded: re-recording means updating them.

Usage: .venv/bin/python test/unit/assessments-record.py [out.ts]
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
OUT = ROOT / "test" / "unit" / "assessments-fixtures.ts"
HEADER = """/**
 * Assessments as `mlflow server` 3.17.2 returned them
 * (`GET api/3.0/mlflow/traces/{id}`, trace_info.assessments) after
 * log_feedback (human boolean, judge number on a span, code string, a failed
 * judge, a dict, a list), log_expectation (string, list, object with
 * metadata, number), two override_feedback in a chain and an IssueReference.
 * Written by test/unit/assessments-record.py.
 */

/** The recorded list, verbatim. */
export const RECORDED_ASSESSMENTS: unknown[] = """


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def label(uri: str) -> str:
    """Writes the trace and its labels; returns the trace id."""
    import mlflow
    from mlflow.entities import AssessmentError, AssessmentSource
    from mlflow.entities.assessment import IssueReference

    mlflow.set_tracking_uri(uri)
    mlflow.set_experiment("assessments-record")
    with mlflow.start_span("root") as root, mlflow.start_span("child") as child:
        child_id = child.span_id
    tid = root.trace_id
    mlflow.flush_trace_async_logging()

    def source(kind: str, who: str) -> AssessmentSource:
        return AssessmentSource(source_type=kind, source_id=who)

    human, judge = source("HUMAN", "alice"), source("LLM_JUDGE", "gpt-4o")
    code = source("CODE", "my_scorer")
    first = mlflow.log_feedback(
        trace_id=tid, name="correct", value=True, source=human, rationale="looks right"
    )
    mlflow.log_feedback(
        trace_id=tid,
        name="score",
        value=0.75,
        source=judge,
        rationale="partly",
        span_id=child_id,
    )
    mlflow.log_feedback(trace_id=tid, name="tone", value="polite", source=code)
    error = AssessmentError(
        error_code="RATE_LIMIT", error_message="429 too many", stack_trace="Traceback..."
    )
    mlflow.log_feedback(trace_id=tid, name="judge_fail", source=judge, error=error)
    mlflow.log_feedback(trace_id=tid, name="dict_fb", value={"a": [1, 2]}, source=code)
    mlflow.log_feedback(trace_id=tid, name="list_fb", value=["x", "y"], source=code)
    mlflow.log_expectation(trace_id=tid, name="expected_response", value="Paris", source=human)
    mlflow.log_expectation(trace_id=tid, name="expected_facts", value=["a", "b"], source=human)
    mlflow.log_expectation(
        trace_id=tid,
        name="expected_obj",
        value={"k": 1, "n": None},
        source=human,
        metadata={"m": "v"},
    )
    mlflow.log_expectation(trace_id=tid, name="expected_num", value=3, source=human)
    second = mlflow.override_feedback(
        trace_id=tid,
        assessment_id=first.assessment_id,
        value=False,
        rationale="actually wrong",
        source=source("HUMAN", "bob"),
    )
    mlflow.override_feedback(
        trace_id=tid,
        assessment_id=second.assessment_id,
        value=True,
        rationale="right after all",
        source=source("HUMAN", "carol"),
    )
    issue = IssueReference(
        issue_id="iss-123",
        issue_name="Hallucinated city",
        source=source("LLM_JUDGE", "issue-detector"),
        rationale="mentions Lyon",
    )
    mlflow.log_assessment(trace_id=tid, assessment=issue)
    return tid


def main() -> None:
    bin_dir = ROOT / ".venv" / "bin"
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        uri = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [
                str(bin_dir / "mlflow"),
                "server",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--backend-store-uri",
                f"sqlite:///{tmp}/mlflow.db",
                "--default-artifact-root",
                f"{tmp}/artifacts",
            ],
            cwd=tmp,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            for _ in range(120):
                try:
                    urllib.request.urlopen(f"{uri}/health", timeout=1)
                    break
                except OSError:
                    time.sleep(0.5)
            # Nothing of MLflow's may land in the checkout (./mlruns and the like).
            os.chdir(tmp)
            tid = label(uri)
            with urllib.request.urlopen(f"{uri}/api/3.0/mlflow/traces/{tid}") as answer:
                info = json.load(answer)["trace"]["trace_info"]
        finally:
            server.terminate()
            server.wait(timeout=30)
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT
    out.write_text(HEADER + json.dumps(info["assessments"], indent=2) + ";\n")
    count = len(info["assessments"])
    print(f"wrote {count} assessments to {out}; run prettier on it", file=sys.stderr)


if __name__ == "__main__":
    main()
