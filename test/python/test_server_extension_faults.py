"""The server extension against a tracking server that misbehaves (slow, dripping,
redirecting, huge, unreachable) and a browser that asks for more than it should:
a real Jupyter server with this checkout's extension, a local listener upstream."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from upstream import upstream_listener, wait_for_requests

from jupyter_app import jupyter_server

TRACE_ID = "tr-0123456789abcdef0123456789abcdef"
PASSWORD = "upstream-secret-5678"
CREDENTIALS = {"MLFLOW_TRACKING_USERNAME": "alice", "MLFLOW_TRACKING_PASSWORD": PASSWORD}
#: The deadline the module's Jupyter server is configured with, in seconds.
DEADLINE_S = 3


@pytest.fixture(scope="module")
def upstream():
    with upstream_listener() as listener:
        yield listener


@pytest.fixture(scope="module")
def jupyter(upstream, tmp_path_factory):
    env = {"MLFLOW_TRACKING_URI": upstream.url, **CREDENTIALS}
    config = f"c.MlflowTracesProxy.timeout_s = {DEADLINE_S}\n"
    with jupyter_server(tmp_path_factory.mktemp("faults"), env, config=config) as server:
        # The first forward imports MLflow into the Jupyter server (seconds on a busy
        # machine, ~100 MB): done here, so that no test measures it.
        upstream.reset("json")
        _warm(server)
        yield server


def _warm(server) -> None:
    """The first forward, asked again until it answers: on a busy machine the import
    outlasts the module's deadline (504), and goes on on its thread meanwhile."""
    deadline = time.monotonic() + 120
    while True:
        answer = server.session().get(_trace_url(server), timeout=60)
        if answer.status_code != 504 or time.monotonic() > deadline:
            answer.raise_for_status()
            return


def _trace_url(jupyter) -> str:
    return f"{jupyter.url}mlflow-traces/proxy/api/3.0/mlflow/traces/{TRACE_ID}"


def _peak_rss_bytes(pid: int) -> int:
    """The process's peak resident memory so far (VmHWM), in bytes."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise AssertionError(f"no VmHWM for pid {pid}")


def test_slow_forwards_do_not_stall_the_jupyter_server(upstream, jupyter) -> None:
    """Eight forwards held by the tracking server; Jupyter's own API still answers at once."""
    upstream.reset("hold")
    session = jupyter.session()
    session.get(f"{jupyter.url}api/kernelspecs").raise_for_status()  # warm
    held = 8
    with ThreadPoolExecutor(held) as pool:
        forwards = [pool.submit(jupyter.session().get, _trace_url(jupyter)) for _ in range(held)]
        arrived = wait_for_requests(upstream, held, timeout_s=5)
        start = time.monotonic()
        kernelspecs = session.get(f"{jupyter.url}api/kernelspecs", timeout=20)
        elapsed_s = time.monotonic() - start
        answers = [forward.result(timeout=30) for forward in forwards]
    assert kernelspecs.status_code == 200
    assert arrived == held, f"only {arrived} of {held} forwards reached the tracking server"
    assert elapsed_s < 2, f"/api/kernelspecs took {elapsed_s:.1f} s behind slow forwards"
    # the held forwards outlive the 3 s deadline: each ends as a timeout, not a hang
    assert {answer.status_code for answer in answers} == {504}


def test_a_dripping_answer_ends_at_the_total_deadline(upstream, jupyter) -> None:
    """A body of one byte a second (12 s in all) is cut at the 3 s deadline."""
    upstream.reset("drip")
    start = time.monotonic()
    with pytest.raises(requests.exceptions.RequestException):
        # The first bytes are already on their way to the browser: the deadline can only
        # break the answer off, so the browser sees a broken answer, never a complete one.
        answer = jupyter.session().get(_trace_url(jupyter), timeout=30)
        answer.json()
    elapsed_s = time.monotonic() - start
    assert elapsed_s < DEADLINE_S + 2, (
        f"the answer ran {elapsed_s:.1f} s past a {DEADLINE_S} s deadline"
    )
    assert "took longer than 3" in jupyter.log.read_text()


def test_a_forward_ends_when_the_browser_goes_away(upstream, jupyter) -> None:
    upstream.reset("drip")
    with requests.get(_trace_url(jupyter), headers=_auth(jupyter), stream=True, timeout=10):
        wait_for_requests(upstream, 1, timeout_s=5)
    # the browser closed the connection after 1 s or so: the forward is cancelled, and the
    # listener sees its connection to the Jupyter server closed before the deadline
    time.sleep(1.5)
    assert "cancelled: the browser went away" in jupyter.log.read_text()


def _auth(jupyter) -> dict[str, str]:
    return {"Authorization": f"token {jupyter.token}"}


