"""The trace fallback's timeline strip in Python (``_timeline_svg.py``) and
its critical path twin (``_critical_path.py``): hand-built shapes, a
well-formed script-free SVG of closed sets, the XSS corpus as text, and the
same bytes as the TypeScript strip on generated trees of every shape the
critical path meets (parallel, overlapping, past the parent, clock skew,
running, several roots, ties, zero lengths, more than 200 spans)."""

from __future__ import annotations

import json
import random
import re
import shutil
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from jupyterlab_mlflow_traces._critical_path import (
    contributors_text,
    critical_path,
    top_contributors,
)
from jupyterlab_mlflow_traces._format import one_line
from jupyterlab_mlflow_traces._js import ellipsize
from jupyterlab_mlflow_traces._model import build_trace
from jupyterlab_mlflow_traces._timeline_svg import (
    CRITICAL_FILL,
    ERROR_FILL,
    MAX_TIMELINE_BARS,
    TYPE_FILLS,
)
from jupyterlab_mlflow_traces.fallback import render_trace_html

from contract_files import ROOT, typescript_renders

BASE_NS = 1_795_464_932_477_000_000
SVG = "{http://www.w3.org/2000/svg}"
SVG_TAGS = {"svg", "rect", "text", "title"}
SVG_ATTRIBUTES = {"xmlns", "width", "height", "viewBox", "role", "aria-label", "x", "y", "fill",
                  "font-size"}  # fmt: skip
#: The opening tags the strip writes, each whole: numbers and constants only.
TIMELINE_STRIP_TAG = re.compile(
    r'<svg xmlns="http://www\.w3\.org/2000/svg" width="640" height="\d+" '
    r'viewBox="0 0 640 \d+" role="img" '
    r'aria-label="Timeline of the spans, the critical path underlined">'
    r'|<text x="\d+" y="\d+" font-size="10" fill="currentColor">'
    r'|<rect x="\d+" y="\d+" width="\d+" height="\d+" fill="(#[0-9a-f]{6}|currentColor)">'
    r"|<title>"
)
PAYLOADS = [
    p["payload"]
    for p in json.loads((ROOT / "test/fixtures/xss-payloads.json").read_text("utf-8"))["payloads"]
]


def span(sid, parent=None, start=0.0, end=10.0, name=None, kind=None, error=False) -> dict:
    """A span dict, times in ms from BASE_NS (``end`` None: still running)."""
    attributes = {} if kind is None else {"mlflow.spanType": json.dumps(kind)}
    return {
        "trace_id": "Fzp/l5Xz9Sr/QYhZIM2AWw==", "span_id": sid, "parent_span_id": parent,
        "name": sid if name is None else name,
        "start_time_unix_nano": BASE_NS + int(start * 1e6),
        "end_time_unix_nano": None if end is None else BASE_NS + int(end * 1e6),
        "status": {"code": "STATUS_CODE_ERROR" if error else "STATUS_CODE_OK", "message": ""},
        "attributes": attributes, "events": [],
    }  # fmt: skip


def path_of(spans: list[dict]):
    return critical_path(build_trace({"state": "OK"}, spans))


def segments(path) -> list[str]:
    return [f"{s.span_id or '-'} {round(s.start_ms, 3):g}-{round(s.end_ms, 3):g}"
            for s in path.segments]  # fmt: skip


# The hand-built shapes of test/unit/trace/criticalpath.spec.ts, same answers


def test_sequential_children_each_in_turn():
    path = path_of([span("root", None, 0, 100), span("a", "root", 10, 40),
                    span("b", "root", 50, 90)])  # fmt: skip
    assert segments(path) == ["root 0-10", "a 10-40", "root 40-50", "b 50-90", "root 90-100"]
    shares = {k: round(v, 3) for k, v in path.share_ms_by_span.items()}
    assert shares == {"root": 30, "a": 30, "b": 40}


