"""The static text/html and text/plain fallbacks, for viewers without the
renderer (GitHub, nbviewer, VS Code, HTML exports).

The same bytes as the TypeScript fallbacks (``src/bundle/fallback.ts``,
``listfallback.ts``): both emitters are checked against the golden files in
``contract/goldens``. Every piece of trace content is escaped; the
only link is an http(s) "Open in MLflow UI" link.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from ._assessment_fallback import assessment_count_text, assessments_line, write_assessments
from ._chat_html import write_conversations
from ._cost import models_text, span_llm_text
from ._critical_path import trace_start_ns
from ._decode import Decoded, Entry, decode_trace_bundle, decode_trace_list_bundle
from ._format import (
    MAX_NAME_CHARS,
    format_count,
    format_duration_ms,
    format_usd,
    live_note,
    one_line,
    open_span_status,
    plural,
    write_span_label,
)
from ._html import CLS, HtmlWriter
from ._js import ellipsize, json_string
from ._model import Node, Summary, Trace, build_trace, summarize_trace
from ._session import session_id_of, user_id_of
from ._session_fallback import session_caption, session_text_lines, write_session_turns
from ._summary_fallback_charts import SvgWriter
from ._timeline_svg import row_duration_ms, write_timeline_svg
from ._url import mlflow_trace_ui_url, without_credentials

#: Span rows shown per trace before a "… N more spans" line.
DEFAULT_MAX_ROWS_PER_TRACE = 500
#: Table rows of a trace list written at most.
DEFAULT_MAX_LIST_ROWS = 500
_MAX_MESSAGE_CHARS = 200
_MAX_PROBLEMS = 20
_MAX_PREVIEW_CHARS = 120
_LIST_COLUMNS = [
    "Trace ID",
    "Name",
    "State",
    "Request time",
    "Duration",
    "Tokens",
    "Cost",
    "Session",
    "User",
    "Request",
    "Assessments",
]


def _duration_text(duration_ms: float | None) -> str:
    return "" if duration_ms is None else format_duration_ms(duration_ms)


def trace_line(summary: Summary, trace_id: str, spans_known: bool) -> str:
    """One line about a trace: ``Trace tr-… "name" OK 244 ms, 10 spans, 2 errors, 59 tokens,
    cost $0.0123``."""
    head = [
        "Trace",
        one_line(trace_id) or "(no id)",
        json_string(ellipsize(summary.name, MAX_NAME_CHARS)),
        one_line(summary.state),
        _duration_text(summary.duration_ms),
    ]
    figures = []
    if spans_known:
        figures.append(plural(summary.span_count, "span"))
        figures.append(plural(summary.error_count, "error"))
    if summary.token_usage is not None:
        figures.append(plural(summary.token_usage[2], "token"))
    if summary.cost is not None:
        figures.append(f"cost {format_usd(summary.cost.total)}")
    return ", ".join([" ".join(part for part in head if part != ""), *figures])


def _resolve(bundle_or_traces: Any, tracking_uri: str | None) -> Decoded:
    if not isinstance(bundle_or_traces, list):
        return decode_trace_bundle(bundle_or_traces)
    resolved = Decoded()
    for trace in bundle_or_traces:
        resolved.traces.append(
            Entry(
                trace["trace_id"],
                trace.get("info"),
                trace.get("spans"),
                truncated=trace.get("truncated"),
                live=trace.get("live"),
            )
        )
    if tracking_uri is not None:
        clean = without_credentials(tracking_uri)
        resolved.tracking_uri = clean[0] if clean else None
    return resolved


def _built(entry: Entry) -> tuple[Trace, Summary]:
    """The trace and its figures; a live trace's duration runs to its last update or its cut."""
    if entry.built is None:
        trace = build_trace(entry.info, entry.spans if entry.spans is not None else [])
        summary = summarize_trace(trace)
        if entry.live is not None and entry.spans is not None:
            summary.duration_ms = (_live_end_ns(trace, entry.live) - trace_start_ns(trace)) / 1e6
        entry.built = (trace, summary)
    return entry.built


