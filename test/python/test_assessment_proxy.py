"""Labels written through the server extension (a real Jupyter server whose users are
named by a header, a real basic-auth tracking server), read back with MLflow's Python
SDK: what lands, who it is by, what is refused, and no credential in any answer."""

from __future__ import annotations

import pytest
import requests
from jupyter_identities import USER_HEADER

from jupyter_app import XSRF_TOKEN, jupyter_server
from kernel import environment
from mlflow_server import ADMIN_PASSWORD, ADMIN_USERNAME, mlflow_server

CREDENTIALS = {
    "MLFLOW_TRACKING_USERNAME": ADMIN_USERNAME,
    "MLFLOW_TRACKING_PASSWORD": ADMIN_PASSWORD,
}
IDENTITIES = "c.ServerApp.identity_provider_class = 'jupyter_identities.HeaderNamedUsers'\n"


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """A basic-auth tracking server, and a Jupyter server that writes to it."""
    directory = tmp_path_factory.mktemp("assessment-proxy")
    with mlflow_server(directory / "mlflow", basic_auth=True) as tracking_uri:
        env = {"MLFLOW_TRACKING_URI": tracking_uri, **CREDENTIALS}
        with jupyter_server(directory / "jupyter", env, config=IDENTITIES) as jupyter:
            yield {"tracking_uri": tracking_uri, "jupyter": jupyter}


class Sdk:
    """MLflow's Python SDK on the test's tracking server, as its admin."""

    def __init__(self, tracking_uri: str) -> None:
        self.tracking_uri = tracking_uri

    def __enter__(self):
        import mlflow

        self._env = environment(CREDENTIALS)
        self._env.__enter__()
        mlflow.set_tracking_uri(self.tracking_uri)
        return mlflow

    def __exit__(self, *exc) -> None:
        import mlflow

        mlflow.set_tracking_uri(None)
        self._env.__exit__(*exc)


@pytest.fixture
def trace(servers):
    """A fresh trace (root and child span): its id and the child's span id."""
    with Sdk(servers["tracking_uri"]) as mlflow:
        mlflow.set_experiment("assessment-proxy")
        with mlflow.start_span("root") as root, mlflow.start_span("child") as child:
            child.set_inputs({"q": 1})
        mlflow.flush_trace_async_logging()
    return root.trace_id, child.span_id


def reviewer(servers, name: str) -> requests.Session:
    """A session of the Jupyter user `name` (token-authenticated: no XSRF needed)."""
    session = servers["jupyter"].session()
    session.headers[USER_HEADER] = name
    return session


def proxy(servers, path: str) -> str:
    return f"{servers['jupyter'].url}mlflow-traces/proxy/api/3.0/mlflow/{path}"


def assert_no_secret(answer: requests.Response) -> None:
    wire = "\n".join(f"{k}: {v}" for k, v in answer.headers.items()) + answer.text
    assert ADMIN_PASSWORD not in wire and "Basic " not in wire


def create(servers, user: str, trace_id: str, assessment: dict) -> dict:
    answer = reviewer(servers, user).post(
        proxy(servers, f"traces/{trace_id}/assessments"), json={"assessment": assessment}
    )
    assert answer.status_code == 200, answer.text
    assert_no_secret(answer)
    return answer.json()["assessment"]


def assessments(servers, trace_id: str) -> dict:
    with Sdk(servers["tracking_uri"]) as mlflow:
        return {a.assessment_id: a for a in mlflow.get_trace(trace_id).info.assessments}


def test_config_names_the_jupyter_user(servers) -> None:
    answer = reviewer(servers, "ana").get(f"{servers['jupyter'].url}mlflow-traces/config")
    assert answer.json() == {
        "tracking_uri": servers["tracking_uri"],
        "problem": None,
        "user": "ana",
    }


SPOOFED = {"source": {"source_type": "LLM_JUDGE", "source_id": "mallory"}, "valid": False}


