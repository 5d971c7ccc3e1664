"""The Python fallbacks write the golden text/html and text/plain of every
reference bundle byte for byte, as the TypeScript fallbacks do
(goldens made by scripts/make-goldens.mjs)."""

from __future__ import annotations

import pytest

from jupyterlab_mlflow_traces._decode import decode_trace_bundle, decode_trace_list_bundle
from jupyterlab_mlflow_traces._summary_fallback import render_summary_html, render_summary_text
from jupyterlab_mlflow_traces.fallback import (
    render_trace_html,
    render_trace_list_html,
    render_trace_list_text,
    render_trace_text,
)

from contract_files import CONTRACT, KINDS, examples, load_json


def fallbacks(kind: str, data) -> dict:
    if kind == "trace-summary":
        return {"text/html": render_summary_html(data), "text/plain": render_summary_text(data)}
    if kind == "trace":
        return {"text/html": render_trace_html(data), "text/plain": render_trace_text(data)}
    return {"text/html": render_trace_list_html(data), "text/plain": render_trace_list_text(data)}


REFERENCES = [(kind, path) for kind in KINDS for path in examples(kind)]


@pytest.mark.parametrize(
    ("kind", "path"), REFERENCES, ids=[f"{kind}/{path.stem}" for kind, path in REFERENCES]
)
def test_reference_fallbacks_equal_the_goldens(kind, path):
    golden = load_json(CONTRACT / "goldens" / kind / path.name)
    written = fallbacks(kind, load_json(path))
    for mime in ("text/plain", "text/html"):
        assert written[mime] == golden[mime], f"{kind}/{path.name} {mime}"


#: Kinds with invalid bundles in contract/invalid that a Python decoder reads (no Python
#: decoder reads a summary: test_summary_goldens.py checks its invalid bundles' fallbacks).
INVALID_KINDS = [
    kind
    for kind in KINDS
    if kind != "trace-summary" and (CONTRACT / "invalid" / f"{kind}.json").exists()
]
INVALID = [
    (kind, case)
    for kind in INVALID_KINDS
    for case in load_json(CONTRACT / "invalid" / f"{kind}.json")
]


@pytest.mark.parametrize(
    ("kind", "case"), INVALID, ids=[f"{kind}/{case['name']}" for kind, case in INVALID]
)
def test_invalid_bundles_get_the_same_errors_and_fallbacks(kind, case):
    golden = load_json(CONTRACT / "goldens" / "invalid" / f"{kind}.json")[case["name"]]
    decode = decode_trace_bundle if kind == "trace" else decode_trace_list_bundle
    decoded = decode(case["bundle"])
    # a part the decoder leaves out and renders without (a bad live) names a warning
    if "warning" in case:
        assert case["warning"] in decoded.warnings
    else:
        assert case["error"] in decoded.errors
    assert decoded.errors == golden["errors"]
    assert decoded.warnings == golden["warnings"]
    if golden["text/html"] is None:
        return  # an array is the TypeScript fallbacks' list of traces, not a bundle
    written = fallbacks(kind, case["bundle"])
    assert written["text/plain"] == golden["text/plain"]
    assert written["text/html"] == golden["text/html"]