def _write_problems(w: HtmlWriter, problems: list[str]) -> None:
    if not problems:
        return
    w.open("ul", f"{CLS['problems']} {CLS['error']}")
    for problem in problems[:_MAX_PROBLEMS]:
        w.element("li", None, ellipsize(problem, 300))
    if len(problems) > _MAX_PROBLEMS:
        w.element("li", None, f"… {plural(len(problems) - _MAX_PROBLEMS, 'more problem')}")
    w.close()


def _trace_end_ns(trace: Trace) -> float:
    """The trace's latest span start or end, Unix ns (0 with no timed span)."""
    starts = [span.start_ns for span in trace.spans if math.isfinite(span.start_ns)]
    if not starts:
        return 0.0
    return max(starts + [span.end_ns for span in trace.spans if span.end_ns is not None])


def _live_end_ns(trace: Trace, live: dict) -> float:
    """``liveEndNs`` received and read at once: a running trace at its last
    update, an interrupted one at the cut; never before the trace's latest time."""
    trace_end = _trace_end_ns(trace)
    if live["status"] == "interrupted":
        end_ms = live.get("interrupted_at_unix_nano", trace_end) / 1e6
    else:
        end_ms = live["updated_unix_ms"]
    return max(trace_end, end_ms * 1e6)


def _open_spans(entry: Entry, trace: Trace) -> tuple[str, float | None]:
    """How rows show spans with no end: their status, and the Unix ns they are
    measured to (None: the trace's latest time, as the tree measures them)."""
    live = entry.live
    return open_span_status(live), None if live is None else _live_end_ns(trace, live)


def _running_count(trace: Trace) -> int:
    return sum(1 for node in trace.nodes_in_order if node.span.in_progress)


def _write_row(w: HtmlWriter, node: Any, open_spans: tuple[str, float | None]) -> None:
    span = node.span
    write_span_label(w, span)
    w.text(" ")
    open_status, open_end_ns = open_spans
    w.element("span", CLS["duration"], format_duration_ms(row_duration_ms(node, open_end_ns)))
    llm = span_llm_text(span.llm)
    if llm:
        w.text(" ")
        w.element("span", CLS["duration"], ellipsize(one_line(llm), MAX_NAME_CHARS))
    w.text(" ")
    status = open_status if span.in_progress else span.status
    w.element("span", f"{CLS['status']} {CLS['error']}" if span.error else CLS["status"], status)
    if span.error and span.status_message:
        w.text(" ")
        w.element("span", CLS["message"], ellipsize(span.status_message, _MAX_MESSAGE_CHARS))


def _write_tree(
    w: HtmlWriter, trace: Trace, rows: list[Node], open_spans: tuple[str, float | None]
) -> None:
    if not rows:
        return
    base = w.depth
    w.open("ul", CLS["tree"])
    # list_depth[d]: writer depth at which the list holding depth-d rows is open
    list_depth = [w.depth]
    for node in rows:
        level = min(node.depth, len(list_depth))
        if level == len(list_depth):
            w.open("ul")
            list_depth.append(w.depth)
        else:
            del list_depth[level + 1 :]
            w.close_to(list_depth[level])
        w.open("li")
        _write_row(w, node, open_spans)
    w.close_to(list_depth[0])
    hidden = len(trace.nodes_in_order) - len(rows)
    if hidden > 0:
        w.element("li", CLS["more"], f"… {plural(hidden, 'more span')}")
    w.close_to(base)


