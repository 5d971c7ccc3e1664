"""The trace-summary references (contract/examples/trace-summary) validate
against the schema, the Python fallbacks write their goldens
(contract/goldens/trace-summary, made by scripts/make-goldens.mjs from the
TypeScript fallbacks) byte for byte, the bundles that break the schema
(contract/invalid/trace-summary.json) get the goldens' fallbacks too, and
the hostile references' strings stay text: hostile.json's query and note,
hostile-parts.json's segments, assessment names and values, span names
and types, span budgets and violations.

The goldens' format is prettier's JSON of ``{"text/html", "text/plain"}``
(``python test/python/test_summary_goldens.py`` writes the same bytes).
"""

from __future__ import annotations

import json
import re
import subprocess
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


#: Bundles that break the schema, each with the TypeScript decoder's error (no Python
#: decoder reads a summary; the fallbacks of each are still written, as for any payload).
INVALID = load_json(CONTRACT / "invalid" / f"{KIND}.json")


@pytest.mark.parametrize("case", INVALID, ids=[case["name"] for case in INVALID])
def test_invalid_bundles_get_the_goldens_fallbacks(case):
    assert schema_errors(KIND, case["bundle"]) != []
    golden = load_json(CONTRACT / "goldens" / "invalid" / f"{KIND}.json")[case["name"]]
    assert case["error"] in golden["errors"]  # the decoder names the field
    written = fallbacks(case["bundle"])
    assert written["text/plain"] == golden["text/plain"]
    assert written["text/html"] == golden["text/html"]


def test_the_hostile_parts_stay_text():
    payload = load_json(CONTRACT / "examples" / KIND / "hostile-parts.json")
    html = fallbacks(payload)["text/html"]
    markup = Markup()
    markup.feed(html)
    assert markup.tags <= TAGS
    assert markup.attributes <= ATTRIBUTES
    assert "<a " not in html and "<script" not in html and "<img" not in html
    text = "".join(markup.text)
    hostile = [
        *(s["value"] for s in payload["segments"] if s["value"] is not None),
        *(q["name"] for q in payload["quality"]),
        *(row["key"] for rows in payload["spans"].values() for row in rows),
    ]
    for value in hostile:
        assert value[:50] in text, value  # shown (cut to 60 characters), as text
    assert payload["query"]["group_by"]["key"][:20] in text
    # every SVG attribute is a constant or a number: no payload text in one
    attributes = re.findall(r' [a-zA-Z-]+="([^"]*)"', html)
    assert all(re.fullmatch(r"[-\w.,:/#() ]*", value) for value in attributes), attributes


class Events(HTMLParser):
    """An HTML string as start tags (with attributes), end tags and text, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[tuple] = []

    def handle_starttag(self, tag, attrs):
        self.events.append(("start", tag, tuple(sorted(attrs))))  # a serializer may sort them

    def handle_endtag(self, tag):
        self.events.append(("end", tag))

    def handle_data(self, data):
        self.events.append(("text", data))


def events(html: str) -> list[tuple]:
    parser = Events()
    parser.feed(html)
    parser.close()
    return parser.events


def test_an_nbconvert_html_export_shows_the_fallback_as_written(tmp_path):
    """nbconvert writes the text/html output (the renderer's MIME type is unknown
    to it) re-serialized but the same elements, attributes and text: the charts
    and tables, the hostile strings as text, no script among them."""
    import nbformat

    payload = load_json(CONTRACT / "examples" / KIND / "hostile-parts.json")
    data = summary_bundle(payload)
    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("summarize(group_by='tags.version')")
    cell.outputs = [nbformat.v4.new_output("display_data", data=data)]
    notebook.cells = [cell]
    path = tmp_path / "summary.ipynb"
    nbformat.write(notebook, path)
    jupyter = Path(sys.executable).parent / "jupyter"
    subprocess.run([str(jupyter), "nbconvert", "--to", "html", str(path)],
                   check=True, capture_output=True, timeout=120)  # fmt: skip
    exported = events((tmp_path / "summary.html").read_text(encoding="utf-8"))
    ours = events(data["text/html"])
    start = exported.index(ours[0])
    assert exported[start : start + len(ours)] == ours
    tags = {event[1] for event in ours if event[0] == "start"}
    assert {"svg", "rect", "polyline", "table"} <= tags and "script" not in tags
    text = "".join(event[1] for event in ours if event[0] == "text")
    assert payload["segments"][0]["value"] in text


def write_goldens() -> None:
    GOLDENS.mkdir(parents=True, exist_ok=True)
    for path in REFERENCES:
        (GOLDENS / path.name).write_text(golden_text(load_json(path)), encoding="utf-8")
        print(f"wrote {(GOLDENS / path.name).relative_to(CONTRACT.parent)}")


if __name__ == "__main__":
    write_goldens()
