"""The static text/html and text/plain fallbacks of a trace summary.

``text/plain`` is a table: a caption, the totals, one line per bucket, then
who computed it. ``text/html`` is the same table after two inline SVG
charts (traces and errors per bucket as bars; latency p50/p90/p99 as
lines), written with the escaping builder: every string from the payload
is escaped text, every SVG attribute a number or a constant, no link.

#### Notes
Deterministic for the TypeScript port: coordinates are integers (integer
division of integers, or ``js_round`` of one float expression), numbers are
written with ``number_text``/``format_count``/``format_duration_ms``.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from ._format import format_count, format_duration_ms, one_line, plural
from ._html import CLS, HtmlWriter, escape_html
from ._js import ellipsize, js_round, json_string, number_text

_COLUMNS = ["Time (UTC)", "Traces", "Errors", "p50", "p90", "p99",
            "Input tokens", "Output tokens", "Cache read", "Cache write"]  # fmt: skip
_TOKENS = ["input", "output", "cache_read", "cache_write"]
_PERCENTILES = ["p50", "p90", "p99"]
#: Colours of the charts (presentation attributes: they hold without CSS).
_COLOURS = {"traces": "#1976d2", "errors": "#d32f2f",
            "p50": "#1976d2", "p90": "#f57c00", "p99": "#d32f2f"}  # fmt: skip
#: SVG elements and attributes the charts write: closed sets.
_SVG_TAGS = frozenset(["svg", "g", "rect", "polyline", "circle", "text", "title"])
_SVG_ATTRIBUTES = frozenset(
    ["xmlns", "width", "height", "viewBox", "role", "aria-label", "x", "y", "cx", "cy", "r",
     "fill", "stroke", "stroke-width", "points", "font-size", "text-anchor"]
)  # fmt: skip
_WIDTH, _HEIGHT = 640, 160
_LEFT, _RIGHT, _TOP, _BOTTOM = 56, 8, 16, 20
_PLOT_W, _PLOT_H = _WIDTH - _LEFT - _RIGHT, _HEIGHT - _TOP - _BOTTOM
_MAX_FILTER_CHARS = 200
_LAST_MS = 253402300799999  # 9999-12-31T23:59:59.999Z


class SvgWriter(HtmlWriter):
    """The escaping writer, with the charts' SVG elements: closed tag and
    attribute sets, attribute values numbers or constants."""

    def svg(self, tag: str, **attributes: Any) -> SvgWriter:
        """Opens an SVG element (``aria_label`` → ``aria-label`` and so on)."""
        if tag not in _SVG_TAGS:
            raise ValueError(f"{tag!r} is not a chart element")
        text = ""
        for name, value in attributes.items():
            name = name.replace("_", "-").replace("view-box", "viewBox")
            if name not in _SVG_ATTRIBUTES:
                raise ValueError(f"{name!r} is not a chart attribute")
            shown = number_text(value) if isinstance(value, (int, float)) else value
            text += f' {name}="{escape_html(shown)}"'
        self._parts.append(f"<{tag}{text}>")
        self._open.append(tag)
        return self


# --- figures as text --------------------------------------------------------


def utc_text(ms: int, seconds: bool = False, millis: bool = False) -> str:
    """``2026-12-01 00:00`` (``:00``, ``.000`` when asked), UTC; out of range as ms."""
    if not 0 <= ms <= _LAST_MS:
        return f"{ms} ms"
    when = datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(milliseconds=ms)
    text = f"{when:%Y-%m-%d %H:%M}"
    if seconds or millis:
        text += f":{when:%S}"
    return text + (f".{ms % 1000:03d}" if millis else "")


def interval_text(seconds: int) -> str:
    """``1 d``, ``6 h``, ``15 min`` or ``90 s``: the largest unit it is a whole number of."""
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds % size == 0:
            return f"{seconds // size} {unit}"
    return f"{seconds} s"


def error_text(figures: dict) -> str:
    """``1 (33.3%)``: errors and their share of the traces."""
    traces, errors = figures.get("traces", 0), figures.get("errors", 0)
    if not traces:
        return format_count(errors)
    return f"{format_count(errors)} ({number_text(js_round(errors / traces * 1000) / 10)}%)"


def _latency(figures: dict, name: str) -> str:
    latency = figures.get("latency_ms")
    return format_duration_ms(latency[name]) if isinstance(latency, dict) else "–"


def _tokens(figures: dict, name: str) -> str:
    count = (figures.get("tokens") or {}).get(name)
    return "–" if count is None else format_count(count)


def _cells(label: str, figures: dict) -> list[str]:
    return [
        label,
        format_count(figures.get("traces", 0)),
        error_text(figures),
        *(_latency(figures, name) for name in _PERCENTILES),
        *(_tokens(figures, name) for name in _TOKENS),
    ]


def _bucket_label(bucket: dict, interval_s: int) -> str:
    return utc_text(bucket.get("start_time_ms", 0), seconds=interval_s % 60 != 0)


def _caption(payload: dict) -> str:
    query = payload.get("query") or {}
    parts = [f"experiments {', '.join(one_line(str(i)) for i in query.get('experiment_ids', []))}"]
    if query.get("filter"):
        parts.append(f"filter {json_string(ellipsize(query['filter'], _MAX_FILTER_CHARS))}")
    start, end = query.get("start_time_ms", 0), query.get("end_time_ms", 0)
    parts.append(f"{utc_text(start, millis=True)} to {utc_text(end, millis=True)} UTC")
    interval_s = query.get("interval_seconds", 1)
    buckets = plural(len(payload.get("buckets", [])), "bucket")
    parts.append(f"{buckets} of {interval_text(interval_s)}")
    return f"MLflow trace summary: {'; '.join(parts)}"


def _source_text(payload: dict) -> str:
    if payload.get("source") == "server":
        return "computed by the tracking server's QueryTraceMetrics"
    return one_line(payload.get("source_note") or "computed over search results")


# --- text/plain -------------------------------------------------------------


def render_summary_text(payload: dict) -> str:
    """The text/plain table of a summary payload: totals first, then one line per bucket."""
    interval_s = (payload.get("query") or {}).get("interval_seconds", 1)
    rows = [_COLUMNS, _cells("Total", payload.get("totals") or {})]
    rows += [_cells(_bucket_label(b, interval_s), b) for b in payload.get("buckets", [])]
    widths = [max(len(row[i]) for row in rows) for i in range(len(_COLUMNS))]
    lines = [_caption(payload)]
    for row in rows:
        cells = [cell.rjust(width) for cell, width in zip(row, widths, strict=True)]
        cells[0] = row[0].ljust(widths[0])
        lines.append("  ".join(cells).rstrip())
    lines.append(_source_text(payload))
    return "\n".join(lines)


# --- text/html --------------------------------------------------------------


def _slots(count: int) -> list[int]:
    """The x of each bucket's left edge, and the right edge last."""
    return [_LEFT + i * _PLOT_W // max(count, 1) for i in range(count + 1)]


def _y(value: float, top: float) -> int:
    return _TOP + _PLOT_H - int(js_round(value * _PLOT_H / top))


def _axis(w: SvgWriter, top_label: str, first: str, last: str) -> None:
    w.svg("text", x=_LEFT - 4, y=_TOP + 4, text_anchor="end", font_size=10, fill="currentColor")
    w.text(top_label).close()
    w.svg("text", x=_LEFT - 4, y=_TOP + _PLOT_H, text_anchor="end", font_size=10,
          fill="currentColor").text("0").close()  # fmt: skip
    w.svg("text", x=_LEFT, y=_HEIGHT - 4, font_size=10, fill="currentColor").text(first).close()
    w.svg("text", x=_WIDTH - _RIGHT, y=_HEIGHT - 4, text_anchor="end", font_size=10,
          fill="currentColor").text(last).close()  # fmt: skip


def _legend(w: SvgWriter, names: list[str]) -> None:
    for i, name in enumerate(names):
        w.svg("text", x=_LEFT + 8 + 56 * i, y=_TOP - 4, font_size=10, fill=_COLOURS[name])
        w.text(name).close()


def _open_chart(w: SvgWriter, label: str) -> None:
    w.svg("svg", xmlns="http://www.w3.org/2000/svg", width=_WIDTH, height=_HEIGHT,
          view_box=f"0 0 {_WIDTH} {_HEIGHT}", role="img", aria_label=label)  # fmt: skip


def write_count_chart(w: SvgWriter, buckets: list[dict], labels: list[str]) -> None:
    """Traces (and their errors, overlaid) per bucket as bars."""
    top = max([b.get("traces", 0) for b in buckets] + [1])
    xs = _slots(len(buckets))
    _open_chart(w, "Traces and errors per time bucket")
    for i, bucket in enumerate(buckets):
        x, width = xs[i], max(xs[i + 1] - xs[i] - 1, 1)
        traces, errors = bucket.get("traces", 0), bucket.get("errors", 0)
        title = f"{labels[i]}: {plural(traces, 'trace')}, {plural(errors, 'error')}"
        w.svg("g").svg("title").text(title).close()
        for name, count in (("traces", traces), ("errors", errors)):
            if count > 0:
                y = _TOP + _PLOT_H - count * _PLOT_H // top
                w.svg("rect", x=x, y=y, width=width, height=_TOP + _PLOT_H - y,
                      fill=_COLOURS[name]).close()  # fmt: skip
        w.close()
    _axis(w, format_count(top), labels[0] if labels else "", labels[-1] if labels else "")
    _legend(w, ["traces", "errors"])
    w.close()


def write_latency_chart(w: SvgWriter, buckets: list[dict], labels: list[str]) -> None:
    """Latency p50, p90 and p99 per bucket as lines (a dot where a point stands alone)."""
    values = [b.get("latency_ms") if isinstance(b.get("latency_ms"), dict) else None
              for b in buckets]  # fmt: skip
    top = max([v["p99"] for v in values if v is not None] + [1])
    xs = _slots(len(buckets))
    _open_chart(w, "Latency p50, p90 and p99 per time bucket")
    for name in _PERCENTILES:
        runs: list[list[tuple[int, int]]] = [[]]
        for i, value in enumerate(values):
            if value is None:
                runs.append([])
            else:
                runs[-1].append(((xs[i] + xs[i + 1]) // 2, _y(value[name], top)))
        for run in (r for r in runs if r):
            if len(run) == 1:
                w.svg("circle", cx=run[0][0], cy=run[0][1], r=2, fill=_COLOURS[name]).close()
            else:
                points = " ".join(f"{x},{y}" for x, y in run)
                w.svg("polyline", points=points, fill="none", stroke=_COLOURS[name],
                      stroke_width=1.5).close()  # fmt: skip
    _axis(w, format_duration_ms(top), labels[0] if labels else "", labels[-1] if labels else "")
    _legend(w, _PERCENTILES)
    w.close()


def render_summary_html(payload: dict) -> str:
    """The static, script-free text/html of a summary payload: caption, charts, table."""
    interval_s = (payload.get("query") or {}).get("interval_seconds", 1)
    buckets = payload.get("buckets", [])
    labels = [_bucket_label(b, interval_s) for b in buckets]
    w = SvgWriter()
    w.open("div", CLS["root"])
    w.style_sheet()
    w.element("p", CLS["header"], _caption(payload))
    w.element("p", CLS["note"], _source_text(payload))
    w.open("div")
    write_count_chart(w, buckets, labels)
    w.close().open("div")
    write_latency_chart(w, buckets, labels)
    w.close()
    w.open("table", CLS["table"]).open("thead").open("tr")
    for column in _COLUMNS:
        w.element("th", None, column)
    w.close().close().open("tbody")
    rows = [("Total", payload.get("totals") or {})] + list(zip(labels, buckets, strict=True))
    for label, figures in rows:
        w.open("tr")
        for cell in _cells(label, figures):
            w.element("td", None, cell)
        w.close()
    return str(w)
