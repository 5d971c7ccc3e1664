"""The summary's newer parts on real stores, filled by MLflow's Python SDK
(test/fixtures/write_summary_traces.py): cost, quality, span rows, segments
and violations. Each equals an independent computation over
``mlflow.search_traces`` (spans and assessments as it returns them, with
numpy), through the server's aggregation (REST, and a local sqlite store's
own query) and through the search path; the payloads validate."""

from __future__ import annotations

import json
import sys

import numpy as np
import pytest
from test_summary import write_traces

from jupyterlab_mlflow_traces.summary import summarize

from contract_files import ROOT, schema_errors
from mlflow_server import mlflow_server

WRITER = ROOT / "test" / "fixtures" / "write_summary_traces.py"
sys.path.insert(0, str(WRITER.parent))
from write_summary_traces import END_MS, START_MS  # noqa: E402

HOUR_MS = 3_600_000
COSTS = {"input": "input_cost", "output": "output_cost", "total": "total_cost"}
BUDGETS = {
    "error_rate": 0.25,
    "latency_p90_ms": 3000,
    "cost_per_trace": 0.0004,
    "spans": [
        {"span_name": "llm", "p90_ms": 1000},
        {"span_type": "TOOL", "p90_ms": 100},
        {"span_name": "never-recorded", "p90_ms": 1},
    ],
}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("summary-parts-server")
    with mlflow_server(folder) as url:
        yield url, write_traces(url, folder)


@pytest.fixture(scope="module")
def sqlite_store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("summary-parts-sqlite")
    uri = f"sqlite:///{folder / 'mlflow.db'}"
    return uri, write_traces(uri, folder)


def both(url: str, experiment_id: str, **kwargs) -> tuple[dict, dict]:
    """The payload of the server path and of the search path."""
    common = {"start": START_MS, "end": END_MS, "tracking_uri": url, **kwargs}
    on_server = summarize([experiment_id], **common).to_dict()
    searched = summarize([experiment_id], use_server=False, **common).to_dict()
    assert (on_server["source"], searched["source"]) == ("server", "search")
    for payload in (on_server, searched):
        assert schema_errors("trace-summary", payload) == []
    return on_server, searched


def without_source(payload: dict) -> dict:
    return {k: v for k, v in payload.items() if k not in ("source", "source_note")}


# --- the independent computation ------------------------------------------------


def frame(tracking_uri: str, experiment_id: str):
    import mlflow

    before = mlflow.get_tracking_uri()
    mlflow.set_tracking_uri(tracking_uri)
    try:
        return mlflow.search_traces(locations=[experiment_id], include_spans=True)
    finally:
        mlflow.set_tracking_uri(before)


def attribute(span: dict, key: str):
    text = span["attributes"].get(key)
    return None if text is None else json.loads(text)


def in_range(row) -> bool:
    return START_MS <= row.request_time <= END_MS


