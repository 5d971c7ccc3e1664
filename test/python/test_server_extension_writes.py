"""The bodies of label writes as the server extension rebuilds them (no server): only
the fields each request needs, the Jupyter user as their author, clear refusals."""

from __future__ import annotations

import json

import pytest

from jupyterlab_mlflow_traces._upstream import Target, rule_for
from jupyterlab_mlflow_traces._writes import BadBody, owner_problem, rebuilt

TRACE = "api/3.0/mlflow/traces/tr-0123456789abcdef0123456789abcdef"
ASSESSMENT = f"{TRACE}/assessments/a-0123456789abcdef0123456789abcdef"


def _sent(method: str, path: str, body: object, user: str = "ana") -> dict:
    rule = rule_for(method, path)
    assert rule is not None and rule.rebuild is not None
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return json.loads(rebuilt(rule.rebuild, raw, user))


def test_a_label_is_by_the_jupyter_user_with_only_its_fields() -> None:
    sent = _sent(
        "POST",
        f"{TRACE}/assessments",
        {
            "assessment": {
                "assessment_name": "correct",
                "feedback": {"value": False, "error": {"error_code": "X"}},
                "span_id": "0123456789abcdef",
                "rationale": "wrong city",
                "overrides": "a-0123456789abcdef0123456789abcdef",
                "metadata": {"why": "review"},
                "source": {"source_type": "LLM_JUDGE", "source_id": "mallory"},
                "trace_id": "tr-ffffffffffffffffffffffffffffffff",
                "valid": False,
                "create_time": "2000-01-01T00:00:00Z",
            },
            "extra": 1,
        },
    )
    assert sent == {
        "assessment": {
            "assessment_name": "correct",
            "source": {"source_type": "HUMAN", "source_id": "ana"},
            "feedback": {"value": False},
            "span_id": "0123456789abcdef",
            "rationale": "wrong city",
            "overrides": "a-0123456789abcdef0123456789abcdef",
            "metadata": {"why": "review"},
        }
    }


def test_a_json_expectation_goes_as_mlflows_sdk_sends_it() -> None:
    expectation = {"assessment_name": "facts", "expectation": {"value": {"n": [1, 2]}}}
    sent = _sent("POST", f"{TRACE}/assessments", {"assessment": {**expectation, "rationale": "x"}})
    assert sent["assessment"]["expectation"] == {
        "serialized_value": {"serialization_format": "JSON_FORMAT", "value": '{"n": [1, 2]}'}
    }
    assert "rationale" not in sent["assessment"]  # MLflow keeps none for an expectation


def test_an_edit_changes_only_value_and_rationale() -> None:
    body = {
        "assessment": {"feedback": {"value": 2}, "rationale": "r", "source": {"source_id": "x"}},
        "update_mask": "feedback, rationale",
    }
    assert _sent("PATCH", ASSESSMENT, body) == {
        "assessment": {"feedback": {"value": 2}, "rationale": "r"},
        "update_mask": "feedback,rationale",
    }
    for mask in ("valid", "feedback,source", "assessment_name", ""):
        with pytest.raises(BadBody, match="update_mask"):
            _sent("PATCH", ASSESSMENT, {**body, "update_mask": mask})


def test_tags_and_a_review_item() -> None:
    assert _sent("PATCH", f"{TRACE}/tags", {"key": "k", "value": "v", "x": 1}) == {
        "key": "k",
        "value": "v",
    }
    assert _sent("DELETE", f"{TRACE}/tags", {"key": "k", "value": "v"}) == {"key": "k"}
    status = "api/3.0/mlflow/review-queues/items/set-status"
    item = {"queue_id": "rq-1", "item_id": "tr-1", "completed_by": "mallory"}
    assert _sent("POST", status, {**item, "status": "COMPLETE"}) == {
        "queue_id": "rq-1",
        "item_id": "tr-1",
        "status": "COMPLETE",
        "completed_by": "ana",
    }
    # reopened: MLflow clears who completed it
    assert "completed_by" not in _sent("POST", status, {**item, "status": "PENDING"})