@pytest.mark.parametrize(
    "kind,value",
    [
        ("feedback", True),
        ("feedback", 0.25),
        ("feedback", 3),
        ("feedback", "meh"),
        ("expectation", {"answer": [1, 2], "nested": {"ok": True}}),
        ("expectation", "Paris"),
    ],
)
def test_each_value_type_lands_by_the_jupyter_user(servers, trace, kind, value) -> None:
    """The source is the Jupyter user whatever the browser sent; fields MLflow would
    take from the browser (validity, another trace id) are dropped."""
    trace_id, span_id = trace
    written = create(
        servers,
        "ana",
        trace_id,
        {
            "assessment_name": f"{kind}-x",
            kind: {"value": value},
            "span_id": span_id,
            "rationale": "because",
            "trace_id": "tr-" + "0" * 32,
            "unknown": 1,
            **SPOOFED,
        },
    )
    [stored] = assessments(servers, trace_id).values()
    assert stored.assessment_id == written["assessment_id"]
    assert (stored.source.source_type, stored.source.source_id) == ("HUMAN", "ana")
    # MLflow's expectations have no rationale (its SDK takes none): not sent, none stored
    rationale = "because" if kind == "feedback" else None
    assert (stored.name, stored.span_id, stored.rationale) == (f"{kind}-x", span_id, rationale)
    assert stored.valid is not False  # the SDK reads an expectation's as None
    # a number is a double in MLflow's protobuf Value: 3 reads back 3.0, as the SDK's does
    expected = float(value) if type(value) is int else value
    assert stored.value == expected and type(stored.value) is type(expected)
    assert stored.trace_id == trace_id


def _same_shape(assessment) -> dict:
    """An assessment as MLflow stores it, without what differs between two writes."""
    seen = assessment.to_dictionary()
    for name in ("assessment_id", "create_time", "last_update_time", "overrides", "source"):
        seen.pop(name, None)
    return seen


def test_an_override_supersedes_as_mlflows_sdk_does(servers, trace) -> None:
    """bob overrides ana's label through JupyterLab; the same override by the SDK beside
    it: the same record, ana's left valid=False."""
    trace_id, span_id = trace
    label = {"assessment_name": "correct", "feedback": {"value": True}, "span_id": span_id}
    ana = create(servers, "ana", trace_id, label)
    ours = create(
        servers,
        "bob",
        trace_id,
        {
            "assessment_name": "correct",
            "feedback": {"value": False},
            "span_id": span_id,
            "rationale": "wrong city",
            "overrides": ana["assessment_id"],
        },
    )
    theirs_original = create(servers, "ana", trace_id, label)
    with Sdk(servers["tracking_uri"]) as mlflow:
        from mlflow.entities import AssessmentSource

        theirs = mlflow.override_feedback(
            trace_id=trace_id,
            assessment_id=theirs_original["assessment_id"],
            value=False,
            rationale="wrong city",
            source=AssessmentSource(source_type="HUMAN", source_id="bob"),
        )
    stored = assessments(servers, trace_id)
    assert stored[ana["assessment_id"]].valid is False
    assert stored[theirs_original["assessment_id"]].valid is False
    assert stored[ours["assessment_id"]].overrides == ana["assessment_id"]
    assert stored[theirs.assessment_id].overrides == theirs_original["assessment_id"]
    assert _same_shape(stored[ours["assessment_id"]]) == _same_shape(stored[theirs.assessment_id])
    assert stored[ours["assessment_id"]].source == stored[theirs.assessment_id].source


def test_two_reviewers_overriding_the_same_label_are_both_in_the_history(servers, trace) -> None:
    trace_id, _ = trace
    first = create(
        servers, "ana", trace_id, {"assessment_name": "tone", "feedback": {"value": "ok"}}
    )
    for name, value in (("bob", "rude"), ("cy", "curt")):
        create(
            servers,
            name,
            trace_id,
            {
                "assessment_name": "tone",
                "feedback": {"value": value},
                "overrides": first["assessment_id"],
            },
        )
    stored = assessments(servers, trace_id).values()
    history = {(a.source.source_id, a.value, a.valid, a.overrides) for a in stored}
    assert history == {
        ("ana", "ok", False, None),
        ("bob", "rude", True, first["assessment_id"]),
        ("cy", "curt", True, first["assessment_id"]),
    }