def _write_trace(
    w: SvgWriter, entry: Entry, index: int, tracking_uri: str | None, max_rows: int
) -> None:
    w.open("div", CLS["trace"])
    if entry.error is not None and entry.info is None and entry.spans is None:
        w.element("p", f"{CLS['header']} {CLS['error']}", f"Trace #{index + 1}: {entry.error}")
        w.close()
        return
    trace, summary = _built(entry)
    trace_id = entry.trace_id or summary.trace_id
    spans_known = entry.spans is not None
    w.open("p", CLS["header"])
    w.element("strong", None, ellipsize(summary.name, MAX_NAME_CHARS) or "(unnamed trace)")
    figures = [summary.state, _duration_text(summary.duration_ms)]
    if spans_known:
        figures += [plural(summary.span_count, "span"), plural(summary.error_count, "error")]
    if summary.token_usage is not None:
        figures.append(plural(summary.token_usage[2], "token"))
    if summary.cost is not None:
        figures.append(f"cost {format_usd(summary.cost.total)}")
    if summary.models:
        figures.append(ellipsize(one_line(models_text(summary.models)), MAX_NAME_CHARS))
    w.text(" " + " · ".join(part for part in figures if part != "") + " · ")
    w.element("code", None, trace_id or "(no id)")
    url = mlflow_trace_ui_url(tracking_uri, trace_id, entry.info)
    if url is not None:
        w.text(" · ").link(url, "Open in MLflow UI")
    w.close()
    if not spans_known:
        note = "The spans are not embedded in this output; open the trace in MLflow to see them."
        w.element("p", CLS["note"], note)
    elif entry.truncated is not None:
        max_string = format_count(entry.truncated["max_string"])
        note = f"Strings longer than {max_string} characters were shortened to fit the output."
        w.element("p", CLS["note"], note)
    if entry.live is not None:
        note = f"Partial trace: {live_note(_running_count(trace), entry.live)}."
        w.element("p", CLS["note"], note)
    problems = [entry.error] if entry.error is not None else []
    if summary.cost_note:
        problems.append(summary.cost_note)
    _write_problems(w, problems + trace.warnings)
    write_assessments(w, trace, entry.info)
    rows = trace.nodes_in_order[:max_rows]
    open_spans = _open_spans(entry, trace)
    write_timeline_svg(w, trace, rows, open_spans)
    _write_tree(w, trace, rows, open_spans)
    if rows:
        write_conversations(w, rows, entry.spans)
    w.close()


def render_trace_fallbacks(
    bundle_or_traces: Any, tracking_uri: str | None = None
) -> tuple[str, str]:
    """``(text/html, text/plain)`` of a trace bundle or input list, each trace
    built once: what ``render_trace_html`` and ``render_trace_text`` write."""
    resolved = _resolve(bundle_or_traces, tracking_uri)
    return _trace_html(resolved, DEFAULT_MAX_ROWS_PER_TRACE), _trace_text(resolved)


def render_trace_html(
    bundle_or_traces: Any,
    tracking_uri: str | None = None,
    max_rows_per_trace: int = DEFAULT_MAX_ROWS_PER_TRACE,
) -> str:
    """The static, script-free text/html of a trace bundle (a dict, as
    written) or of a list of ``{"trace_id", "info"?, "spans"?}`` inputs.

    ``tracking_uri`` is used for a list only: a bundle carries its own.
    """
    return _trace_html(_resolve(bundle_or_traces, tracking_uri), max_rows_per_trace)


def _trace_html(resolved: Decoded, max_rows_per_trace: int) -> str:
    max_rows = max(1, max_rows_per_trace)
    w = SvgWriter()
    w.open("div", CLS["root"])
    w.style_sheet()
    _write_problems(w, resolved.errors)
    for i, entry in enumerate(resolved.traces):
        _write_trace(w, entry, i, resolved.tracking_uri, max_rows)
    return str(w)


def render_trace_text(bundle_or_traces: Any) -> str:
    """The text/plain fallback of a trace bundle or input list: one line per
    trace, with its count of valid assessments."""
    return _trace_text(_resolve(bundle_or_traces, None))


def _trace_text(resolved: Decoded) -> str:
    lines = []
    for i, entry in enumerate(resolved.traces):
        if entry.error is not None and not entry.trace_id:
            lines.append(f"Trace #{i + 1}: {one_line(entry.error)}")
            continue
        trace, summary = _built(entry)
        line = trace_line(summary, entry.trace_id or summary.trace_id, entry.spans is not None)
        line += assessment_count_text(entry.info)
        if entry.live is not None:
            line += f" — partial: {live_note(_running_count(trace), entry.live)}"
        lines.append(line)
    if not lines:
        lines.append(f"Invalid MLflow trace output: {one_line('; '.join(resolved.errors))}")
    return "\n".join(lines)


def _caption(decoded: Decoded) -> str:
    parts = [plural(len(decoded.traces), "trace")]
    if decoded.experiment_ids:
        parts.append(f"experiments {', '.join(decoded.experiment_ids)}")
    if decoded.filter:
        parts.append(f"filter {json_string(ellipsize(decoded.filter, 200))}")
    if decoded.next_page_token is not None:
        parts.append("more available")
    return f"MLflow traces: {'; '.join(parts)}"