@pytest.mark.parametrize(
    "body,message",
    [
        (b"{not json", "not JSON"),
        (b"", "not JSON"),
        (b"[1]", "JSON object"),
        (b'{"assessment": {"assessment_name": "x"}}', "exactly one of"),
        (b'{"assessment": {"assessment_name": "x", "feedback": {}}}', "must have a `value`"),
        (b'{"assessment": {"feedback": {"value": 1}}}', "assessment_name"),
        (b'{"assessment": {"assessment_name": 1, "feedback": {"value": 1}}}', "assessment_name"),
        (
            b'{"assessment": {"assessment_name": "x", "feedback": {"value": 1}, "span_id": 3}}',
            "span_id",
        ),
        (
            {
                "assessment": {
                    "assessment_name": "x",
                    "feedback": {"value": 1},
                    "metadata": {"a": 1},
                }
            },
            "metadata",
        ),
        # JSON has no NaN or Infinity: Python's reader takes them, MLflow answers 500 (HTML)
        (b'{"assessment":{"assessment_name":"x","feedback":{"value":NaN}}}', "not JSON"),
        (b'{"assessment":{"assessment_name":"x","feedback":{"value":-Infinity}}}', "not JSON"),
        (b'{"assessment":{"assessment_name":"x","expectation":{"value":[Infinity]}}}', "not JSON"),
        # MLflow reads `overrides` of a feedback only: on an expectation it would be ignored
        (
            {
                "assessment": {
                    "assessment_name": "x",
                    "expectation": {"value": 1},
                    "overrides": "a-0123456789abcdef0123456789abcdef",
                }
            },
            "overrides",
        ),
        (
            {
                "assessment": {
                    "assessment_name": "x",
                    "expectation": {
                        "serialized_value": {"serialization_format": "PICKLE", "value": "x"}
                    },
                }
            },
            "JSON_FORMAT",
        ),
    ],
)
def test_a_bad_body_says_what_is_wrong(body: bytes | dict, message: str) -> None:
    with pytest.raises(BadBody, match=message):
        _sent("POST", f"{TRACE}/assessments", body)


def test_a_serialized_expectation_edit_is_json_only() -> None:
    body = {
        "assessment": {
            "expectation": {"serialized_value": {"serialization_format": "PICKLE", "value": "x"}}
        },
        "update_mask": "expectation",
    }
    with pytest.raises(BadBody, match="JSON_FORMAT"):
        _sent("PATCH", ASSESSMENT, body)
    json_format = {"serialization_format": "JSON_FORMAT", "value": "[1]"}
    body["assessment"]["expectation"]["serialized_value"] = json_format
    assert _sent("PATCH", ASSESSMENT, body)["assessment"]["expectation"] == {
        "serialized_value": json_format
    }


@pytest.mark.parametrize(
    "method,body",
    [
        ("PATCH", {"key": "mlflow.traceName", "value": "<img src=x>"}),
        ("PATCH", {"key": " mlflow.traceName", "value": "renamed"}),
        ("DELETE", {"key": "mlflow.artifactLocation"}),
        ("DELETE", {"key": "\tmlflow.user "}),
    ],
)
def test_mlflows_own_trace_tags_are_refused(method: str, body: dict) -> None:
    """MLflow's `mlflow.*` tags say where a trace's spans are and what it is: the
    renderer never writes them, so neither may the proxy."""
    with pytest.raises(BadBody, match=r"mlflow\.") as refused:
        _sent(method, f"{TRACE}/tags", body)
    assert json.dumps(body["key"].strip()) in str(refused.value)
    assert _sent(method, f"{TRACE}/tags", {**body, "key": "mlflowish"})["key"] == "mlflowish"


def test_only_the_author_may_edit() -> None:
    def answer(source_type: str, source_id: str) -> dict:
        return {"assessment": {"source": {"source_type": source_type, "source_id": source_id}}}

    assert owner_problem(answer("HUMAN", "ana"), "ana") is None
    assert "override it instead" in owner_problem(answer("HUMAN", "bob"), "ana")
    assert owner_problem(answer("LLM_JUDGE", "ana"), "ana") is not None
    assert owner_problem({"assessment": {}}, "ana") is not None
    assert owner_problem([], "ana") is not None


def test_a_review_queue_read_keeps_only_its_parameters() -> None:
    target = Target({"MLFLOW_TRACKING_URI": "http://bob:s3cret@127.0.0.1:5000"})
    path = "api/3.0/mlflow/review-queues/items/list"
    query = "queue_id=rq-1&status=PENDING&token=t&max_results=5&page_token=p&user=u"
    sent = target.outgoing(rule_for("GET", path), path, query, None)
    assert sent.url == (
        f"http://127.0.0.1:5000/{path}?queue_id=rq-1&status=PENDING&max_results=5&page_token=p"
    )
    assert sent.body is None and "s3cret" not in sent.url


def test_the_author_of_a_label_is_named_by_one_rule(monkeypatch) -> None:
    """Jupyter's own anonymous users → the hub's user, else the server's account (as a
    tslab cell); any other identity provider (a hub's, a custom one) → its user."""
    import getpass
    from types import SimpleNamespace

    from jupyter_server.auth.identity import IdentityProvider, PasswordIdentityProvider, User

    from jupyterlab_mlflow_traces._writes import jupyter_user

    class HubUsers(IdentityProvider):
        pass

    def handler(provider: IdentityProvider) -> SimpleNamespace:
        return SimpleNamespace(identity_provider=provider, current_user=User("0f3a9c"))

    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    for own in (IdentityProvider(), PasswordIdentityProvider()):
        assert jupyter_user(handler(own)) == getpass.getuser()
    assert jupyter_user(handler(HubUsers())) == "0f3a9c"
    monkeypatch.setenv("JUPYTERHUB_USER", "ana")
    assert jupyter_user(handler(PasswordIdentityProvider())) == "ana"
    assert jupyter_user(handler(HubUsers())) == "0f3a9c"
