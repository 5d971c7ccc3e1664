"""``summarize()`` on real stores: a real ``mlflow server`` (QueryTraceMetrics
over REST) and a local sqlite store (the store's own query), filled by
MLflow's Python SDK (test/fixtures/write_summary_traces.py). Each summary
equals an independent computation over ``mlflow.search_traces`` with
pandas and numpy, through the server's aggregation and through the search
path, and both paths agree."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
from filter_meaning import generated_filters, meaning_problem, metrics_meaning, search_meaning

from jupyterlab_mlflow_traces import _summary_search
from jupyterlab_mlflow_traces._summary_filter import translate_filter
from jupyterlab_mlflow_traces._summary_server import CONCURRENCY
from jupyterlab_mlflow_traces.summary import (
    MAX_BUCKETS,
    TRACE_SUMMARY_MIME_TYPE,
    interval_seconds,
    make_grid,
    summarize,
)

from contract_files import ROOT, schema_errors
from mlflow_server import mlflow_server

WRITER = ROOT / "test" / "fixtures" / "write_summary_traces.py"
sys.path.insert(0, str(WRITER.parent))
from write_summary_traces import END_MS, START_MS  # noqa: E402

TOKENS = {
    "input": "input_tokens",
    "output": "output_tokens",
    "cache_read": "cache_read_input_tokens",
    "cache_write": "cache_creation_input_tokens",
}


def write_traces(tracking_uri: str, folder) -> str:
    """The experiment the writer filled (run in ``folder``: a local store's
    artifacts go below the working directory)."""
    answer = subprocess.run(
        [sys.executable, str(WRITER), tracking_uri],
        capture_output=True, check=True, timeout=300, cwd=folder,
    )  # fmt: skip
    return json.loads(answer.stdout.decode().strip().splitlines()[-1])["experiment_id"]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("summary-server")
    with mlflow_server(folder) as url:
        yield url, write_traces(url, folder)


@pytest.fixture(scope="module")
def sqlite_store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("summary-sqlite")
    uri = f"sqlite:///{folder / 'mlflow.db'}"
    return uri, write_traces(uri, folder)


# --- the independent computation ------------------------------------------------


def frame(tracking_uri: str, experiment_id: str):
    """Every trace of the experiment as mlflow.search_traces returns it (pandas)."""
    import mlflow

    before = mlflow.get_tracking_uri()
    mlflow.set_tracking_uri(tracking_uri)
    try:
        return mlflow.search_traces(locations=[experiment_id], include_spans=False)
    finally:
        mlflow.set_tracking_uri(before)


def expected(df, interval_s: int, keep=lambda row: True) -> dict:
    """Buckets and totals of the traces in [START_MS, END_MS], by numpy."""
    interval_ms = interval_s * 1000
    rows = [row for row in df.itertuples() if START_MS <= row.request_time <= END_MS and keep(row)]
    first, last = START_MS // interval_ms, END_MS // interval_ms

    def figures(group) -> dict:
        latencies = np.array([row.execution_duration for row in group], dtype=np.float64)
        usage = [
            json.loads(row.trace_metadata.get("mlflow.trace.tokenUsage", "{}")) for row in group
        ]
        tokens = {}
        for name, key in TOKENS.items():
            counts = [u[key] for u in usage if key in u]
            tokens[name] = int(np.sum(counts)) if counts else None
        return {
            "traces": len(group),
            "errors": sum(row.state == "ERROR" for row in group),
            "latency_ms": None
            if not group
            else dict(
                zip(["p50", "p90", "p99"], np.quantile(latencies, [0.5, 0.9, 0.99]), strict=True)
            ),
            "tokens": tokens,
        }

    buckets = [
        {
            "start_time_ms": index * interval_ms,
            **figures([r for r in rows if r.request_time // interval_ms == index]),
        }
        for index in range(first, last + 1)
    ]
    return {"buckets": buckets, "totals": figures(rows)}


def assert_figures(payload: dict, want: dict) -> None:
    """Equal figures; percentiles to the payload's rounding (a thousandth of a ms)."""
    assert len(payload["buckets"]) == len(want["buckets"])
    for got, exp in zip(
        [*payload["buckets"], payload["totals"]], [*want["buckets"], want["totals"]], strict=True
    ):
        assert got.get("start_time_ms") == exp.get("start_time_ms")
        assert (got["traces"], got["errors"], got["tokens"]) == (
            exp["traces"],
            exp["errors"],
            exp["tokens"],
        )
        if exp["latency_ms"] is None:
            assert got["latency_ms"] is None
        else:
            assert got["latency_ms"] == pytest.approx(exp["latency_ms"], abs=5e-4, rel=0)


