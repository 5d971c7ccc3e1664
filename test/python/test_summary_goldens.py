"""The trace-summary references (contract/examples/trace-summary) validate
against the schema, the Python fallbacks write their goldens
(contract/goldens/trace-summary) byte for byte, and the hostile one's
strings stay text.

Until the TypeScript fallbacks exist, this module writes the goldens:

    python test/python/test_summary_goldens.py

(the same format as scripts/make-goldens.mjs writes: prettier's JSON of
``{"text/html", "text/plain"}``). 'trace-summary' joins KINDS in
contract_files.py and make-goldens.mjs when the TypeScript port matches them.
"""

from __future__ import annotations

import json
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from jupyterlab_mlflow_traces.summary import summary_bundle  # noqa: E402

from contract_files import CONTRACT, examples, load_json, schema_errors  # noqa: E402

KIND = "trace-summary"
GOLDENS = CONTRACT / "goldens" / KIND
#: Elements and attributes the summary's text/html may hold.
TAGS = {"div", "style", "p", "svg", "g", "title", "rect", "polyline", "circle", "text",
        "table", "thead", "tbody", "tr", "th", "td"}  # fmt: skip
ATTRIBUTES = {"class", "xmlns", "width", "height", "viewbox", "role", "aria-label", "x", "y",
              "cx", "cy", "r", "fill", "stroke", "stroke-width", "points", "font-size",
              "text-anchor"}  # fmt: skip


def fallbacks(payload: dict) -> dict:
    data = summary_bundle(payload)
    return {"text/html": data["text/html"], "text/plain": data["text/plain"]}


def golden_text(payload: dict) -> str:
    """A golden file's text, as prettier writes JSON.stringify of it."""
    return json.dumps(fallbacks(payload), indent=2, ensure_ascii=False) + "\n"


REFERENCES = examples(KIND)


@pytest.mark.parametrize("path", REFERENCES, ids=[path.stem for path in REFERENCES])
def test_references_validate(path):
    assert schema_errors(KIND, load_json(path)) == []


@pytest.mark.parametrize("path", REFERENCES, ids=[path.stem for path in REFERENCES])
def test_reference_fallbacks_equal_the_goldens(path):
    golden = load_json(GOLDENS / path.name)
    written = fallbacks(load_json(path))
    for mime in ("text/plain", "text/html"):
        assert written[mime] == golden[mime], f"{path.name} {mime}"
    assert (GOLDENS / path.name).read_text(encoding="utf-8") == golden_text(load_json(path))


class Markup(HTMLParser):
    """The tags, attribute names and text of an HTML string."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.attributes: set[str] = set()
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attributes.update(name for name, _ in attrs)

    def handle_data(self, data):
        self.text.append(data)


def test_the_hostile_reference_stays_text():
    payload = load_json(CONTRACT / "examples" / KIND / "hostile.json")
    html = fallbacks(payload)["text/html"]
    markup = Markup()
    markup.feed(html)
    assert markup.tags <= TAGS
    assert markup.attributes <= ATTRIBUTES
    assert "<a " not in html  # no link: not the tracking URI, not a URL in a note
    text = "".join(markup.text)
    script = "<script>window.__xss=(window.__xss||0)+1</script>"
    assert script in payload["query"]["filter"] and script in payload["source_note"]
    for hostile in [*payload["query"]["experiment_ids"][:3], script, '<a href="javascript']:
        assert hostile in text  # shown, as text
    assert payload["tracking_uri"] not in text  # the server is not named, nor linked
    assert "&lt;script&gt;" in html and "<script" not in html


def write_goldens() -> None:
    GOLDENS.mkdir(parents=True, exist_ok=True)
    for path in REFERENCES:
        (GOLDENS / path.name).write_text(golden_text(load_json(path)), encoding="utf-8")
        print(f"wrote {(GOLDENS / path.name).relative_to(CONTRACT.parent)}")


if __name__ == "__main__":
    write_goldens()