def test_only_the_author_edits_or_deletes(servers, trace) -> None:
    trace_id, _ = trace
    ana = create(servers, "ana", trace_id, {"assessment_name": "q", "feedback": {"value": 1}})
    other = create(servers, "ana", trace_id, {"assessment_name": "q2", "feedback": {"value": 2}})
    with Sdk(servers["tracking_uri"]) as mlflow:
        judge = mlflow.log_feedback(trace_id=trace_id, name="q3", value=3)  # CODE "default"
    url = proxy(servers, f"traces/{trace_id}/assessments/{ana['assessment_id']}")
    edit = {
        "assessment": {
            "feedback": {"value": 5},
            "rationale": "on reflection",
            "source": {"source_type": "HUMAN", "source_id": "bob"},
        },
        "update_mask": "feedback,rationale",
    }
    before = assessments(servers, trace_id)
    for user, method, target in [
        ("bob", "PATCH", url),
        ("bob", "DELETE", url),
        ("ana", "DELETE", url.replace(ana["assessment_id"], judge.assessment_id)),
    ]:
        refused = reviewer(servers, user).request(method, target, json=edit)
        assert refused.status_code == 403, refused.text
        assert refused.json()["error_code"] == "NOT_YOUR_ASSESSMENT"
        assert_no_secret(refused)
    assert assessments(servers, trace_id) == before
    edited = reviewer(servers, "ana").patch(url, json=edit)
    assert edited.status_code == 200, edited.text
    stored = assessments(servers, trace_id)[ana["assessment_id"]]
    assert (stored.value, stored.rationale, stored.source.source_id) == (5, "on reflection", "ana")
    deleted = reviewer(servers, "ana").delete(url)
    assert deleted.status_code == 200, deleted.text
    assert set(assessments(servers, trace_id)) == {other["assessment_id"], judge.assessment_id}
    missing = reviewer(servers, "ana").delete(url)
    assert missing.status_code == 404 and "not found" in missing.text


def test_tags_are_set_and_removed_one_at_a_time(servers, trace) -> None:
    trace_id, _ = trace
    session = reviewer(servers, "ana")
    tags = proxy(servers, f"traces/{trace_id}/tags")
    for key, value in (("verdict", "good"), ("topic", "geo"), ("verdict", "bad")):
        answer = session.patch(tags, json={"key": key, "value": value, "extra": "dropped"})
        assert answer.status_code == 200, answer.text
    assert session.delete(tags, json={"key": "topic"}).status_code == 200
    with Sdk(servers["tracking_uri"]) as mlflow:
        stored = mlflow.get_trace(trace_id).info.tags
    assert stored["verdict"] == "bad" and "topic" not in stored and "extra" not in stored


@pytest.mark.parametrize(
    "method,path,body",
    [
        ("POST", "assessments", b"{not json"),
        ("POST", "assessments", b'{"assessment": {"assessment_name": "x"}}'),
        ("POST", "assessments", b'["a list"]'),
        ("PATCH", "tags", b'{"value": "no key"}'),
        ("DELETE", "tags", b""),
        ("PATCH", "tags", b'{"key": " mlflow.traceName", "value": "<img src=x>"}'),
        ("DELETE", "tags", b'{"key": "mlflow.artifactLocation"}'),
        (
            "POST",
            "assessments",
            b'{"assessment": {"assessment_name": "x", "feedback": {"value": NaN}}}',
        ),
        (
            "POST",
            "assessments",
            b'{"assessment": {"assessment_name": "x", "expectation": {"value": 1}, '
            b'"overrides": "a-1"}}',
        ),
    ],
)
def test_a_malformed_body_is_refused_clearly(servers, trace, method, path, body) -> None:
    trace_id, _ = trace
    answer = reviewer(servers, "ana").request(
        method,
        proxy(servers, f"traces/{trace_id}/{path}"),
        data=body,
        headers={"Content-Type": "application/json"},
    )
    assert answer.status_code == 400, answer.text
    assert answer.json()["error_code"] == "INVALID_REQUEST_BODY"
    assert assessments(servers, trace_id) == {}
    with Sdk(servers["tracking_uri"]) as mlflow:
        tags = mlflow.get_trace(trace_id).info.tags
    assert tags.get("mlflow.traceName") == "root" and "mlflow.artifactLocation" in tags


def test_writes_need_the_xsrf_header_as_a_page_sends_it(servers, trace) -> None:
    """With the login cookie only (a page, not a token), every write needs X-XSRFToken."""
    trace_id, _ = trace
    cookies = reviewer(servers, "ana").cookies
    label = {"assessment": {"assessment_name": "x", "feedback": {"value": True}}}
    writes = [
        ("POST", f"traces/{trace_id}/assessments", label),
        ("DELETE", f"traces/{trace_id}/assessments/a-{'0' * 32}", None),
        ("PATCH", f"traces/{trace_id}/tags", {"key": "k", "value": "v"}),
        ("DELETE", f"traces/{trace_id}/tags", {"key": "k"}),
        (
            "POST",
            "review-queues/items/set-status",
            {"queue_id": "rq-1", "item_id": trace_id, "status": "COMPLETE"},
        ),
    ]
    page = {USER_HEADER: "ana"}
    for method, path, body in writes:
        refused = requests.request(
            method, proxy(servers, path), json=body, cookies=cookies, headers=page
        )
        assert refused.status_code == 403, f"{method} {path}"
        assert "_xsrf" in refused.text, f"{method} {path}: {refused.text}"
    assert assessments(servers, trace_id) == {}
    with Sdk(servers["tracking_uri"]) as mlflow:
        assert "k" not in mlflow.get_trace(trace_id).info.tags
    accepted = requests.post(
        proxy(servers, writes[0][1]),
        json=label,
        cookies=cookies,
        headers={**page, "X-XSRFToken": XSRF_TOKEN},
    )
    assert accepted.status_code == 200, accepted.text
    [stored] = assessments(servers, trace_id).values()
    assert stored.source.source_id == "ana"