def figures_of(payload: dict) -> dict:
    return {"buckets": payload["buckets"], "totals": payload["totals"]}


# --- a real server ----------------------------------------------------------------


@pytest.mark.parametrize("interval", ["1h", "15m", 5400])
def test_server_and_search_paths_equal_numpy_over_search_traces(server, interval):
    url, experiment_id = server
    want = expected(frame(url, experiment_id), interval_seconds(interval))
    on_server = summarize(
        [experiment_id], start=START_MS, end=END_MS, interval=interval, tracking_uri=url
    )
    searched = summarize(
        [experiment_id],
        start=START_MS,
        end=END_MS,
        interval=interval,
        tracking_uri=url,
        use_server=False,
    )
    assert on_server.to_dict()["source"] == "server"
    assert "source_note" not in on_server.to_dict()
    assert searched.to_dict()["source"] == "search"
    assert_figures(on_server.to_dict(), want)
    assert_figures(searched.to_dict(), want)
    assert figures_of(on_server.to_dict()) == figures_of(searched.to_dict())
    assert want["totals"]["traces"] == 40  # the range's first and last ms count; its neighbours not
    if interval == "1h":
        assert [b["traces"] for b in on_server.to_dict()["buckets"]] == [10, 12, 0, 7, 11]


def test_a_translatable_filter_is_computed_by_the_server(server):
    url, experiment_id = server
    text = "tags.version = 'v2' AND metadata.segment = 'pro' AND status = 'ERROR'"
    got = summarize([experiment_id], text, start=START_MS, end=END_MS, tracking_uri=url).to_dict()

    def keep(row):
        return (
            row.tags.get("version") == "v2"
            and row.trace_metadata.get("segment") == "pro"
            and row.state == "ERROR"
        )

    assert got["source"] == "server"
    assert got["query"]["filter"] == text
    assert_figures(got, expected(frame(url, experiment_id), 3600, keep))
    assert got["totals"]["traces"] > 0


def test_tags_name_is_the_trace_name_on_both_paths(server):
    """search_traces reads ``tags.NAME`` as the trace name, not a tag "name"."""
    url, experiment_id = server
    text = "tags.NAME = 'agent' AND tags.version = 'v2'"
    on_server = summarize([experiment_id], text, start=START_MS, end=END_MS, tracking_uri=url)
    searched = summarize(
        [experiment_id], text, start=START_MS, end=END_MS, tracking_uri=url, use_server=False
    )
    assert on_server.to_dict()["source"] == "server"
    assert figures_of(on_server.to_dict()) == figures_of(searched.to_dict())
    want = expected(frame(url, experiment_id), 3600, lambda row: row.tags.get("version") == "v2")
    assert want["totals"]["traces"] > 0
    assert_figures(on_server.to_dict(), want)


def test_a_filter_queryTraceMetrics_cannot_take_goes_the_search_path(server):
    url, experiment_id = server
    untranslatable = "tags.version != 'v1' AND metadata.segment = 'pro'"
    searched = summarize(
        [experiment_id], untranslatable, start=START_MS, end=END_MS, tracking_uri=url
    ).to_dict()
    assert searched["source"] == "search"
    assert "'!='" in searched["source_note"] and "tags.version != 'v1'" in searched["source_note"]
    assert "search result" in searched["source_note"]

    def keep(row):
        return row.tags.get("version") != "v1" and row.trace_metadata.get("segment") == "pro"

    assert_figures(searched, expected(frame(url, experiment_id), 3600, keep))


def test_a_filter_of_only_whitespace_is_no_filter_on_either_path(sqlite_store):
    uri, experiment_id = sqlite_store
    for use_server in (True, False):
        got = summarize(
            [experiment_id],
            " \t\r\n",
            start=START_MS,
            end=END_MS,
            tracking_uri=uri,
            use_server=use_server,
        ).to_dict()
        assert got["source"] == ("server" if use_server else "search")
        assert "filter" not in got["query"]
        assert got["totals"]["traces"] == 40


def test_the_search_path_reads_every_page_and_shows_progress(server, monkeypatch, capsys):
    url, experiment_id = server
    monkeypatch.setattr(_summary_search, "PAGE_SIZE", 5)
    got = summarize([experiment_id], start=START_MS, end=END_MS, tracking_uri=url, use_server=False)
    err = capsys.readouterr().err
    assert "\rSummarizing over search results: 35 traces read (7 pages)…" in err
    assert err.endswith("\n")
    assert got.to_dict()["totals"]["traces"] == 40
    assert_figures(got.to_dict(), expected(frame(url, experiment_id), 3600))