def test_a_redirect_is_not_followed(upstream, jupyter) -> None:
    with upstream_listener() as elsewhere:
        upstream.reset("redirect", redirect_to=elsewhere.url)
        answer = jupyter.session().get(_trace_url(jupyter), timeout=20)
        assert elsewhere.received == [], "the redirect was followed to another listener"
    assert answer.status_code == 502, answer.text
    assert answer.json()["error_code"] == "TRACKING_SERVER_REDIRECT"
    assert "not followed" in answer.json()["message"]
    assert elsewhere.url not in answer.text  # where it pointed is for the server's log only


@pytest.mark.parametrize(
    "path,query,forwarded",
    [
        (f"api/3.0/mlflow/traces/{TRACE_ID}", {"x": "1"}, ""),
        (
            "ajax-api/3.0/mlflow/get-trace-artifact",
            {"request_id": TRACE_ID, "x": "1"},
            f"request_id={TRACE_ID}",
        ),
    ],
)
def test_only_the_parameters_a_request_needs_go_upstream(
    upstream, jupyter, path: str, query: dict, forwarded: str
) -> None:
    """Jupyter's token in the query authenticates the browser and goes no further."""
    upstream.reset("json")
    url = f"{jupyter.url}mlflow-traces/proxy/{path}"
    answer = requests.get(url, params={**query, "token": jupyter.token}, timeout=20)
    assert answer.status_code == 200, answer.text
    [received] = upstream.received
    assert jupyter.token not in str(received)
    assert received.path.partition("?")[2] == forwarded


def test_the_answer_streams_through_with_bounded_memory(upstream, jupyter) -> None:
    """200 MB from the tracking server reach the browser whole, and the Jupyter server
    never holds more than a few chunks of it."""
    size = 200 * 1024 * 1024
    upstream.reset("big", big_bytes=size, big_with_length=False)
    before = _peak_rss_bytes(jupyter.pid)
    received = 0
    with jupyter.session().get(_trace_url(jupyter), stream=True, timeout=60) as answer:
        assert answer.status_code == 200
        for chunk in answer.iter_content(1 << 20):
            received += len(chunk)
    growth_mb = (_peak_rss_bytes(jupyter.pid) - before) / 2**20
    assert received == size
    # measured: under 1 MB (592 MB when the answer was held whole)
    assert growth_mb < 16, f"the Jupyter server's peak memory grew {growth_mb:.0f} MB"


@pytest.fixture
def capped_jupyter(upstream, tmp_path):
    env = {"MLFLOW_TRACKING_URI": upstream.url, **CREDENTIALS}
    config = "c.MlflowTracesProxy.max_answer_bytes = 1000000\n"
    with jupyter_server(tmp_path, env, config=config) as server:
        yield server


def test_an_answer_over_the_size_cap_is_refused_clearly(upstream, capped_jupyter) -> None:
    upstream.reset("big", big_bytes=2_000_000, big_with_length=True)
    answer = capped_jupyter.session().get(_trace_url(capped_jupyter), timeout=20)
    assert answer.status_code == 502, answer.status_code
    assert answer.json()["error_code"] == "ANSWER_TOO_LARGE"
    assert "larger than the 1000000-byte limit" in answer.json()["message"]
    # Without a length, the cap is met mid-answer: the answer breaks off there.
    upstream.reset("big", big_bytes=2_000_000, big_with_length=False)
    with pytest.raises(requests.exceptions.RequestException):
        capped_jupyter.session().get(_trace_url(capped_jupyter), timeout=20).json()
    assert "larger than the 1000000-byte limit" in capped_jupyter.log.read_text()


def test_a_deny_all_authorizer_is_asked(upstream, tmp_path) -> None:
    env = {"MLFLOW_TRACKING_URI": upstream.url, **CREDENTIALS}
    config = "c.ServerApp.authorizer_class = 'deny_all.DenyAll'\n"
    upstream.reset("json")
    with jupyter_server(tmp_path, env, config=config) as jupyter:
        session = jupyter.session()
        assert session.get(f"{jupyter.url}api/contents").status_code == 403
        routes = [
            ("GET", "config", None),
            ("GET", f"proxy/api/3.0/mlflow/traces/{TRACE_ID}", None),
            ("GET", f"proxy/ajax-api/3.0/mlflow/get-trace-artifact?request_id={TRACE_ID}", None),
            ("POST", "proxy/api/3.0/mlflow/traces/search", {"locations": []}),
        ]
        for method, route, body in routes:
            answer = session.request(method, f"{jupyter.url}mlflow-traces/{route}", json=body)
            assert answer.status_code == 403, f"{method} {route}: {answer.status_code}"
    assert upstream.received == []


def test_no_credential_reaches_the_log(tmp_path) -> None:
    """A tracking server that is down: the log names it without user:password@."""
    with upstream_listener() as closed:
        url = closed.url
    uri = url.replace("http://", f"http://bob:{PASSWORD}@")
    with jupyter_server(tmp_path, {"MLFLOW_TRACKING_URI": uri}) as jupyter:
        answer = jupyter.session().get(_trace_url(jupyter), timeout=20)
        log = jupyter.log.read_text()
    assert answer.status_code == 502
    assert answer.json()["error_code"] == "TRACKING_SERVER_UNREACHABLE"
    assert "forwarding GET" in log, log[-2000:]
    assert PASSWORD not in log and PASSWORD not in answer.text
    assert url in log


