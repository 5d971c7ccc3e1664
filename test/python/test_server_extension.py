"""The server extension against a real Jupyter server (under a base_url) and a real
basic-auth tracking server: what it forwards, what it refuses, where credentials go."""

from __future__ import annotations

import getpass
import os
import re
from pathlib import Path

import pytest
import requests

from jupyter_app import XSRF_TOKEN, jupyter_server
from kernel import environment
from mlflow_server import ADMIN_PASSWORD, ADMIN_USERNAME, mlflow_server

BASE_URL = "/user/alice/"
TRACE_ID = "tr-0123456789abcdef0123456789abcdef"
ASSESSMENT_ID = "a-0123456789abcdef0123456789abcdef"


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """A basic-auth tracking server holding one trace, and a Jupyter server that reads from it."""
    directory = tmp_path_factory.mktemp("server-extension")
    with mlflow_server(directory / "mlflow", basic_auth=True) as tracking_uri:
        credentials = {
            "MLFLOW_TRACKING_USERNAME": ADMIN_USERNAME,
            "MLFLOW_TRACKING_PASSWORD": ADMIN_PASSWORD,
        }
        trace_id, experiment_id = _write_trace(tracking_uri, credentials)
        env = {"MLFLOW_TRACKING_URI": tracking_uri, **credentials}
        with jupyter_server(directory / "jupyter", env, base_url=BASE_URL) as jupyter:
            yield {
                "tracking_uri": tracking_uri,
                "trace_id": trace_id,
                "experiment_id": experiment_id,
                "jupyter": jupyter,
            }


def _write_trace(tracking_uri: str, credentials: dict[str, str]) -> tuple[str, str]:
    import mlflow

    with environment(credentials):
        mlflow.set_tracking_uri(tracking_uri)
        try:
            experiment = mlflow.set_experiment("server-extension")
            with mlflow.start_span("forwarded") as span:
                span.set_inputs({"question": "through JupyterLab?"})
            mlflow.flush_trace_async_logging()
            return span.trace_id, experiment.experiment_id
        finally:
            mlflow.set_tracking_uri(None)


def _proxy(servers, path: str) -> str:
    return f"{servers['jupyter'].url}mlflow-traces/proxy/{path}"


def _assert_no_secret(response: requests.Response) -> None:
    wire = "\n".join(f"{k}: {v}" for k, v in response.headers.items()) + response.text
    assert ADMIN_PASSWORD not in wire
    assert "Basic " not in wire


#: Who labels are by on a Jupyter server with Jupyter's own (anonymous) users, as a
#: tslab cell records it: the hub's user, else the account the server runs as.
SERVER_USER = os.environ.get("JUPYTERHUB_USER") or getpass.getuser()


def test_config_names_the_server_without_credentials(servers) -> None:
    session = servers["jupyter"].session()
    answer = session.get(f"{servers['jupyter'].url}mlflow-traces/config")
    assert answer.status_code == 200
    config = answer.json()
    assert config == {"tracking_uri": servers["tracking_uri"], "problem": None, "user": SERVER_USER}
    _assert_no_secret(answer)


def test_the_user_is_the_same_for_every_token_request(servers) -> None:
    """Jupyter's default identity provider makes a new anonymous user (a random id) per
    token request without a cookie: labels are by the server's account instead."""
    config = f"{servers['jupyter'].url}mlflow-traces/config"
    users = {servers["jupyter"].session().get(config).json()["user"] for _ in range(2)}
    assert users == {SERVER_USER}


def test_a_label_written_with_the_token_is_its_authors_to_delete(servers) -> None:
    trace = _proxy(servers, f"api/3.0/mlflow/traces/{servers['trace_id']}")
    label = {"assessment": {"assessment_name": "token-label", "feedback": {"value": True}}}
    written = servers["jupyter"].session().post(f"{trace}/assessments", json=label)
    assert written.status_code == 200, written.text
    assessment = written.json()["assessment"]
    assert assessment["source"] == {"source_type": "HUMAN", "source_id": SERVER_USER}
    read = servers["jupyter"].session().get(trace).json()["trace"]["trace_info"]["assessments"]
    assert [a["source"]["source_id"] for a in read if a["assessment_name"] == "token-label"] == [
        SERVER_USER
    ]
    # another request with the same token (no cookie): the same author
    url = f"{trace}/assessments/{assessment['assessment_id']}"
    deleted = servers["jupyter"].session().delete(url)
    assert deleted.status_code == 200, deleted.text
    read = servers["jupyter"].session().get(trace).json()["trace"]["trace_info"]
    assert "token-label" not in [a["assessment_name"] for a in read.get("assessments", [])]