def test_the_display_data_validates_and_says_who_computed_it(server):
    url, experiment_id = server
    for use_server in (True, False):
        summary = summarize(
            [experiment_id], start=START_MS, end=END_MS, tracking_uri=url, use_server=use_server
        )
        data = summary._repr_mimebundle_()
        assert set(data) == {TRACE_SUMMARY_MIME_TYPE, "text/html", "text/plain"}
        assert schema_errors("trace-summary", data[TRACE_SUMMARY_MIME_TYPE]) == []
        assert data[TRACE_SUMMARY_MIME_TYPE]["tracking_uri"] == url
        lines = data["text/plain"].splitlines()
        assert lines[2].startswith("Total ") and len(lines) == 1 + 2 + 5 + 1
        assert "<svg" in data["text/html"] and "<script" not in data["text/html"]
        if use_server:
            assert lines[-1] == "computed by the tracking server's QueryTraceMetrics"
        else:
            assert lines[-1].startswith(
                "computed over 40 search results, not by the tracking server"
            )


# --- a local sqlite store, no server ---------------------------------------------------


def test_a_local_sqlite_store_computes_it_and_agrees_with_the_search_path(sqlite_store):
    uri, experiment_id = sqlite_store
    want = expected(frame(uri, experiment_id), 3600)
    on_store = summarize([experiment_id], start=START_MS, end=END_MS, tracking_uri=uri).to_dict()
    searched = summarize(
        [experiment_id], start=START_MS, end=END_MS, tracking_uri=uri, use_server=False
    ).to_dict()
    assert on_store["source"] == "server" and searched["source"] == "search"
    assert "tracking_uri" not in on_store  # not an http(s) URL
    assert_figures(on_store, want)
    assert figures_of(on_store) == figures_of(searched)
    assert schema_errors("trace-summary", on_store) == []


def test_a_server_on_a_file_store_goes_the_search_path(tmp_path):
    with mlflow_server(tmp_path, file_store=True) as url:
        experiment_id = write_traces(url, tmp_path)
        got = summarize([experiment_id], start=START_MS, end=END_MS, tracking_uri=url).to_dict()
        want = expected(frame(url, experiment_id), 3600)
    assert got["source"] == "search"
    assert got["source_note"] == (
        "computed over 40 search results, not by the tracking server: "
        "the tracking server does not support QueryTraceMetrics (FEATURE_DISABLED)"
    )
    assert_figures(got, want)


# --- units --------------------------------------------------------------------------