def test_a_review_queue_is_read_and_its_items_marked(servers, trace) -> None:
    """The queue's JSON as MLflow answers it; a status set through JupyterLab lands. On a
    tracking server with its own auth, MLflow records its signed-in user (the server
    extension's credentials) as completed_by, not what the request says."""
    trace_id, _ = trace
    with Sdk(servers["tracking_uri"]) as mlflow:
        from mlflow.genai import review_queues

        experiment_id = mlflow.get_trace(trace_id).info.experiment_id
        queue = review_queues.create_review_queue(
            f"queue-{trace_id[-6:]}",
            queue_type="custom",
            users=["ana"],
            experiment_id=experiment_id,
        )
        review_queues.add_items_to_review_queue(queue.queue_id, item_ids=[trace_id])
    session = reviewer(servers, "ana")
    listed = session.get(
        proxy(servers, "review-queues/list"),
        params={"experiment_id": experiment_id, "max_results": 100, "token": "not-forwarded"},
    )
    assert listed.status_code == 200, listed.text
    assert queue.queue_id in [q["queue_id"] for q in listed.json()["review_queues"]]
    items = session.get(
        proxy(servers, "review-queues/items/list"),
        params={"queue_id": queue.queue_id, "status": "PENDING"},
    ).json()["items"]
    assert [(i["item_id"], i["status"]) for i in items] == [(trace_id, "PENDING")]
    marked = session.post(
        proxy(servers, "review-queues/items/set-status"),
        json={
            "queue_id": queue.queue_id,
            "item_id": trace_id,
            "status": "COMPLETE",
            "completed_by": "mallory",
        },
    )
    assert marked.status_code == 200, marked.text
    assert (marked.json()["item"]["status"], marked.json()["item"]["completed_by"]) == (
        "COMPLETE",
        ADMIN_USERNAME,
    )
    for answer in (listed, marked):
        assert_no_secret(answer)


def test_a_deny_writes_authorizer_refuses_writes_and_allows_reads(servers, trace, tmp_path) -> None:
    trace_id, _ = trace
    env = {"MLFLOW_TRACKING_URI": servers["tracking_uri"], **CREDENTIALS}
    config = IDENTITIES + "c.ServerApp.authorizer_class = 'jupyter_identities.DenyWrites'\n"
    with jupyter_server(tmp_path, env, config=config) as jupyter:
        session = jupyter.session()
        base = f"{jupyter.url}mlflow-traces/proxy/api/3.0/mlflow"
        reads = [("GET", f"traces/{trace_id}", None), ("POST", "traces/search", {"locations": []})]
        for method, path, body in reads:
            answer = session.request(method, f"{base}/{path}", json=body)
            assert answer.status_code == 200, f"{method} {path}: {answer.text}"
        writes = [
            (
                "POST",
                f"traces/{trace_id}/assessments",
                {"assessment": {"assessment_name": "x", "feedback": {"value": True}}},
            ),
            ("PATCH", f"traces/{trace_id}/tags", {"key": "k", "value": "v"}),
            ("DELETE", f"traces/{trace_id}/tags", {"key": "k"}),
            ("DELETE", f"traces/{trace_id}/assessments/a-{'0' * 32}", None),
            (
                "POST",
                "review-queues/items/set-status",
                {"queue_id": "rq-1", "item_id": trace_id, "status": "COMPLETE"},
            ),
        ]
        for method, path, body in writes:
            answer = session.request(method, f"{base}/{path}", json=body)
            assert answer.status_code == 403, f"{method} {path}: {answer.text}"
            assert answer.json()["error_code"] == "FORBIDDEN"
    assert assessments(servers, trace_id) == {}
    with Sdk(servers["tracking_uri"]) as mlflow:
        assert "k" not in mlflow.get_trace(trace_id).info.tags
