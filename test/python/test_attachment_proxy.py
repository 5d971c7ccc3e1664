"""Trace attachments through the server extension, against a real Jupyter server and a
real tracking server holding attachments MLflow's SDK wrote: an attachment is asked for
by trace id and attachment id (a UUID) only, and comes back as opaque bytes."""

from __future__ import annotations

import base64
import json
import re

import pytest

from jupyter_app import jupyter_server
from mlflow_server import mlflow_server

#: A 1x1 PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt "
#: Larger than the Jupyter server's answer cap of this module (max_answer_bytes).
LARGE = bytes(range(256)) * 64
ANSWER_CAP = 12_000
ARTIFACT = "ajax-api/3.0/mlflow/get-trace-artifact"
REF = re.compile(r"mlflow-attachment://([0-9a-f-]{36})\?content_type=([^&]+)&trace_id=([^&]+)")


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    directory = tmp_path_factory.mktemp("attachments")
    with mlflow_server(directory / "mlflow") as tracking_uri:
        trace_id, refs = _write_trace(tracking_uri)
        env = {"MLFLOW_TRACKING_URI": tracking_uri}
        config = f"c.MlflowTracesProxy.max_answer_bytes = {ANSWER_CAP}\n"
        with jupyter_server(directory / "jupyter", env, config=config) as jupyter:
            yield {"trace_id": trace_id, "refs": refs, "jupyter": jupyter}


def _write_trace(tracking_uri: str) -> tuple[str, dict[str, str]]:
    """A chat span as the SDK records it: an image part (a data: URL the SDK turns into
    an attachment), an input_audio part, and a large Attachment."""
    import mlflow
    from mlflow.tracing.attachments import Attachment

    mlflow.set_tracking_uri(tracking_uri)
    try:
        mlflow.set_experiment("attachments")
        with mlflow.start_span("chat", span_type="CHAT_MODEL") as span:
            image = "data:image/png;base64," + base64.b64encode(PNG).decode()
            audio = {"data": base64.b64encode(WAV).decode(), "format": "wav"}
            content = [
                {"type": "text", "text": "what is in the picture?"},
                {"type": "image_url", "image_url": {"url": image}},
                {"type": "input_audio", "input_audio": audio},
            ]
            span.set_inputs({"messages": [{"role": "user", "content": content}]})
            span.set_outputs({"large": Attachment(content_type="image/png", content_bytes=LARGE)})
        mlflow.flush_trace_async_logging()
        stored = mlflow.get_trace(span.trace_id).data.spans[0].to_dict()
        inputs = stored["attributes"]["mlflow.spanInputs"]
    finally:
        mlflow.set_tracking_uri(None)
    refs = {kind.replace("%2F", "/"): ref_id for ref_id, kind, _ in REF.findall(inputs)}
    return span.trace_id, refs


def _get(servers, **params):
    session = servers["jupyter"].session()
    return session.get(f"{servers['jupyter'].url}mlflow-traces/proxy/{ARTIFACT}", params=params)


def test_the_sdk_stores_references_in_the_chat_content(servers) -> None:
    assert set(servers["refs"]) == {"image/png", "audio/wav"}


def test_an_attachment_comes_back_as_opaque_bytes(servers) -> None:
    image_id = _image_id(servers)
    answer = _get(servers, request_id=servers["trace_id"], path=image_id)
    assert answer.status_code == 200, answer.text
    assert answer.content == PNG
    assert answer.headers["Content-Type"] == "application/octet-stream"
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["Content-Security-Policy"] == "sandbox"
    assert answer.headers["Content-Disposition"] == "attachment"


def test_the_spans_still_come_back_as_json(servers) -> None:
    answer = _get(servers, request_id=servers["trace_id"])
    assert answer.status_code == 200, answer.text
    assert answer.headers["Content-Type"].startswith("application/json")
    assert [span["name"] for span in answer.json()["spans"]] == ["chat"]


@pytest.mark.parametrize(
    "path",
    [
        "",
        "traces.json",
        "../traces.json",
        "attachments/00000000-0000-0000-0000-000000000000",
        "00000000-0000-0000-0000-000000000000/../../traces.json",
        "0000000-0000-0000-0000-0000000000000",
        "ABCDEF00-0000-0000-0000-000000000000",
        "00000000-0000-0000-0000-000000000000\n",
    ],
)
def test_a_path_that_is_not_an_attachment_id_is_refused(servers, path: str) -> None:
    answer = _get(servers, request_id=servers["trace_id"], path=path)
    assert answer.status_code == 403, answer.text
    assert answer.json()["error_code"] == "NOT_ALLOWED"


def test_a_path_given_twice_is_refused(servers) -> None:
    image_id = _image_id(servers)
    session = servers["jupyter"].session()
    url = f"{servers['jupyter'].url}mlflow-traces/proxy/{ARTIFACT}"
    query = f"request_id={servers['trace_id']}&path={image_id}&path=traces.json"
    answer = session.get(f"{url}?{query}")
    assert answer.status_code == 403, answer.text
    assert answer.json()["error_code"] == "NOT_ALLOWED"


def test_an_unknown_attachment_is_mlflows_json_error(servers) -> None:
    answer = _get(
        servers, request_id=servers["trace_id"], path="00000000-0000-4000-8000-000000000000"
    )
    assert answer.status_code >= 400
    assert answer.headers["Content-Type"].startswith("application/json")
    assert "error_code" in answer.json()


def test_an_attachment_over_the_answer_cap_is_refused(servers) -> None:
    assert len(LARGE) > ANSWER_CAP
    answer = _get(servers, request_id=servers["trace_id"], path=_large_ref(servers))
    assert answer.status_code == 502, answer.text
    assert answer.json()["error_code"] == "ANSWER_TOO_LARGE"


def _image_id(servers) -> str:
    return servers["refs"]["image/png"]


def _large_ref(servers) -> str:
    answer = _get(servers, request_id=servers["trace_id"])
    outputs = json.loads(answer.json()["spans"][0]["attributes"]["mlflow.spanOutputs"])
    match = REF.match(outputs["large"])
    assert match, outputs
    return match.group(1)