CAN_TAKE = [
    (None, []),
    (" \t\r\n", []),
    ("tags.version = 'v2'", ["trace.tag.version = 'v2'"]),
    (
        "tag.version = \"v2\" and request_metadata.segment = 'pro'",
        ["trace.tag.version = 'v2'", "trace.metadata.segment = 'pro'"],
    ),
    ("metadata.`mlflow.trace.user` = 'carol'", ["trace.metadata.`mlflow.trace.user` = 'carol'"]),
    ("metadata.mlflow.trace.session = 's1'", ["trace.metadata.`mlflow.trace.session` = 's1'"]),
    (
        "status = 'ERROR' AND attributes.status = 'ERROR' AND trace.status = 'ERROR'",
        ["trace.status = 'ERROR'", "trace.status = 'ERROR'", "trace.status = 'ERROR'"],
    ),
    ("tags.note = 'a AND b or c'", ["trace.tag.note = 'a AND b or c'"]),
    ("tags.a = 'x' AnD\ttags.b = 'y'", ["trace.tag.a = 'x'", "trace.tag.b = 'y'"]),
    ("tags.`a-b` = 'v'", ["trace.tag.`a-b` = 'v'"]),
    ("tags.STATUS = 'v'", ["trace.tag.STATUS = 'v'"]),  # a tag: only attributes are the status
    # search_traces reads name and run_id, whatever the prefix and case, as the
    # trace name and the source run; QueryTraceMetrics reads these the same way
    ("name = 'agent'", ["trace.tag.`mlflow.traceName` = 'agent'"]),
    ("tags.name = 'agent'", ["trace.tag.`mlflow.traceName` = 'agent'"]),
    ("tags.NAME = 'agent'", ["trace.tag.`mlflow.traceName` = 'agent'"]),
    ("metadata.`Name` = 'agent'", ["trace.tag.`mlflow.traceName` = 'agent'"]),
    ("trace.name = 'agent'", ["trace.tag.`mlflow.traceName` = 'agent'"]),
    ("run_id = 'r1'", ["trace.metadata.`mlflow.sourceRun` = 'r1'"]),
    ("metadata.Run_Id = 'r1'", ["trace.metadata.`mlflow.sourceRun` = 'r1'"]),
    ("tags.run_id = 'r1'", ["trace.metadata.`mlflow.sourceRun` = 'r1'"]),
    ("tags.`from` = 'v'", ["trace.tag.`from` = 'v'"]),
]
CANNOT_TAKE = [
    ("tags.v = 'a' OR tags.v = 'b'", "not OR"),
    ("tags.v != 'a'", "not '!='"),
    ("tags.v LIKE 'a%'", "not 'LIKE'"),
    ("span.type = 'TOOL'", "only tags, metadata and status"),
    ("span.name = 'agent'", "only tags, metadata and status"),
    ("attributes.timestamp_ms > 5", "cannot take"),
    ("tags.v = 'it''s'", "cannot take"),
    ("tags.`a`b` = 'x'", "quote is left open"),
    ("tags.v = 'open", "quote is left open"),
    # keys search_traces reads as something QueryTraceMetrics has no filter for
    ("tags.prompt = 'p/1'", "the key 'prompt' in \"tags.prompt = 'p/1'\": search_traces reads it"),
    ("PROMPT = 'p/1'", "only tags, metadata and status"),  # an error in search_traces
    ("metadata.TEXT = 'x'", "the key 'TEXT'"),
    ("tags.timestamp = '5'", "the key 'timestamp'"),
    ("tags.Execution_Time = '5'", "the key 'Execution_Time'"),
    ("tags.end_time = '5'", "the key 'end_time'"),
    # search_traces takes prefixes and attribute keys only as written
    ("TAGS.x = 'v'", "only tags, metadata and status"),
    ("Tags.x = 'v'", "only tags, metadata and status"),
    ("Metadata.x = 'v'", "only tags, metadata and status"),
    ("attributes.STATUS = 'OK'", "only tags, metadata and status"),
    ("Status = 'OK'", "only tags, metadata and status"),
    ("NAME = 'agent'", "only tags, metadata and status"),
    # keys search_traces cannot parse bare
    ("tags.a-b = 'v'", "cannot take"),
    ("tags.a.9 = 'v'", "cannot take"),
    ("tags.1e5 = 'v'", "cannot take"),
    ("tags.from = 'v'", "cannot take"),
    ("tags.`a\n` = 'v'", "cannot take the key"),
    ("tags.a = 'x'\x1cAND tags.b = 'y'", "cannot take"),
    ("tags.a\x1c= 'x'", "cannot take"),
    ("tags.a = 'x'\ufeff", "cannot take"),
    ("\ufeff", "cannot take"),
]


@pytest.mark.parametrize(("text", "filters"), CAN_TAKE)
def test_filters_queryTraceMetrics_can_take(text, filters):
    assert translate_filter(text).filters == filters


@pytest.mark.parametrize(("text", "reason"), CANNOT_TAKE)
def test_filters_queryTraceMetrics_cannot_take_name_the_part(text, reason):
    translated = translate_filter(text)
    assert translated.filters is None
    assert reason in translated.reason


@pytest.mark.parametrize(("text", "filters"), CAN_TAKE)
def test_each_translation_means_to_mlflow_what_the_filter_means(text, filters):
    """MLflow's own parsers: search_traces' for the filter, QueryTraceMetrics' for each
    translated clause; the same (type, key, comparator, value), in order."""
    assert meaning_problem(text, translate_filter(text).filters) is None
    assert filters == [] or metrics_meaning(filters) == search_meaning(text)


@pytest.mark.parametrize(("text", "reason"), CANNOT_TAKE)
def test_each_refusal_is_of_a_filter_metrics_filters_could_not_say(text, reason):
    assert meaning_problem(text, translate_filter(text).filters) is None


@pytest.mark.parametrize("seed", range(4))
def test_generated_filters_translate_to_the_same_meaning_or_not_at_all(seed):
    """Random prefixes, keys (the ones search_traces rewrites among them, in
    every case), operators, values, whitespace and joins: each translation
    means what search_traces reads, and none is of a filter it rejects."""
    filters = generated_filters(seed, 2500)
    translated = [translate_filter(text).filters for text in filters]
    problems = [p for t, f in zip(filters, translated, strict=True) if (p := meaning_problem(t, f))]
    assert problems == []
    assert sum(f is not None for f in translated) > 80  # the generator reaches translations


