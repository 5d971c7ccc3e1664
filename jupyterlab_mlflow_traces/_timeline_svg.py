"""The trace fallback's timeline strip: one bar per span row, time on x, the
critical path underlined; a script-free inline SVG, byte for byte as
``src/bundle/timelinesvg.ts`` draws it.

#### Notes
Written with the escaping builder: span names and types are escaped text (in
``title`` and ``text`` elements), every attribute a number or a constant of
closed sets (no class, no style, no link), so GitHub and nbviewer show it as
drawn and a hostile name stays text. Coordinates are integers (``js_round``
of one float expression of the trace model's milliseconds), so both
languages write the same bytes.
"""

from __future__ import annotations

from ._critical_path import (
    CriticalPath,
    contributors_text,
    critical_path,
    format_percent,
    start_offsets_ms,
    top_contributors,
)
from ._format import MAX_NAME_CHARS, MAX_TYPE_CHARS, format_duration_ms, one_line, plural
from ._js import ellipsize, js_round
from ._model import Node, Trace
from ._summary_fallback_charts import SvgWriter

#: Bars drawn at most per trace; the other spans are counted below them.
MAX_TIMELINE_BARS = 200
#: The span types MLflow names (``SPAN_TYPES``); any other draws as UNKNOWN.
TYPE_FILLS = {
    "LLM": "#1976d2", "CHAT_MODEL": "#1976d2", "AGENT": "#7b1fa2", "CHAIN": "#0097a7",
    "TOOL": "#f57c00", "RETRIEVER": "#388e3c", "RERANKER": "#388e3c", "EMBEDDING": "#689f38",
    "PARSER": "#689f38", "MEMORY": "#5d4037", "UNKNOWN": "#9e9e9e",
}  # fmt: skip
#: Fill of a failed span's bar.
ERROR_FILL = "#d32f2f"
#: The critical path's underline: the text colour, so it shows on dark pages too.
CRITICAL_FILL = "currentColor"

_WIDTH = 640
_LEFT = 4
_PLOT_W = _WIDTH - 2 * _LEFT
_HEAD = 16
_ROW_H = 7
_BAR_H = 4
_LINE_Y = 5
_LINE_H = 2
_FOOT = 14
_MAX_CONTRIBUTOR_CHARS = 40


def row_duration_ms(node: Node, open_end_ns: float | None) -> float:
    """A span's duration as its row and its bar show it: a span with no end to
    ``open_end_ns`` when the trace is live (None: as the tree measures it)."""
    if node.span.in_progress and open_end_ns is not None:
        return max(0, open_end_ns - node.span.start_ns) / 1e6
    return node.duration_ms


def _x(ms: float, extent_ms: float) -> int:
    """The x of ``ms`` on a scale from 0 to ``extent_ms``, within the plot."""
    if not extent_ms > 0:
        return _LEFT
    clamped = min(max(ms, 0.0), extent_ms)
    return _LEFT + int(js_round(clamped * _PLOT_W / extent_ms))


def _caption(path: CriticalPath, extent_ms: float) -> str:
    """The trace's extent, then the top contributors to the path."""
    top = top_contributors(path)
    for entry in top:
        entry.name = ellipsize(one_line(entry.name), _MAX_CONTRIBUTOR_CHARS)
    text = f"Timeline, {format_duration_ms(extent_ms)}"
    return f"{text}; critical path (underlined): {contributors_text(top)}" if top else text


def _bar_title(node: Node, path: CriticalPath, open_spans: tuple[str, float | None]) -> str:
    """A bar's title: name, type, duration, and its share of the path."""
    span = node.span
    name = ellipsize(one_line(span.name), MAX_NAME_CHARS) or "(unnamed)"
    span_type = ellipsize(one_line(span.span_type), MAX_TYPE_CHARS)
    open_status, open_end_ns = open_spans
    title = f"{name} ({span_type}) {format_duration_ms(row_duration_ms(node, open_end_ns))}"
    if span.in_progress:
        title += f", {open_status.lower()}"
    if span.error:
        title += ", error"
    share_ms = path.share_ms_by_span.get(span.span_id)
    if share_ms is not None:
        share = share_ms / path.total_ms if path.total_ms > 0 else 0
        title += f", on the critical path ({format_percent(share)} of it)"
    return title


def write_timeline_svg(
    w: SvgWriter, trace: Trace, rows: list[Node], open_spans: tuple[str, float | None]
) -> None:
    """The timeline strip of ``rows`` (the first MAX_TIMELINE_BARS are drawn): a
    bar per span coloured by type (failed ones red), the critical path's window
    of each span on it underlined, a title per bar; a span with no end measured
    and named as its row (``open_spans``: status, end ns); nothing with no span."""
    if not rows:
        return
    offset = start_offsets_ms(trace)
    path = critical_path(trace, offset)
    open_end_ns = open_spans[1]
    end_ms = {
        node: offset[node] + row_duration_ms(node, open_end_ns) for node in trace.nodes_in_order
    }
    extent_ms = max([path.end_ms, *end_ms.values()])
    bars = rows[:MAX_TIMELINE_BARS]
    hidden = len(trace.nodes_in_order) - len(bars)
    height = _HEAD + len(bars) * _ROW_H + (_FOOT if hidden > 0 else 2)
    # In <code>: JupyterLab typesets math in HTML outputs, and MathJax skips code
    w.open("div").open("code")
    w.svg("svg", xmlns="http://www.w3.org/2000/svg", width=_WIDTH, height=height,
          view_box=f"0 0 {_WIDTH} {height}", role="img",
          aria_label="Timeline of the spans, the critical path underlined")  # fmt: skip
    w.svg("text", x=_LEFT, y=11, font_size=10, fill="currentColor")
    w.text(_caption(path, extent_ms)).close()
    for i, node in enumerate(bars):
        y = _HEAD + i * _ROW_H
        x = _x(offset[node], extent_ms)
        width = max(_x(end_ms[node], extent_ms) - x, 1)
        span = node.span
        fill = ERROR_FILL if span.error else TYPE_FILLS.get(span.span_type, TYPE_FILLS["UNKNOWN"])
        w.svg("rect", x=x, y=y, width=width, height=_BAR_H, fill=fill)
        w.svg("title").text(_bar_title(node, path, open_spans)).close()
        w.close()
        on_path = path.window_by_span.get(span.span_id)
        if on_path is not None:
            line_x = _x(on_path[0], extent_ms)
            line_width = max(_x(on_path[1], extent_ms) - line_x, 1)
            w.svg("rect", x=line_x, y=y + _LINE_Y, width=line_width, height=_LINE_H,
                  fill=CRITICAL_FILL).close()  # fmt: skip
    if hidden > 0:
        y = _HEAD + len(bars) * _ROW_H + 11
        w.svg("text", x=_LEFT, y=y, font_size=10, fill="currentColor")
        w.text(f"+{plural(hidden, 'more span')}").close()
    w.close().close().close()
