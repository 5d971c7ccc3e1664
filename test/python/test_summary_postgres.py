"""``summarize()`` on a real ``mlflow server`` backed by PostgreSQL, as production MLflow
deployments are (Debian's postgresql, started by test/python/postgres.py in a temp dir on a
free port), filled over REST by MLflow's Python SDK (test/fixtures/write_summary_traces.py).
The figures equal the independent pandas/numpy computation of test_summary.py over
``mlflow.search_traces``, through the server's aggregation and through the search path."""

from __future__ import annotations

import pytest
from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore
from postgres import postgres
from test_summary import (
    END_MS,
    START_MS,
    assert_figures,
    expected,
    figures_of,
    frame,
    write_traces,
)

from jupyterlab_mlflow_traces.summary import interval_seconds, summarize

from mlflow_server import mlflow_server


@pytest.fixture(scope="module")
def pg_server(tmp_path_factory):
    """(server URL, experiment id, database URI) of a server on a fresh PostgreSQL."""
    folder = tmp_path_factory.mktemp("summary-postgres")
    with postgres() as database, mlflow_server(folder, backend_store_uri=database) as url:
        yield url, write_traces(url, folder), database


def test_the_server_stores_the_sdk_traces_in_postgresql(pg_server):
    url, experiment_id, database = pg_server
    store = SqlAlchemyStore(database, "unused-artifact-root")
    assert store.db_type == "postgresql"
    stored, _ = store.search_traces(locations=[experiment_id], max_results=1000)
    written = frame(url, experiment_id)
    assert len(written) == 42  # 40 in range and one either side
    assert sorted(t.trace_id for t in stored) == sorted(written["trace_id"])


@pytest.mark.parametrize("interval", ["1h", "15m", 5400])
def test_server_and_search_paths_equal_numpy_over_search_traces(pg_server, interval):
    url, experiment_id, _ = pg_server
    want = expected(frame(url, experiment_id), interval_seconds(interval))
    paths = {
        use_server: summarize(
            [experiment_id],
            start=START_MS,
            end=END_MS,
            interval=interval,
            tracking_uri=url,
            use_server=use_server,
        ).to_dict()
        for use_server in (True, False)
    }
    assert paths[True]["source"] == "server" and "source_note" not in paths[True]
    assert paths[False]["source"] == "search"
    for payload in paths.values():
        assert_figures(payload, want)
    assert figures_of(paths[True]) == figures_of(paths[False])
    assert want["totals"]["traces"] == 40
    if interval == "1h":
        assert [b["traces"] for b in paths[True]["buckets"]] == [10, 12, 0, 7, 11]


def test_a_translatable_filter_is_computed_by_postgresql(pg_server):
    url, experiment_id, _ = pg_server
    text = "tags.version = 'v2' AND metadata.segment = 'pro' AND status = 'ERROR'"

    def keep(row):
        return (
            row.tags.get("version") == "v2"
            and row.trace_metadata.get("segment") == "pro"
            and row.state == "ERROR"
        )

    want = expected(frame(url, experiment_id), 3600, keep)
    assert want["totals"]["traces"] > 0
    for use_server in (True, False):
        got = summarize(
            [experiment_id],
            text,
            start=START_MS,
            end=END_MS,
            tracking_uri=url,
            use_server=use_server,
        ).to_dict()
        assert got["source"] == ("server" if use_server else "search")
        assert_figures(got, want)