def test_the_keys_search_traces_rewrites_are_the_ones_the_twins_know():
    """An MLflow that rewrites another key fails here, not in a user's summary."""
    from mlflow.utils.search_utils import SearchTraceUtils as S

    from jupyterlab_mlflow_traces._summary_filter import ALIASES, UNTRANSLATABLE_ALIASES

    rewritten = {
        *S.SEARCH_KEY_TO_TAG,
        *S.SEARCH_KEY_TO_METADATA,
        *S.SEARCH_KEY_TO_SPAN,
        *S.SEARCH_KEY_TO_ATTRIBUTE,
    }
    assert rewritten == set(ALIASES) | set(UNTRANSLATABLE_ALIASES)


def test_at_most_1000_buckets():
    assert make_grid(0, 999 * 3600_000 + 3599_999, 3600).count == MAX_BUCKETS
    with pytest.raises(
        ValueError,
        match=r"^1001 buckets of 3600 s from 0 to 3600000000 ms: at most 1000; "
        r"use an interval of at least 3604 s",
    ):
        make_grid(0, 1000 * 3600_000, 3600)
    with pytest.raises(ValueError, match="1441 buckets of 60 s"):
        summarize(
            ["1"], start=0, end=24 * 3600_000, interval="1m", tracking_uri="sqlite:///:memory:"
        )


def test_buckets_are_epoch_aligned_and_inclusive():
    grid = make_grid(1796083200000 + 1, 1796083200000 + 5400_000, 5400)
    assert (grid.first_ms % 5400_000, grid.count) == (0, 2)
    assert make_grid(7, 7, 1).count == 1
    with pytest.raises(ValueError, match="empty"):
        make_grid(10, 9, 1)


@pytest.mark.parametrize(
    ("interval", "seconds"),
    [("15m", 900), ("1h", 3600), ("1d", 86400), (90, 90), ("30", 30), ("2 min", 120)],
)
def test_intervals(interval, seconds):
    assert interval_seconds(interval) == seconds


@pytest.mark.parametrize("interval", ["1w", 0, 1.5, "", True, None])
def test_bad_intervals(interval):
    with pytest.raises(ValueError, match="interval"):
        interval_seconds(interval)


def test_percentiles_interpolate_as_numpy():
    rng = np.random.default_rng(19)
    for n in (1, 2, 3, 10, 101, 1000):
        values = list(rng.integers(0, 5000, n).astype(float))
        for p in (50.0, 90.0, 99.0):
            assert _summary_search.percentile(values, p) == pytest.approx(
                np.quantile(values, p / 100), rel=1e-12, abs=1e-9
            )


def test_in_a_kernel_progress_is_one_display_updated_in_place_and_the_summary_its_value(
    server, tmp_path
):
    from kernel import notebook_of, run_notebook, stderr_text

    url, experiment_id = server
    nb = notebook_of(
        "from jupyterlab_mlflow_traces import _summary_search, summarize\n"
        "_summary_search.PAGE_SIZE = 5",
        f"summarize([{experiment_id!r}], start={START_MS}, end={END_MS}, use_server=False)",
    )
    run_notebook(nb, tmp_path, {"MLFLOW_TRACKING_URI": url})
    outputs = nb.cells[1].outputs
    assert [o["output_type"] for o in outputs] == ["display_data", "execute_result"]
    assert outputs[0]["data"] == {"text/plain": ""}  # the progress line, cleared when done
    assert outputs[1]["data"][TRACE_SUMMARY_MIME_TYPE]["totals"]["traces"] == 40
    assert stderr_text(nb.cells[1]) == ""


# --- answers that page: stubbed, as no MLflow server pages them -----------------


class _Answer:
    """An HTTP answer as ``mlflow.utils.rest_utils.http_request`` returns it."""

    def __init__(self, body: dict, status_code: int = 200):
        self.status_code = status_code
        self.text = json.dumps(body)

    def json(self) -> dict:
        return json.loads(self.text)


def _bucket_point(count: int) -> dict:
    return {
        "metric_name": "trace_count",
        "dimensions": {"time_bucket": "2026-12-01T00:00:00+00:00", "trace_status": "OK"},
        "values": {"COUNT": count},
    }