def test_the_deadline_holds_while_the_browser_waits(upstream, jupyter) -> None:
    """An answer that never starts: a clear 504 at the deadline."""
    upstream.reset("hold")
    start = time.monotonic()
    answer = jupyter.session().get(_trace_url(jupyter), timeout=30)
    elapsed_s = time.monotonic() - start
    upstream.release.set()
    assert answer.status_code == 504, answer.text
    assert answer.json()["error_code"] == "TRACKING_SERVER_TIMEOUT"
    assert f"{DEADLINE_S} s" in answer.json()["message"]
    assert elapsed_s < DEADLINE_S + 2


def _assessment_url(jupyter) -> str:
    return f"{_trace_url(jupyter)}/assessments/a-{'0' * 32}"


def test_an_edit_waits_for_its_author_check_within_the_deadline(upstream, jupyter) -> None:
    """The assessment read before a PATCH is held: a clear 504 at the deadline, the
    PATCH never sent, and Jupyter's own API answers meanwhile."""
    upstream.reset("hold")
    edit = {"assessment": {"feedback": {"value": 1}}, "update_mask": "feedback"}
    with ThreadPoolExecutor(1) as pool:
        start = time.monotonic()
        patched = pool.submit(jupyter.session().patch, _assessment_url(jupyter), json=edit)
        wait_for_requests(upstream, 1, timeout_s=5)
        assert jupyter.session().get(f"{jupyter.url}api/status", timeout=5).ok
        answer = patched.result(timeout=30)
    elapsed_s = time.monotonic() - start
    upstream.release.set()
    assert answer.status_code == 504, answer.text
    assert elapsed_s < DEADLINE_S + 2
    assert [r.method for r in upstream.received] == ["GET"]


def test_an_edit_is_refused_when_the_server_names_no_author(upstream, jupyter) -> None:
    """An answer that is not an assessment (a listener's JSON): nothing is written."""
    upstream.reset("json")
    answer = jupyter.session().delete(_assessment_url(jupyter), timeout=20)
    assert answer.status_code == 403, answer.text
    assert answer.json()["error_code"] == "NOT_YOUR_ASSESSMENT"
    assert [(r.method, r.path.partition("?")[0]) for r in upstream.received] == [
        ("GET", f"/api/3.0/mlflow/traces/{TRACE_ID}/assessments/a-{'0' * 32}")
    ]
    assert "Basic" in upstream.received[0].headers.get("Authorization", "")  # signed as the write
    assert PASSWORD not in answer.text


def test_a_label_over_the_size_cap_is_refused_before_anything_is_sent(upstream, jupyter) -> None:
    """A 2 MiB rationale: 413 at once (no parsing of it on the Jupyter server's loop),
    nothing forwarded; Jupyter's own config sets the cap."""
    upstream.reset("json")
    label = {
        "assessment": {
            "assessment_name": "big",
            "feedback": {"value": True},
            "rationale": "x" * (2 * 2**20),
        }
    }
    session = jupyter.session()
    for method, path, body in [
        ("POST", "assessments", label),
        ("PATCH", f"assessments/a-{'0' * 32}", {**label, "update_mask": "rationale"}),
        ("PATCH", "tags", {"key": "k", "value": "x" * (2 * 2**20)}),
    ]:
        answer = session.request(method, f"{_trace_url(jupyter)}/{path}", json=body, timeout=20)
        assert answer.status_code == 413, f"{method} {path}: {answer.text[:300]}"
        assert answer.json()["error_code"] == "REQUEST_TOO_LARGE"
        assert "larger than the 1048576-byte limit" in answer.json()["message"]
        assert "MlflowTracesProxy.max_label_bytes" in answer.json()["message"]
    assert upstream.received == []
    # a label under the cap goes through
    label["assessment"]["rationale"] = "x" * 1000
    assert session.post(f"{_trace_url(jupyter)}/assessments", json=label).status_code == 200
    assert [r.method for r in upstream.received] == ["POST"]


def test_an_author_check_over_its_size_cap_is_refused_clearly(upstream, jupyter) -> None:
    """The assessment read before an edit is held to a small cap of its own (it is
    parsed on the loop), not to the answers' 512 MiB: a clear 502, nothing written."""
    upstream.reset("big", big_bytes=3 * 2**20, big_with_length=False)
    answer = jupyter.session().delete(_assessment_url(jupyter), timeout=20)
    assert answer.status_code == 502, answer.text[:300]
    assert answer.json()["error_code"] == "ANSWER_TOO_LARGE"
    message = answer.json()["message"]
    assert "to check who wrote it" in message and "2097152-byte limit" in message
    assert [r.method for r in upstream.received] == ["GET"]
