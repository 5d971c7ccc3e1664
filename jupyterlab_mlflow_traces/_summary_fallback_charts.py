"""The trace summary fallback's inline SVG charts, byte for byte as
``src/bundle/summarychart.ts`` draws them.

#### Notes
Written with the escaping builder: every string from the payload is escaped
text (in ``text`` and ``title`` elements), every attribute a number or a
constant from closed sets, no link. Coordinates are integers (integer
division of integers, or ``js_round`` of one float expression), so both
languages write the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from ._format import format_count, format_duration_ms, plural
from ._html import HtmlWriter, escape_html
from ._js import js_round, number_text
from ._summary_fallback_text import cost_of, finite, money_text

#: Colours of the charts (presentation attributes: they hold without CSS).
COLOURS = {"traces": "#1976d2", "errors": "#d32f2f", "p50": "#1976d2", "p90": "#f57c00",
            "p99": "#d32f2f", "cost": "#388e3c", "budget": "#7b1fa2",
            "broken": "#d32f2f"}  # fmt: skip
#: One colour per segment or assessment name, in order (12: the most segments).
SERIES_COLOURS = ["#1976d2", "#f57c00", "#388e3c", "#7b1fa2", "#c2185b", "#0097a7",
                  "#5d4037", "#fbc02d", "#455a64", "#e64a19", "#512da8", "#689f38"]  # fmt: skip
_PERCENTILES = ["p50", "p90", "p99"]
#: SVG elements and attributes the charts write: closed sets.
_SVG_TAGS = frozenset(["svg", "g", "rect", "polyline", "circle", "text", "title"])
_SVG_ATTRIBUTES = frozenset(
    ["xmlns", "width", "height", "viewBox", "role", "aria-label", "x", "y", "cx", "cy", "r",
     "fill", "stroke", "stroke-width", "points", "font-size", "text-anchor"]
)  # fmt: skip
_WIDTH, _HEIGHT = 640, 160
_LEFT, _RIGHT, _TOP, _BOTTOM = 56, 8, 16, 20
_PLOT_W, _PLOT_H = _WIDTH - _LEFT - _RIGHT, _HEIGHT - _TOP - _BOTTOM

#: Violations per bucket index: each bucket's lines, marked under the plot.
Marks = dict[int, list[str]]


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


class Series(NamedTuple):
    """A line of a chart: its name (a ``title``), colour and value per bucket."""

    name: str
    colour: str
    values: list


class Budget(NamedTuple):
    """A budget drawn as a line: its limit and the line's title."""

    limit: float
    title: str