def test_a_queryTraceMetrics_answer_with_a_next_page_token_is_an_error_naming_it(monkeypatch):
    from mlflow.utils import rest_utils

    asked = []

    def http_request(creds, endpoint, method, json=None, **kwargs):
        asked.append(json)
        points = [_bucket_point(3)] if json["metric_name"] == "trace_count" else []
        return _Answer({"data_points": points, "next_page_token": "page-2"})

    monkeypatch.setattr(rest_utils, "http_request", http_request)
    start = 1796083200000
    with pytest.raises(RuntimeError, match=r"next_page_token \('page-2'\)") as raised:
        summarize(["1"], start=start, end=start + 3599_999, tracking_uri="http://127.0.0.1:9")
    assert "QueryTraceMetrics" in str(raised.value)
    # The first answer fails it: no rows are dropped silently, and of the queries
    # (four in flight at a time) none is sent after it.
    assert 1 <= len(asked) <= CONCURRENCY


def test_an_empty_next_page_token_is_no_next_page(monkeypatch):
    from mlflow.utils import rest_utils

    def http_request(creds, endpoint, method, json=None, **kwargs):
        points = [_bucket_point(3)] if json["metric_name"] == "trace_count" else []
        return _Answer({"data_points": points, "next_page_token": ""})

    monkeypatch.setattr(rest_utils, "http_request", http_request)
    start = 1796083200000
    payload = summarize(
        ["1"], start=start, end=start + 3599_999, tracking_uri="http://127.0.0.1:9"
    ).to_dict()
    assert (payload["source"], payload["totals"]["traces"]) == ("server", 3)


def test_a_store_answer_with_a_next_page_token_is_an_error_naming_it(monkeypatch):
    from mlflow.store.entities.paged_list import PagedList
    from mlflow.tracking._tracking_service import utils

    class Store:
        def query_trace_metrics(self, **kwargs):
            return PagedList([], "page-2")

    monkeypatch.setattr(utils, "_get_store", lambda uri: Store())
    with pytest.raises(RuntimeError, match=r"next_page_token \('page-2'\)"):
        summarize(["1"], start=0, end=3599_999, tracking_uri="sqlite:///stub.db")


class _PagingClient:
    """A client whose search answers come from ``pages``, keyed by page token."""

    def __init__(self, pages: dict):
        self.pages = pages
        self.asked: list = []

    def search_traces(self, page_token=None, **kwargs):
        from mlflow.store.entities.paged_list import PagedList

        self.asked.append(page_token)
        count, token = self.pages[page_token]
        info = type("Info", (), {"request_time": 0, "execution_duration": 1, "state": "OK"})
        return PagedList([type("Trace", (), {"info": info})()] * count, token)


@pytest.mark.parametrize(
    ("pages", "cycle"),
    [
        ({None: (1, "A"), "A": (1, "B"), "B": (1, "A")}, "A → B → A"),
        ({None: (1, "A"), "A": (1, "A")}, "A → A"),
    ],
)
def test_the_search_path_fails_when_page_tokens_go_round_in_a_cycle(pages, cycle):
    client = _PagingClient(pages)
    with pytest.raises(_summary_search.PageTokenCycleError) as raised:
        _summary_search.search_infos(client, ["1"], "", lambda pages, traces: None)
    assert str(raised.value) == (
        "Unexpected answer from the tracking server to search_traces: "
        f"the page tokens go round in a cycle: {cycle}"
    )
    assert raised.value.tokens == cycle.split(" → ")
    assert client.asked == [None, *cycle.split(" → ")[:-1]]


def test_a_page_token_cycle_names_the_server_and_shortens_long_tokens():
    long = "t" * 50
    client = _PagingClient({None: (2, long), long: (1, long)})
    with pytest.raises(_summary_search.PageTokenCycleError, match="cycle") as raised:
        _summary_search.search_infos(
            client, ["1"], "", lambda pages, traces: None, server="http://127.0.0.1:5000"
        )
    shown = "t" * 40 + "…"
    assert str(raised.value) == (
        "Unexpected answer from http://127.0.0.1:5000 to search_traces: "
        f"the page tokens go round in a cycle: {shown} → {shown}"
    )


def test_the_search_path_reads_pages_until_there_is_no_token():
    client = _PagingClient({None: (2, "A"), "A": (3, "B"), "B": (1, None)})
    seen = []
    infos = _summary_search.search_infos(
        client, ["1"], "", lambda pages, traces: seen.append((pages, traces))
    )
    assert (len(infos), client.asked, seen) == (6, [None, "A", "B"], [(1, 2), (2, 5)])