def _write_list_row(w: HtmlWriter, row: Entry, tracking_uri: str | None) -> None:
    w.open("tr", CLS["error"] if row.error is not None else None)
    if row.error is not None:
        w.element("td", None, row.trace_id)
        w.open("td").text(ellipsize(row.error, 300)).close()
        w.close()
        return
    info = row.info
    summary = summarize_trace(build_trace(info, []))
    url = mlflow_trace_ui_url(tracking_uri, row.trace_id, info)
    w.open("td").element("code", None, row.trace_id)
    if url is not None:
        w.text(" ").link(url, "Open in MLflow UI")
    w.close()
    w.element("td", None, ellipsize(summary.name, MAX_NAME_CHARS))
    w.element("td", CLS["error"] if summary.state == "ERROR" else None, summary.state)
    request_time = info.get("request_time") if isinstance(info, dict) else None
    w.element("td", None, request_time if isinstance(request_time, str) else "")
    w.element("td", None, _duration_text(summary.duration_ms))
    tokens = summary.token_usage
    w.element("td", None, format_count(tokens[2]) if tokens is not None else "")
    cost = format_usd(summary.cost.total) if summary.cost is not None else ""
    w.element("td", CLS["error"] if summary.cost_note else None, summary.cost_note or cost)
    for text in (session_id_of(info), user_id_of(info)):
        w.element("td", None, ellipsize(one_line(text), MAX_NAME_CHARS))
    preview = info.get("request_preview") if isinstance(info, dict) else None
    preview = preview if isinstance(preview, str) else ""
    w.element("td", None, ellipsize(one_line(preview), _MAX_PREVIEW_CHARS))
    w.element("td", None, assessments_line(info))
    w.close()


def render_trace_list_html(bundle: Any, max_rows: int = DEFAULT_MAX_LIST_ROWS) -> str:
    """The static, script-free text/html table of a trace-list bundle."""
    decoded = decode_trace_list_bundle(bundle)
    max_rows = max(1, max_rows)
    w = HtmlWriter()
    w.open("div", CLS["root"])
    w.style_sheet()
    session = decoded.session_id is not None
    w.element("p", CLS["header"], session_caption(decoded) if session else _caption(decoded))
    if decoded.errors:
        w.open("ul", f"{CLS['problems']} {CLS['error']}")
        for error in decoded.errors[:20]:
            w.element("li", None, ellipsize(error, 300))
        w.close()
    if session:
        write_session_turns(w, decoded, max_rows)
    elif decoded.traces:
        w.open("table", CLS["table"]).open("thead").open("tr")
        for column in _LIST_COLUMNS:
            w.element("th", None, column)
        w.close().close().open("tbody")
        for row in decoded.traces[:max_rows]:
            _write_list_row(w, row, decoded.tracking_uri)
        hidden = len(decoded.traces) - max_rows
        if hidden > 0:
            w.open("tr", CLS["more"]).element("td", None, f"… {plural(hidden, 'more trace')}")
    return str(w)


def render_trace_list_text(bundle: Any) -> str:
    """The text/plain fallback of a trace-list bundle: a caption, then one line per trace."""
    decoded = decode_trace_list_bundle(bundle)
    session = decoded.session_id is not None
    lines = session_text_lines(decoded) if session else [_caption(decoded)]
    for i, row in enumerate(decoded.traces):
        if session and row.error is None:
            continue
        if row.error is not None:
            lines.append(f"Trace #{i + 1}: {one_line(row.error)}")
        else:
            summary = summarize_trace(build_trace(row.info, []))
            lines.append(trace_line(summary, row.trace_id, False) + assessment_count_text(row.info))
    if decoded.errors and not decoded.traces:
        lines.append(f"Invalid MLflow trace list: {one_line('; '.join(decoded.errors))}")
    return "\n".join(lines)


__all__: Iterable[str] = [
    "format_count",
    "format_duration_ms",
    "render_trace_fallbacks",
    "render_trace_html",
    "render_trace_list_html",
    "render_trace_list_text",
    "render_trace_text",
]