def test_parallel_children_only_the_one_ending_last():
    path = path_of([span("root", None, 0, 100), span("a", "root", 10, 60),
                    span("b", "root", 10, 90)])  # fmt: skip
    assert segments(path) == ["root 0-10", "b 10-90", "root 90-100"]
    assert list(path.window_by_span) == ["root", "b"]


def test_overlapping_child_ending_after_the_cursor_is_not_waited_on():
    path = path_of([span("root", None, 0, 100), span("c", "root", 0, 30),
                    span("a", "root", 5, 50), span("b", "root", 40, 80)])  # fmt: skip
    assert segments(path) == ["c 0-30", "root 30-40", "b 40-80", "root 80-100"]
    assert list(path.window_by_span) == ["root", "b", "c"]


def test_child_past_its_parent_and_clock_skew_are_clipped():
    past = path_of([span("root", None, 0, 50), span("late", "root", 25, 100)])
    assert past.window_by_span["late"] == pytest.approx((25, 50), abs=1e-3)
    skew = path_of([span("root", None, 10, 100), span("early", "root", 0, 40)])
    assert skew.window_by_span["early"] == pytest.approx((10, 40), abs=1e-3)
    before = path_of([span("root", None, 50, 100), span("gone", "root", 0, 40)])
    assert "gone" not in before.window_by_span


def test_several_roots_walk_the_extent_and_leave_idle_time():
    path = path_of([span("r1", None, 0, 30), span("r2", None, 50, 100)])
    assert segments(path) == ["r1 0-30", "- 30-50", "r2 50-100"]
    assert round(path.idle_ms, 3) == 20


def test_zero_length_and_empty_traces():
    assert path_of([span("root", None, 5, 5)]).total_ms == 0
    assert top_contributors(path_of([span("root", None, 5, 5)])) == []
    empty = critical_path(build_trace({}, []))
    assert (empty.segments, empty.total_ms) == ([], 0)


def test_a_deep_chain_is_walked_without_recursion():
    spans = [span(f"s{i}", f"s{i - 1}" if i else None, i * 0.001, 100) for i in range(20_000)]
    path = path_of(spans)
    assert len(path.window_by_span) == 20_000


def test_top_contributors_sum_a_name_and_order_by_share_then_name():
    path = path_of([span("root", None, 0, 100, name="agent"), span("a", "root", 10, 40, name="llm"),
                    span("b", "root", 50, 90, name="llm")])  # fmt: skip
    assert contributors_text(top_contributors(path)) == "llm 70%, agent 30%"
    tie = path_of([span("root", None, 0, 100, name="😀"), span("a", "root", 0, 50, name="ﬁ")])
    # JavaScript orders by UTF-16 units: U+FB01 before a surrogate pair
    assert [c.name for c in top_contributors(tie)] == ["ﬁ", "😀"]


# The strip


def strip_of(page: str) -> ET.Element:
    """The strip parsed as a standalone SVG document (XML: must be well-formed)."""
    start, end = page.index("<svg"), page.index("</svg>") + len("</svg>")
    assert page.find("<svg", start + 1) == -1
    root = ET.fromstring(page[start:end])
    assert root.tag == f"{SVG}svg"
    for el in root.iter():
        assert el.tag.startswith(SVG) and el.tag[len(SVG) :] in SVG_TAGS
        assert set(el.attrib) <= SVG_ATTRIBUTES
    return root


def bars(root: ET.Element) -> list[dict]:
    """Each bar with its title and underline, in row order."""
    out: list[dict] = []
    for rect in root.iter(f"{SVG}rect"):
        title = rect.find(f"{SVG}title")
        box = {"x": int(rect.get("x")), "width": int(rect.get("width"))}
        if title is not None:
            out.append({"title": title.text or "", "fill": rect.get("fill"), **box, "line": None})
        else:
            assert rect.get("fill") == CRITICAL_FILL and out[-1]["line"] is None
            out[-1]["line"] = box
    return out


