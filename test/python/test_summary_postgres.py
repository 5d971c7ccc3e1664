"""``summarize()`` on a real ``mlflow server`` backed by PostgreSQL, as production MLflow
deployments are (Debian's postgresql, started by test/python/postgres.py in a temp dir on a
free port), filled over REST by MLflow's Python SDK (test/fixtures/write_summary_traces.py).

The server tests of test_summary.py and test_summary_parts.py run here again on that
server: this module's ``server`` fixture is the one they get, so every figure (traces,
errors, latency, tokens, cost, quality, span rows, segments) is checked against the same
independent numpy computation over ``mlflow.search_traces``, through the server's
aggregation on PostgreSQL and through the search path."""

from __future__ import annotations

import pytest
from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore
from postgres import postgres
from test_summary import (
    frame,
    test_a_filter_queryTraceMetrics_cannot_take_goes_the_search_path,  # noqa: F401
    test_a_translatable_filter_is_computed_by_the_server,  # noqa: F401
    test_server_and_search_paths_equal_numpy_over_search_traces,  # noqa: F401
    test_tags_name_is_the_trace_name_on_both_paths,  # noqa: F401
    test_the_display_data_validates_and_says_who_computed_it,  # noqa: F401
    write_traces,
)
from test_summary_parts import (
    test_a_filter_and_a_group_by_together,  # noqa: F401
    test_a_key_no_trace_has_makes_no_segment,  # noqa: F401
    test_cost_equals_span_costs_by_span_start_on_both_paths,  # noqa: F401
    test_quality_equals_the_valid_assessments_on_both_paths,  # noqa: F401
    test_segments_equal_the_figures_of_each_value_on_both_paths,  # noqa: F401
    test_span_rows_equal_numpy_over_the_spans_on_both_paths,  # noqa: F401
    test_the_two_paths_write_the_same_payload,  # noqa: F401
)

from mlflow_server import mlflow_server


@pytest.fixture(scope="module")
def database():
    """The SQLAlchemy URI of a fresh PostgreSQL database."""
    with postgres() as uri:
        yield uri


@pytest.fixture(scope="module")
def server(tmp_path_factory, database):
    """(URL, experiment id) of a real server on PostgreSQL, with the SDK's traces."""
    folder = tmp_path_factory.mktemp("summary-postgres")
    with mlflow_server(folder, backend_store_uri=database) as url:
        yield url, write_traces(url, folder)


def test_the_server_keeps_the_sdk_traces_in_postgresql(server, database):
    url, experiment_id = server
    store = SqlAlchemyStore(database, "unused-artifact-root")
    assert store.db_type == "postgresql"
    stored, _ = store.search_traces(locations=[experiment_id], max_results=1000)
    written = frame(url, experiment_id)
    assert len(written) == 42  # 40 in range and one either side
    assert sorted(t.trace_id for t in stored) == sorted(written["trace_id"])