def _slots(count: int) -> list[int]:
    """The x of each bucket's left edge, and the right edge last."""
    return [_LEFT + i * _PLOT_W // max(count, 1) for i in range(count + 1)]


def _y(value: float, top: float, bottom: float = 0) -> int:
    """The y of ``value`` on a scale from ``bottom`` (the plot's foot) to ``top``."""
    return _TOP + _PLOT_H - int(js_round((value - bottom) * _PLOT_H / (top - bottom)))


def _axis(w: SvgWriter, top_label: str, labels: list[str], bottom_label: str = "0") -> None:
    w.svg("text", x=_LEFT - 4, y=_TOP + 4, text_anchor="end", font_size=10, fill="currentColor")
    w.text(top_label).close()
    w.svg("text", x=_LEFT - 4, y=_TOP + _PLOT_H, text_anchor="end", font_size=10,
          fill="currentColor").text(bottom_label).close()  # fmt: skip
    w.svg("text", x=_LEFT, y=_HEIGHT - 4, font_size=10, fill="currentColor")
    w.text(labels[0] if labels else "").close()
    w.svg("text", x=_WIDTH - _RIGHT, y=_HEIGHT - 4, text_anchor="end", font_size=10,
          fill="currentColor").text(labels[-1] if labels else "").close()  # fmt: skip


def _legend(w: SvgWriter, names: list[str]) -> None:
    for i, name in enumerate(names):
        w.svg("text", x=_LEFT + 8 + 56 * i, y=_TOP - 4, font_size=10, fill=COLOURS[name])
        w.text(name).close()


def _open_chart(w: SvgWriter, label: str) -> None:
    w.svg("svg", xmlns="http://www.w3.org/2000/svg", width=_WIDTH, height=_HEIGHT,
          view_box=f"0 0 {_WIDTH} {_HEIGHT}", role="img", aria_label=label)  # fmt: skip


def _line(w: SvgWriter, values: list, xs: list[int], y: Callable[[float], int], colour: str):
    """A line through the known values (a dot where a point stands alone)."""
    runs: list[list[tuple[int, int]]] = [[]]
    for i, value in enumerate(values):
        if not finite(value):
            runs.append([])
        else:
            runs[-1].append(((xs[i] + xs[i + 1]) // 2, y(value)))
    for run in (r for r in runs if r):
        if len(run) == 1:
            w.svg("circle", cx=run[0][0], cy=run[0][1], r=2, fill=colour)
        else:
            points = " ".join(f"{x},{yy}" for x, yy in run)
            w.svg("polyline", points=points, fill="none", stroke=colour, stroke_width=1.5)
        w.close()


def _budget_line(w: SvgWriter, y: int, title: str) -> None:
    """The budget as a horizontal line across the plot, named by its title."""
    w.svg("g").svg("title").text(title).close()
    w.svg("polyline", points=f"{_LEFT},{y} {_WIDTH - _RIGHT},{y}", fill="none",
          stroke=COLOURS["budget"], stroke_width=1)  # fmt: skip
    w.close().close()


def _steps(buckets: list[dict], budget: Budget | None) -> list[float]:
    """A per-trace budget per bucket: the limit times the bucket's traces."""
    if budget is None:
        return []
    return [budget.limit * (b["traces"] if finite(b.get("traces")) else 0) for b in buckets]


def _step_line(w: SvgWriter, values: list[float], xs: list[int], y, title: str) -> None:
    """The budget as a step line: a bar above its step breaks the budget."""
    if not values:
        return
    points = " ".join(f"{xs[i]},{y(v)} {xs[i + 1]},{y(v)}" for i, v in enumerate(values))
    w.svg("g").svg("title").text(title).close()
    w.svg("polyline", points=points, fill="none", stroke=COLOURS["budget"], stroke_width=1)
    w.close().close()


def _marks(w: SvgWriter, marks: Marks, xs: list[int]) -> None:
    """A band under each bucket that broke a budget, its violations as the title."""
    for i, lines in sorted(marks.items()):
        w.svg("g").svg("title").text("\n".join(lines)).close()
        w.svg("rect", x=xs[i], y=_TOP + _PLOT_H + 1, width=max(xs[i + 1] - xs[i] - 1, 1),
              height=3, fill=COLOURS["broken"])  # fmt: skip
        w.close().close()


def write_count_chart(
    w: SvgWriter, buckets: list[dict], labels: list[str], marks: Marks, budget: Budget | None = None
) -> None:
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
                      fill=COLOURS[name]).close()  # fmt: skip
        w.close()
    _step_line(w, _steps(buckets, budget), xs, lambda v: _y(v, top),
               budget.title if budget else "")  # fmt: skip
    _marks(w, marks, xs)
    _axis(w, format_count(top), labels)
    _legend(w, ["traces", "errors"])
    w.close()


def write_latency_chart(
    w: SvgWriter, buckets: list[dict], labels: list[str], budget: Budget | None, marks: Marks
) -> None:
    """Latency p50, p90 and p99 per bucket as lines, and the p90 budget as a line."""
    values = [b.get("latency_ms") if isinstance(b.get("latency_ms"), dict) else None
              for b in buckets]  # fmt: skip
    top = max([v["p99"] for v in values if v is not None]
              + [1 if budget is None else budget.limit, 1])  # fmt: skip
    xs = _slots(len(buckets))
    _open_chart(w, "Latency p50, p90 and p99 per time bucket")
    for name in _PERCENTILES:
        line = [v[name] if v is not None and finite(v.get(name)) else None for v in values]
        _line(w, line, xs, lambda v: _y(v, top), COLOURS[name])
    if budget is not None:
        _budget_line(w, _y(budget.limit, top), budget.title)
    _marks(w, marks, xs)
    _axis(w, format_duration_ms(top), labels)
    _legend(w, _PERCENTILES)
    w.close()


def write_cost_chart(
    w: SvgWriter, buckets: list[dict], labels: list[str], marks: Marks, budget: Budget | None = None
) -> None:
    """The spans' total cost per bucket as bars (by each span's start time)."""
    costs = [cost_of(b) for b in buckets]
    limits = _steps(buckets, budget)
    top = max([c for c in costs if c is not None] + limits + [0]) or 1
    xs = _slots(len(buckets))
    _open_chart(w, "Cost per time bucket")
    for i, cost in enumerate(costs):
        w.svg("g").svg("title").text(f"{labels[i]}: {money_text(cost)}").close()
        if cost is not None and cost > 0:
            y = _y(cost, top)
            w.svg("rect", x=xs[i], y=y, width=max(xs[i + 1] - xs[i] - 1, 1),
                  height=_TOP + _PLOT_H - y, fill=COLOURS["cost"]).close()  # fmt: skip
        w.close()
    _step_line(w, limits, xs, lambda v: _y(v, top), budget.title if budget else "")
    _marks(w, marks, xs)
    _axis(w, money_text(top), labels, "$0")
    _legend(w, ["cost"])
    w.close()


def write_series_chart(
    w: SvgWriter,
    chart: tuple[str, str],
    series: list[Series],
    labels: list[str],
    fmt: Callable[[Any], str],
    budget: Budget | None = None,
) -> None:
    """Lines per bucket, one per series (segments side by side, an assessment's
    mean), each in a ``g`` named by its ``title``; a budget line when given.
    ``chart`` is the label (a constant) and the heading (escaped text, may
    hold a name)."""
    label, heading = chart
    known = [v for s in series for v in s.values if finite(v)]
    bottom = min(known + [0])
    top = max(known + [0 if budget is None else budget.limit, 0])
    if top <= bottom:
        top = bottom + 1
    xs = _slots(len(labels))
    _open_chart(w, label)
    for s in series:
        w.svg("g").svg("title").text(s.name).close()
        _line(w, s.values, xs, lambda v: _y(v, top, bottom), s.colour)
        w.close()
    if budget is not None:
        _budget_line(w, _y(budget.limit, top, bottom), budget.title)
    _axis(w, fmt(top), labels, "0" if bottom == 0 else fmt(bottom))
    w.svg("text", x=_LEFT + 8, y=_TOP - 4, font_size=10, fill="currentColor")
    w.text(heading).close()
    w.close()