def html(spans: list[dict], max_rows: int = 500) -> str:
    bundle = {"version": 1, "traces": [{"trace_id": "tr-1", "info": {"state": "OK"},
                                        "spans": spans}]}  # fmt: skip
    return render_trace_html(bundle, max_rows_per_trace=max_rows)


PARALLEL = [
    span("root", None, 0, 100, kind="AGENT"), span("a", "root", 10, 60, kind="TOOL"),
    span("b", "root", 10, 90, kind="LLM"), span("c", "b", 20, 50, kind="custom", error=True),
]  # fmt: skip


def test_the_strip_is_well_formed_and_free_of_script_links_and_style():
    page = html(PARALLEL)
    strip_of(page)
    markup = page[page.index("<svg") : page.index("</svg>")]
    assert not re.search(r"<script|<style|<foreignObject|<a[\s>]|<image|<use", markup, re.I)
    assert not re.search(r"\son\w+=|href|class=|style=|url\(", markup, re.I)


def test_bars_by_time_and_the_critical_path_underlined_on_its_spans():
    found = bars(strip_of(html(PARALLEL)))
    assert [(b["x"], b["width"]) for b in found] == [(4, 632), (67, 316), (67, 506), (130, 190)]
    assert [b["title"].split(" ")[0] for b in found if b["line"]] == ["root", "b", "c"]
    assert found[2]["line"] == {"x": 67, "width": 506}
    assert found[1]["title"] == "a (TOOL) 50 ms"
    assert found[3]["title"] == "c (custom) 30 ms, error, on the critical path (30% of it)"
    assert [b["fill"] for b in found] == [TYPE_FILLS["AGENT"], TYPE_FILLS["TOOL"],
                                          TYPE_FILLS["LLM"], ERROR_FILL]  # fmt: skip
    caption = strip_of(html(PARALLEL)).find(f"{SVG}text").text
    assert caption == "Timeline, 100 ms; critical path (underlined): b 50%, c 30%, root 20%"


def test_the_strip_caps_at_200_bars_and_counts_the_rest():
    spans = [span("root", None, 0, 1000)]
    spans += [span(f"s{i}", "root", i * 3, i * 3 + 2) for i in range(1, 250)]
    root = strip_of(html(spans, 10_000))
    assert len(bars(root)) == MAX_TIMELINE_BARS
    assert list(root.iter(f"{SVG}text"))[-1].text == "+50 more spans"
    assert root.get("height") == str(16 + 200 * 7 + 14)
    assert len(bars(strip_of(html(spans, 10)))) == 10
    assert "<svg" not in html([])
    # In <code>: JupyterLab typesets math in HTML outputs, and MathJax skips code
    assert "<div><code><svg " in html(spans) and "</svg></code></div>" in html(spans)


