"""Where time and cost go, in the trace summary's text/html fallback: for span
names, then span types, bars of each row's share of the time and of the cost,
then the table as ranked; byte for byte as ``src/bundle/summaryfallbackspans.ts``.

#### Notes
Span names and types are escaped text (in ``text`` and ``title`` elements and
table cells); every SVG attribute is a number or a constant.
"""

from __future__ import annotations

from typing import Any

from ._format import format_count, format_duration_ms
from ._html import CLS
from ._js import js_round
from ._summary_fallback_charts import COLOURS, SvgWriter
from ._summary_fallback_sections import header_row, object_list, violations_of
from ._summary_fallback_text import finite, label, money_text, or_else, share_text

_SPAN_COLUMNS = ["#", "Count", "Errors", "p50", "p90", "Total time", "Share of time", "Cost",
                 "Share of cost"]  # fmt: skip
_WIDTH, _HEAD, _ROW_H, _BAR_X, _BAR_W = 640, 16, 18, 208, 424
#: Longest span name or type beside a bar, in UTF-16 code units.
_MAX_BAR_LABEL_CHARS = 32


def _broken_rows(payload: dict) -> set[str]:
    """The span rows whose p90 broke a span budget: ``span_name:key``, ``span_type:key``."""
    return {
        f"{v.get('span_field')}:{v.get('subject')}"
        for v in violations_of(payload)
        if v.get("budget") == "span_p90_ms"
    }


def _bar(w: SvgWriter, share: Any, top: float, y: int, height: int, fill: str) -> None:
    """A bar of ``share`` on the scale to ``top``, when there is a share to draw."""
    if finite(share) and share > 0:
        width = max(int(js_round(share * _BAR_W / top)), 1)
        w.svg("rect", x=_BAR_X, y=y, width=width, height=height, fill=fill).close()


def _share_chart(w: SvgWriter, rows: list[dict], field: str, broken: set[str]) -> None:
    """Each row's share of the time (upper bar) and of the cost (lower bar)."""
    what = "span name" if field == "span_name" else "span type"
    shares = [v for row in rows for v in (row.get("share_time"), row.get("share_cost"))]
    top = max([v for v in shares if finite(v)] + [1])
    height = _HEAD + len(rows) * _ROW_H + 4
    w.svg("svg", xmlns="http://www.w3.org/2000/svg", width=_WIDTH, height=height,
          view_box=f"0 0 {_WIDTH} {height}", role="img",
          aria_label=f"Share of time and cost by {what}")  # fmt: skip
    w.svg("text", x=4, y=12, font_size=10, fill="currentColor")
    w.text(f"Share of time (upper bar) and of cost (lower bar), by {what}")
    w.close()
    for i, row in enumerate(rows):
        y = _HEAD + i * _ROW_H
        key = label(or_else(row.get("key"), ""))
        late = f"{field}:{row.get('key')}" in broken
        w.svg("g").svg("title")
        w.text(f"{key}: {share_text(row.get('share_time'))} of the time, "
               f"{share_text(row.get('share_cost'))} of the cost"
               + (", p90 over its budget" if late else ""))  # fmt: skip
        w.close()
        w.svg("text", x=4, y=y + 11, font_size=10,
              fill=COLOURS["broken"] if late else "currentColor")  # fmt: skip
        w.text(label(or_else(row.get("key"), ""), _MAX_BAR_LABEL_CHARS)).close()
        _bar(w, row.get("share_time"), top, y + 1, 9, COLOURS["traces"])
        _bar(w, row.get("share_cost"), top, y + 11, 4, COLOURS["cost"])
        w.close()
    w.close()


def _span_table(w: SvgWriter, rows: list[dict], field: str, broken: set[str]) -> None:
    heading = "Span name" if field == "span_name" else "Span type"
    w.open("table", CLS["table"])
    header_row(w, [_SPAN_COLUMNS[0], heading, *_SPAN_COLUMNS[1:]])
    w.open("tbody")
    for i, row in enumerate(rows):
        latency = row.get("latency_ms") if isinstance(row.get("latency_ms"), dict) else {}
        late = f"{field}:{row.get('key')}" in broken
        w.open("tr")
        w.element("td", None, str(i + 1))
        w.element("td", None, label(or_else(row.get("key"), "")))
        w.element("td", None, format_count(or_else(row.get("count"), 0)))
        w.element("td", None, format_count(or_else(row.get("errors"), 0)))
        w.element("td", None, format_duration_ms(latency.get("p50")))
        w.element("td", CLS["error"] if late else None, format_duration_ms(latency.get("p90")))
        for cell in (
            format_duration_ms(row.get("total_ms")),
            share_text(row.get("share_time")),
            money_text(row.get("cost")),
            share_text(row.get("share_cost")),
        ):
            w.element("td", None, cell)
        w.close()
    w.close().close()


def write_spans(w: SvgWriter, payload: dict) -> None:
    """Where time and cost go: span names, then span types, as ranked."""
    spans = payload["spans"]
    broken = _broken_rows(payload)
    w.element("p", CLS["header"], "Where time and cost go")
    for field, rows in (("span_name", spans.get("by_name")), ("span_type", spans.get("by_type"))):
        rows = object_list(rows)
        if rows:
            w.open("div")
            _share_chart(w, rows, field, broken)
            w.close()
        _span_table(w, rows, field, broken)