def test_reads_a_trace_with_the_servers_credentials(servers) -> None:
    session = servers["jupyter"].session()
    trace_id = servers["trace_id"]
    info = session.get(_proxy(servers, f"api/3.0/mlflow/traces/{trace_id}"))
    assert info.status_code == 200, info.text
    assert info.json()["trace"]["trace_info"]["trace_id"] == trace_id
    spans = session.get(
        _proxy(servers, "ajax-api/3.0/mlflow/get-trace-artifact"), params={"request_id": trace_id}
    )
    assert spans.status_code == 200, spans.text
    assert [s["name"] for s in spans.json()["spans"]] == ["forwarded"]
    for answer in (info, spans):
        _assert_no_secret(answer)


def test_search_is_a_post_behind_the_xsrf_check(servers) -> None:
    session = servers["jupyter"].session()
    search = _proxy(servers, "api/3.0/mlflow/traces/search")
    body = {"locations": [], "max_results": 1}
    assert session.post(search, json=body).status_code == 200
    # As a browser page: the login cookie only. With the XSRF header the POST goes through;
    # without it Jupyter refuses it before anything is forwarded.
    cookies = session.cookies
    xsrf = {"X-XSRFToken": XSRF_TOKEN}
    assert requests.post(search, json=body, cookies=cookies, headers=xsrf).status_code == 200
    refused = requests.post(search, json=body, cookies=cookies)
    assert refused.status_code == 403
    assert "_xsrf" in refused.text or "XSRF" in refused.text


def test_metrics_is_a_post_behind_the_xsrf_check(servers) -> None:
    """QueryTraceMetrics goes through with the server's credentials, as the search does."""
    session = servers["jupyter"].session()
    metrics = _proxy(servers, "api/3.0/mlflow/traces/metrics")
    body = {
        "experiment_ids": [servers["experiment_id"]],
        "view_type": "TRACES",
        "metric_name": "trace_count",
        "aggregations": [{"aggregation_type": "COUNT"}],
        "max_results": 10,
    }
    answer = session.post(metrics, json=body)
    assert answer.status_code == 200, answer.text
    assert [p["values"]["COUNT"] for p in answer.json()["data_points"]] == [1]
    _assert_no_secret(answer)
    refused = requests.post(metrics, json=body, cookies=session.cookies)
    assert refused.status_code == 403


@pytest.mark.parametrize(
    "method,path",
    [
        ("GET", "api/2.0/mlflow/experiments/search"),
        ("GET", "api/3.0/mlflow/traces/metrics"),
        ("POST", "api/3.0/mlflow/traces/delete-traces"),
        ("GET", "api/3.0/mlflow/traces/tr-1/tags"),
        ("GET", "api/3.0/mlflow/traces/.."),
        ("GET", "api/3.0/mlflow/traces/a%2F..%2F..%2F2.0%2Fmlflow%2Fusers%2Fget"),
        ("GET", "http://127.0.0.1:1/api/3.0/mlflow/traces/tr-1"),
        ("POST", "api/3.0/mlflow/traces/tr-1"),
        ("GET", "api/2.0/mlflow/users/get"),
        ("GET", "api/3.0/mlflow/traces/get"),
        ("GET", "api/3.0/mlflow/traces/batchGet"),
        ("GET", "api/3.0/mlflow/traces/someFutureEndpoint"),
        ("GET", "api/3.0/mlflow/traces/tr-1"),
        # labels: only the writes of a trace's assessments and tags, each its one method
        ("GET", f"api/3.0/mlflow/traces/{TRACE_ID}/assessments/{ASSESSMENT_ID}"),
        ("POST", f"api/3.0/mlflow/traces/{TRACE_ID}/assessments/{ASSESSMENT_ID}"),
        ("PATCH", f"api/3.0/mlflow/traces/{TRACE_ID}/assessments"),
        ("DELETE", f"api/3.0/mlflow/traces/{TRACE_ID}/assessments/../../{TRACE_ID}"),
        ("DELETE", f"api/3.0/mlflow/traces/{TRACE_ID}/assessments/someone-else"),
        ("DELETE", f"api/3.0/mlflow/traces/{TRACE_ID}"),
        ("PATCH", f"ajax-api/3.0/mlflow/traces/{TRACE_ID}/tags"),
        ("POST", f"api/3.0/mlflow/traces/{TRACE_ID}/tags"),
        ("PATCH", f"api/2.0/mlflow/traces/{TRACE_ID}/tags"),
        ("POST", "api/3.0/mlflow/review-queues/create"),
        ("POST", "api/3.0/mlflow/review-queues/items/add"),
        ("POST", "api/3.0/mlflow/review-queues/delete"),
        ("GET", "api/3.0/mlflow/review-queues/items/set-status"),
        ("PATCH", "api/2.0/mlflow/experiments/update"),
    ],
)
def test_refuses_what_is_not_on_the_allow_list(servers, method: str, path: str) -> None:
    answer = servers["jupyter"].session().request(method, _proxy(servers, path), json={})
    assert answer.status_code == 403, answer.text
    assert answer.json()["error_code"] == "NOT_ALLOWED"