class _Tags(HTMLParser):
    """Every element and attribute inside the strip, as a browser's HTML parser reads it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.tags: list[tuple[str, list[str]]] = []
        self.titles: list[str] = []
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        if tag == "svg" or self.depth:
            self.depth += 1
            self.tags.append((tag, [name for name, _ in attrs]))
            self._in_title = tag == "title"
            if self._in_title:
                self.titles.append("")

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.titles[-1] += data


def test_the_xss_corpus_on_the_critical_path_stays_text():
    spans = [span("root", None, 0, 10 * len(PAYLOADS) + 10)]
    for i, payload in enumerate(PAYLOADS):
        spans.append(span(f"p{i}", "root", 10 * i + 5, 10 * i + 6 + i % 7, name=payload,
                          kind=payload))  # fmt: skip
    page = html(spans)
    parser = _Tags()
    parser.feed(page)
    assert {tag for tag, _ in parser.tags} <= {"svg", "rect", "text", "title"}
    assert {name.lower() for _, names in parser.tags for name in names} <= {
        a.lower() for a in SVG_ATTRIBUTES
    }
    assert len(parser.titles) == len(PAYLOADS) + 1
    strip = page[page.index("<svg") : page.index("</svg>")]
    for tag in re.findall(r"<[a-zA-Z][^>]*>", strip):
        assert TIMELINE_STRIP_TAG.fullmatch(tag), tag
    for payload, title in zip(PAYLOADS, parser.titles[1:], strict=True):
        name = ellipsize(one_line(payload), 120) or "(unnamed)"
        assert title.startswith(f"{name} ({ellipsize(one_line(payload), 40)}) ")
        assert "on the critical path" in title


# The same bytes as TypeScript on generated shapes

SHAPES = [1, 2, 3, 8, 30, 250]
NAMES = ["agent", "llm", "tool", "", "😀", "ﬁ", "<b>x</b>", "a & b", "x" * 60]
TYPES = ["LLM", "TOOL", "AGENT", "RETRIEVER", "CHAIN", "custom", "__proto__", None]


def generated_tree(rng: random.Random, count: int) -> list[dict]:
    spans = []
    for i in range(count):
        roots = rng.random() < 0.05
        parent = None if i == 0 or roots else rng.randrange(i)
        base = 0 if parent is None else spans[parent]["_start"]
        start = base + rng.choice([0, 0, 1, 5, 10, -3, 0.5, 1e-3]) * rng.randrange(1, 20)
        length = rng.choice([0, 1, 2.5, 10, 40, 100, 1e-4]) * rng.randrange(1, 10)
        end = None if rng.random() < 0.03 else start + length
        if parent is not None and rng.random() < 0.1:
            end = spans[parent]["end_time_unix_nano"]  # a tie with the parent's end
            end = None if end is None else (end - BASE_NS) / 1e6
        item = span(f"{0xABC000 + i:016x}", None if parent is None else f"{0xABC000 + parent:016x}",
                    start, end, name=rng.choice(NAMES), kind=rng.choice(TYPES),
                    error=rng.random() < 0.1)  # fmt: skip
        item["_start"] = start
        spans.append(item)
    for item in spans:
        del item["_start"]
    return spans


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node")
def test_python_and_typescript_strips_agree_on_generated_trees(tmp_path):
    rng = random.Random(20261207)
    items = []
    for n in range(160):
        spans = generated_tree(rng, rng.choice(SHAPES))
        entry = {"trace_id": f"tr-{n}", "info": {"state": "OK"}, "spans": spans}
        if n % 4 == 1:  # live: spans with no end measured to the update or the cut
            at_ms = BASE_NS / 1e6 + rng.choice([0, 50, 500, 5000])
            entry["info"]["state"] = "IN_PROGRESS"
            entry["live"] = {"status": "running", "updated_unix_ms": int(at_ms),
                             "update_every_ms": 2000, "sequence": 3}  # fmt: skip
            if rng.random() < 0.5:
                entry["live"]["status"] = "interrupted"
                entry["live"]["interrupted_at_unix_nano"] = int(at_ms * 1e6) + 123
        items.append({"kind": "trace", "data": {"version": 1, "traces": [entry]}})
    expected = typescript_renders(items, tmp_path)
    underlined = off_path = capped = live_open = 0
    for i, (item, golden) in enumerate(zip(items, expected, strict=True)):
        assert golden is not None, f"item {i}: the TypeScript fallbacks threw"
        page = render_trace_html(item["data"])
        assert page == golden["text/html"], f"item {i}: {json.dumps(item['data'])}"
        lines = page.count('fill="currentColor"></rect>')
        underlined += lines > 1
        off_path += page.count("<title>") > lines
        capped += "more spans</text>" in page
        live_open += ", cut off" in page or ", running" in page
    print(f"{underlined} chains, {off_path} off the path, {capped} capped, {live_open} live")
    assert underlined > 60
    assert off_path > 40
    assert capped > 10
    assert live_open > 5