def expected_cost(df, interval_ms: int, keep=lambda row: True) -> list[dict]:
    """Cost per bucket, then over the range: every span of the kept traces
    (in range or not) that starts in the range, by its start time."""
    first, count = START_MS // interval_ms, END_MS // interval_ms - START_MS // interval_ms + 1
    sums = [dict.fromkeys(COSTS) for _ in range(count + 1)]
    for row in df.itertuples():
        if not keep(row):
            continue
        for span in row.spans:
            start_ms = span["start_time_unix_nano"] // 1_000_000
            cost = attribute(span, "mlflow.llm.cost")
            if cost is None or not START_MS <= start_ms <= END_MS:
                continue
            for target in (sums[start_ms // interval_ms - first], sums[-1]):
                for name, key in COSTS.items():
                    target[name] = (target[name] or 0) + cost[key]
    return sums


def assert_cost(got: dict, want: dict) -> None:
    for name in COSTS:
        if want[name] is None:
            assert got[name] is None, name
        else:
            assert got[name] == pytest.approx(want[name], abs=1e-9, rel=0), name


def number_of(value):
    """An assessment value as MLflow's server averages it (written out again here)."""
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str) and value.strip().lower() in ("yes", "no"):
        return float(value.strip().lower() == "yes")
    return None


def expected_quality(df, interval_ms: int) -> dict:
    first = START_MS // interval_ms
    count = END_MS // interval_ms - first + 1
    names: dict = {}
    for row in df.itertuples():
        if not in_range(row):
            continue
        for a in row.assessments:
            if not a.get("valid", True):
                continue
            value = (a.get("feedback") or a.get("expectation"))["value"]
            entry = names.setdefault(
                a["assessment_name"],
                {"all": [], "buckets": [[] for _ in range(count)], "values": {}},
            )
            entry["all"].append(value)
            entry["buckets"][row.request_time // interval_ms - first].append(value)
            key = json.dumps(value)
            entry["values"][key] = entry["values"].get(key, 0) + 1
    return names


def mean_of(values: list):
    numbers = [n for v in values if (n := number_of(v)) is not None]
    return float(np.mean(numbers)) if numbers else None


def expected_span_rows(df, field: str) -> dict:
    """Per span name or type: count, errors, durations and cost (spans of the traces in range)."""
    rows: dict = {}
    for row in df.itertuples():
        if not in_range(row):
            continue
        for span in row.spans:
            key = span["name"] if field == "name" else attribute(span, "mlflow.spanType")
            stats = rows.setdefault(key, {"count": 0, "errors": 0, "durations": [], "cost": None})
            stats["count"] += 1
            stats["errors"] += span["status"]["code"] == "STATUS_CODE_ERROR"
            ns = span["end_time_unix_nano"] - span["start_time_unix_nano"]
            stats["durations"].append(ns / 1e6)
            cost = attribute(span, "mlflow.llm.cost")
            if cost and START_MS <= span["start_time_unix_nano"] // 1_000_000 <= END_MS:
                stats["cost"] = (stats["cost"] or 0) + cost["total_cost"]
    return rows


# --- cost, quality, spans ---------------------------------------------------------


@pytest.mark.parametrize("interval", ["1h", 5400])
def test_cost_equals_span_costs_by_span_start_on_both_paths(server, interval):
    url, experiment_id = server
    df = frame(url, experiment_id)
    interval_ms = (3600 if interval == "1h" else interval) * 1000
    want = expected_cost(df, interval_ms)
    for payload in both(url, experiment_id, interval=interval):
        for bucket, exp in zip([*payload["buckets"], payload["totals"]], want, strict=True):
            assert_cost(bucket["cost"], exp)
    assert want[-1]["total"] > 0
    # the range's last trace has cost-bearing spans after the range: both leave them out
    in_range_traces = expected_cost(df, interval_ms, in_range)[-1]["total"]
    every_span = sum(
        attribute(s, "mlflow.llm.cost")["total_cost"]
        for row in df.itertuples()
        if in_range(row)
        for s in row.spans
        if attribute(s, "mlflow.llm.cost")
    )
    assert every_span > in_range_traces == pytest.approx(want[-1]["total"], abs=1e-12)


def test_the_two_paths_write_the_same_payload(server):
    url, experiment_id = server
    on_server, searched = both(url, experiment_id, group_by="tags.version", budgets=BUDGETS)
    assert without_source(on_server) == without_source(searched)
    assert on_server["violations"] != []


@pytest.mark.parametrize("interval", ["1h", "15m"])
def test_quality_equals_the_valid_assessments_on_both_paths(server, interval):
    url, experiment_id = server
    df = frame(url, experiment_id)
    interval_ms = (3600 if interval == "1h" else 900) * 1000
    want = expected_quality(df, interval_ms)
    assert set(want) == {"expected_topic", "grounded", "helpful", "relevance"}
    for payload in both(url, experiment_id, interval=interval):
        quality = payload["quality"]
        assert [q["name"] for q in quality] == sorted(want)
        for entry in quality:
            exp = want[entry["name"]]
            assert entry["count"] == len(exp["all"]), entry["name"]
            assert entry["mean"] == pytest.approx(mean_of(exp["all"]), abs=5e-7), entry["name"]
            if len(exp["values"]) <= 10:
                assert entry["values"] == exp["values"], entry["name"]
            else:
                assert "values" not in entry, entry["name"]
            for bucket, values in zip(entry["buckets"], exp["buckets"], strict=True):
                assert bucket["count"] == len(values)
                assert bucket["mean"] == pytest.approx(mean_of(values), abs=5e-7)
        by_name = {q["name"]: q for q in quality}
        assert by_name["expected_topic"]["mean"] is None  # text: no number
        assert set(by_name["grounded"]["values"]) == {'"yes"', '"no"'}
        assert "values" not in by_name["relevance"]  # more than 10 distinct values
        # the overridden judge scores are gone, the human's 0.05 counts
        assert by_name["relevance"]["count"] == sum(
            1 for row in df.itertuples() if in_range(row)
            for a in row.assessments if a["assessment_name"] == "relevance" and a["valid"]
        )  # fmt: skip


@pytest.mark.parametrize("field", ["name", "type"])
def test_span_rows_equal_numpy_over_the_spans_on_both_paths(server, field):
    url, experiment_id = server
    df = frame(url, experiment_id)
    want = expected_span_rows(df, field)
    trace_time = float(sum(r.execution_duration for r in df.itertuples() if in_range(r)))
    budgets = {"spans": [{f"span_{field}": "absent", "p90_ms": 1}]}
    for payload in both(url, experiment_id, budgets=budgets):
        rows = payload["spans"][f"by_{field}"]
        total_cost = payload["totals"]["cost"]["total"]
        assert [r["key"] for r in rows[:-1]] == sorted(
            want, key=lambda k: (-np.mean(want[k]["durations"]) * want[k]["count"], k)
        )
        assert len(rows) - 1 == len(want) >= 4
        for row in rows[:-1]:
            exp = want[row["key"]]
            total_ms = float(np.mean(exp["durations"])) * exp["count"]
            assert (row["count"], row["errors"]) == (exp["count"], exp["errors"]), row["key"]
            assert row["total_ms"] == pytest.approx(total_ms, abs=5e-4)
            assert row["share_time"] == pytest.approx(total_ms / trace_time, abs=5e-7)
            p50, p90 = np.quantile(exp["durations"], [0.5, 0.9])
            assert row["latency_ms"] == pytest.approx({"p50": p50, "p90": p90}, abs=5e-4)
            if exp["cost"] is None:
                assert (row["cost"], row["share_cost"]) == (None, None)
            else:
                assert row["cost"] == pytest.approx(exp["cost"], abs=1e-9)
                assert row["share_cost"] == pytest.approx(exp["cost"] / total_cost, abs=5e-7)
        assert rows[-1] == {
            "key": "absent", "count": 0, "errors": 0, "total_ms": 0, "share_time": 0,
            "latency_ms": None, "cost": None, "share_cost": None,
        }  # fmt: skip
        assert any(r["errors"] > 0 for r in rows)  # the failing search_web spans


def test_a_local_sqlite_store_writes_the_same_parts_as_the_search_path(sqlite_store):
    uri, experiment_id = sqlite_store
    on_store, searched = both(uri, experiment_id, group_by="metadata.segment", budgets=BUDGETS)
    assert without_source(on_store) == without_source(searched)
    assert on_store["totals"]["cost"]["total"] > 0 and len(on_store["quality"]) == 4
    segments = on_store["segments"]
    assert {s["value"] for s in segments} == {"free", "pro"}
    assert sum(s["totals"]["traces"] for s in segments) == on_store["totals"]["traces"] == 40
    assert segments[0]["totals"]["traces"] >= segments[1]["totals"]["traces"]


# --- segments ----------------------------------------------------------------------


def _value(row, group_by: str):
    kind, key = group_by.split(".", 1)
    key = key.strip("`")
    found = row.tags if kind in ("tags", "tag") else row.trace_metadata
    return found.get(key)


@pytest.mark.parametrize(
    "group_by",
    ["tags.version", "tag.version", "metadata.segment", "request_metadata.`mlflow.trace.user`",
     "metadata.customer"],
)  # fmt: skip
def test_segments_equal_the_figures_of_each_value_on_both_paths(server, group_by):
    from test_summary import assert_figures, expected

    url, experiment_id = server
    df = frame(url, experiment_id)
    counts: dict = {}
    for row in df.itertuples():
        if in_range(row) and (value := _value(row, group_by)) is not None:
            counts[value] = counts.get(value, 0) + 1
    values = sorted(counts, key=lambda v: (-counts[v], v))[:12]
    for payload in both(url, experiment_id, group_by=group_by):
        kind = "tag" if group_by.startswith("tag") else "metadata"
        key = group_by.split(".", 1)[1].strip("`")
        assert payload["query"]["group_by"] == {"kind": kind, "key": key}
        assert [s["value"] for s in payload["segments"]] == values
        for segment in payload["segments"]:

            def keep(row, value=segment["value"]):
                return _value(row, group_by) == value

            assert_figures(segment, expected(df, 3600, keep))
            for got, exp in zip(
                [*segment["buckets"], segment["totals"]],
                expected_cost(df, HOUR_MS, keep),
                strict=True,
            ):
                assert_cost(got["cost"], exp)
        outside = 40 - sum(counts[v] for v in values)
        note = f"values of {kind} {key} from the 40 traces in range"
        if outside:
            note += f"; {outside} trace{'s' if outside != 1 else ''} in no segment"
        assert payload["segments_note"] == note
    if group_by == "metadata.customer":
        assert len(counts) > 12 and outside > sum(1 for r in df.itertuples() if in_range(r)
                                                  and _value(r, group_by) is None) > 0  # fmt: skip


def test_a_key_no_trace_has_makes_no_segment(server):
    url, experiment_id = server
    for payload in both(url, experiment_id, group_by="tags.absent"):
        assert payload["segments"] == []
        assert payload["segments_note"] == (
            "values of tag absent from the 40 traces in range; 40 traces in no segment"
        )


def test_a_filter_and_a_group_by_together(server):
    url, experiment_id = server
    from test_summary import assert_figures, expected

    df = frame(url, experiment_id)
    on_server, searched = both(
        url, experiment_id, filter_string="metadata.segment = 'pro'", group_by="tags.version"
    )
    assert without_source(on_server) == without_source(searched)
    for segment in on_server["segments"]:

        def keep(row, value=segment["value"]):
            return row.trace_metadata.get("segment") == "pro" and row.tags["version"] == value

        assert_figures(segment, expected(df, 3600, keep))