def test_the_allow_list_is_exactly_the_documented_requests() -> None:
    """Of every route the installed MLflow's server has (410 in 3.17.2), only those
    the README lists pass; a route MLflow adds later is refused until it is listed."""
    from mlflow.server import app

    from jupyterlab_mlflow_traces.server import is_allowed

    ids = {"assessment_id": ASSESSMENT_ID}
    allowed = set()
    for rule in app.url_map.iter_rules():
        path = re.sub(
            r"<(?:[^:>]+:)?([^>]+)>", lambda m: ids.get(m.group(1), TRACE_ID), rule.rule
        ).lstrip("/")
        allowed |= {(method, path) for method in rule.methods if is_allowed(method, path)}
    traces = f"api/3.0/mlflow/traces/{TRACE_ID}"
    queues = "api/3.0/mlflow/review-queues"
    assert allowed == {
        ("GET", traces),
        ("GET", "ajax-api/3.0/mlflow/get-trace-artifact"),
        ("POST", "api/3.0/mlflow/traces/search"),
        ("POST", "api/3.0/mlflow/traces/metrics"),
        ("POST", f"{traces}/assessments"),
        ("PATCH", f"{traces}/assessments/{ASSESSMENT_ID}"),
        ("DELETE", f"{traces}/assessments/{ASSESSMENT_ID}"),
        ("PATCH", f"{traces}/tags"),
        ("DELETE", f"{traces}/tags"),
        ("GET", f"{queues}/list"),
        ("GET", f"{queues}/items/list"),
        ("POST", f"{queues}/items/set-status"),
    }


def test_only_writes_ask_for_write() -> None:
    from jupyterlab_mlflow_traces.server import ALLOWED_REQUESTS

    writes = {rule.method for rule in ALLOWED_REQUESTS if rule.action == "write"}
    reads = {rule.method for rule in ALLOWED_REQUESTS if rule.action == "read"}
    assert (writes, reads) == ({"POST", "PATCH", "DELETE"}, {"GET", "POST"})
    assert all(
        rule.rebuild or rule.method == "DELETE"
        for rule in ALLOWED_REQUESTS
        if rule.action == "write"
    )


def test_other_methods_are_not_routed(servers) -> None:
    trace = _proxy(servers, f"api/3.0/mlflow/traces/{servers['trace_id']}")
    for method in ("PUT",):
        assert servers["jupyter"].session().request(method, trace).status_code == 405
    # PATCH and DELETE are routed (labels), but not for a trace itself
    for method in ("DELETE", "PATCH"):
        answer = servers["jupyter"].session().request(method, trace)
        assert answer.json()["error_code"] == "NOT_ALLOWED", method


def test_unauthenticated_requests_are_refused(servers) -> None:
    trace = _proxy(servers, f"api/3.0/mlflow/traces/{servers['trace_id']}")
    answer = requests.get(trace)
    assert answer.status_code in (401, 403)
    assert "forwarded" not in answer.text


def test_without_a_tracking_server_it_says_so(tmp_path: Path) -> None:
    env = {"MLFLOW_TRACKING_URI": "sqlite:///mlflow.db"}
    with jupyter_server(tmp_path, env) as jupyter:
        session = jupyter.session()
        config = session.get(f"{jupyter.url}mlflow-traces/config").json()
        assert config["tracking_uri"] is None
        assert "not an http(s) tracking server" in config["problem"]
        trace = "api/3.0/mlflow/traces/tr-0123456789abcdef0123456789abcdef"
        answer = session.get(f"{jupyter.url}mlflow-traces/proxy/{trace}")
        assert answer.status_code == 503
        assert "MLFLOW_TRACKING_URI" in answer.json()["message"]
