"""What the server extension sends upstream, without a server: the URL, the query
parameters it keeps, and how it signs in where MLflow is not importable."""

from __future__ import annotations

import base64

from jupyterlab_mlflow_traces._upstream import Target, rule_for

TRACE_ID = "tr-0123456789abcdef0123456789abcdef"
ARTIFACT = "ajax-api/3.0/mlflow/get-trace-artifact"


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def _from_environ(environ: dict[str, str]):
    """The span-data request as signed where MLflow is not importable."""
    target = Target(environ)
    return target._signed_from_environ("GET", f"{target.public_uri}/{ARTIFACT}", {}, None)


def test_the_url_keeps_only_the_needed_parameters_and_no_credentials() -> None:
    target = Target({"MLFLOW_TRACKING_URI": "http://bob:s3cret@127.0.0.1:5000/prefix/"})
    rule = rule_for("GET", ARTIFACT)
    query = f"token=jupyter-token&request_id={TRACE_ID}&request_id=tr-2&_xsrf=x"
    outgoing = target.outgoing(rule, ARTIFACT, query, None)
    assert outgoing.url == (
        f"http://127.0.0.1:5000/prefix/{ARTIFACT}?request_id={TRACE_ID}&request_id=tr-2"
    )
    assert "s3cret" not in outgoing.url and "token" not in outgoing.url
    assert outgoing.headers["Authorization"] == _basic("bob", "s3cret")
    assert target.public_uri == "http://127.0.0.1:5000/prefix"


def test_without_mlflow_the_environment_signs_in_as_mlflow_would() -> None:
    uri = {"MLFLOW_TRACKING_URI": "https://mlflow.example:8443"}
    basic = _from_environ(
        {**uri, "MLFLOW_TRACKING_USERNAME": "amy", "MLFLOW_TRACKING_PASSWORD": "pw"}
    )
    assert basic.headers == {"Authorization": _basic("amy", "pw")}
    assert basic.verify is True and basic.cert is None
    bearer = _from_environ({**uri, "MLFLOW_TRACKING_TOKEN": "tok"})
    assert bearer.headers == {"Authorization": "Bearer tok"}
    tls = _from_environ(
        {
            **uri,
            "MLFLOW_TRACKING_SERVER_CERT_PATH": "/ca.pem",
            "MLFLOW_TRACKING_CLIENT_CERT_PATH": "/client.pem",
        }
    )
    assert (tls.verify, tls.cert, tls.headers) == ("/ca.pem", "/client.pem", {})
    insecure = _from_environ({**uri, "MLFLOW_TRACKING_INSECURE_TLS": "true"})
    assert insecure.verify is False


def test_user_info_in_the_uri_signs_in_only_when_nothing_else_does() -> None:
    environ = {
        "MLFLOW_TRACKING_URI": "http://bob:s3cret@127.0.0.1:5000",
        "MLFLOW_TRACKING_TOKEN": "tok",
    }
    outgoing = _from_environ(environ)
    assert outgoing.headers == {"Authorization": "Bearer tok"}
    outgoing = _from_environ({"MLFLOW_TRACKING_URI": environ["MLFLOW_TRACKING_URI"]})
    assert outgoing.headers == {"Authorization": _basic("bob", "s3cret")}
