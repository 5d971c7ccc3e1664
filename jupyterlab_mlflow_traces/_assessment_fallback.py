"""The assessments section of a trace's text/html fallback: the valid
feedback, expectations and issue references on the trace and on its spans,
so a shared notebook shows a review without a server. The twin of
``src/bundle/assessmentfallback.ts`` and ``assessmentread.ts`` (same bytes).

Reads ``info["assessments"]`` as the pane's model (``parseAssessments`` in
``src/trace/assessments.ts``) reads them from MLflow 3.17.2: a failed judge is
a feedback with ``error {error_code, error_message}`` and is shown by its
error (``failedText``: "Judge failed: CODE: message"), never by a value, as
MLflow's UI shows it; an expectation holding JSON arrives as
``serialized_value.value`` (shown parsed, as the pane shows it; as stored
when it is not JSON); an issue reference is named by its issue id and holds
``issue.issue_name``; a missing source type is ``SOURCE_TYPE_UNSPECIFIED``.
A superseded assessment (``valid: false``: overridden) is counted, not listed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ._conversation import _unsafe_ints_as_strings as unsafe_ints_as_strings
from ._format import MAX_NAME_CHARS, MAX_TYPE_CHARS, one_line, plural, write_span_label
from ._html import CLS, HtmlWriter
from ._js import ellipsize, parse_json, stringify
from ._model import Trace, normalize_id

#: Assessments listed per trace before a "… N more assessments" line.
MAX_FALLBACK_ASSESSMENTS = 100
#: Longest value, error or source id shown, in UTF-16 code units.
_MAX_VALUE_CHARS = 200
#: Longest rationale shown, in UTF-16 code units.
_MAX_RATIONALE_CHARS = 300


@dataclass
class FallbackAssessment:
    """One valid assessment, as the fallbacks show it."""

    kind: str
    name: str
    #: The value as text (``assessmentValueText``, the pane's rule); a failed judge's
    #: ``failedText``.
    value_text: str
    failed: bool
    source_type: str
    source_id: str
    rationale: str
    #: Normalized span id; None on the trace.
    span_id: str | None


@dataclass
class FallbackAssessments:
    """What the fallbacks read of a trace info's assessments."""

    valid: list[FallbackAssessment] = field(default_factory=list)
    superseded: int = 0
    #: Entries with no name or no feedback, expectation or issue.
    unreadable: int = 0


def _text(value: Any, default: str = "") -> str:
    return value if isinstance(value, str) else default


def _failed_text(error: dict) -> str:
    """A failed judge in words, as ``failedText`` in ``src/trace/assessments.ts``."""
    parts = (_text(error.get("error_code")), _text(error.get("error_message")))
    said = ": ".join(part for part in parts if part)
    return f"Judge failed: {said}" if said else "Judge failed"


def _shown_value(value: Any) -> str:
    """A value as the assessments pane writes it (``assessmentValueText``): a
    string as is, else compact JSON; '' for none."""
    if value is None:
        return ""
    return value if isinstance(value, str) else stringify(value)


def _serialized_text(raw: str) -> str:
    """A serialized expectation's JSON text as its value's text; the text
    itself when it is not JSON."""
    try:
        value = unsafe_ints_as_strings(parse_json(raw))
    except ValueError:
        return raw
    return _shown_value(value)


def _read(item: dict) -> FallbackAssessment | None:
    name = item.get("assessment_name")
    if not isinstance(name, str):
        return None
    source = item.get("source")
    source = source if isinstance(source, dict) else {}
    base = {
        "name": name,
        "failed": False,
        "source_type": _text(source.get("source_type"), "SOURCE_TYPE_UNSPECIFIED"),
        "source_id": _text(source.get("source_id")),
        "rationale": _text(item.get("rationale")),
        "span_id": normalize_id(item.get("span_id")),
    }
    feedback, expectation, issue = (item.get(key) for key in ("feedback", "expectation", "issue"))
    if isinstance(feedback, dict):
        error = feedback.get("error")
        if isinstance(error, dict):
            # MLflow's UI shows a feedback with an error by its error, even with a value.
            base["failed"] = True
            return FallbackAssessment(kind="feedback", value_text=_failed_text(error), **base)
        return FallbackAssessment(
            kind="feedback", value_text=_shown_value(feedback.get("value")), **base
        )
    if isinstance(expectation, dict):
        serialized = expectation.get("serialized_value")
        if "value" in expectation:
            value = _shown_value(expectation["value"])
        else:
            raw = _text(serialized.get("value")) if isinstance(serialized, dict) else None
            value = "" if raw is None else _serialized_text(raw)
        return FallbackAssessment(kind="expectation", value_text=value, **base)
    if isinstance(issue, dict):
        return FallbackAssessment(kind="issue", value_text=_text(issue.get("issue_name")), **base)
    return None


def fallback_assessments(info: Any) -> FallbackAssessments:
    """The valid assessments of a trace info in its order, and how many are
    superseded or unreadable."""
    out = FallbackAssessments()
    items = info.get("assessments") if isinstance(info, dict) else None
    if not isinstance(items, list):
        return out
    for raw in items:
        item = _read(raw) if isinstance(raw, dict) else None
        if item is None:
            out.unreadable += 1
        elif raw.get("valid") is False:
            out.superseded += 1
        else:
            out.valid.append(item)
    return out


def _write_item(w: HtmlWriter, item: FallbackAssessment) -> None:
    w.open("li", f"{CLS['assessment']} {CLS['error']}" if item.failed else CLS["assessment"])
    w.element("span", CLS["type"], item.kind)
    w.text(" ")
    w.element("strong", None, ellipsize(one_line(item.name), MAX_NAME_CHARS))
    w.text(": ")
    w.element("span", CLS["value"], ellipsize(one_line(item.value_text), _MAX_VALUE_CHARS))
    source = [
        ellipsize(one_line(item.source_type), MAX_TYPE_CHARS),
        ellipsize(one_line(item.source_id), _MAX_VALUE_CHARS),
    ]
    source = [part for part in source if part != ""]
    if source:
        w.text(" ")
        w.element("span", CLS["duration"], f"by {' '.join(source)}")
    if item.rationale != "":
        w.text(" — ")
        w.element("span", CLS["message"], ellipsize(one_line(item.rationale), _MAX_RATIONALE_CHARS))
    w.close()


def _groups(
    trace: Trace, valid: list[FallbackAssessment]
) -> list[tuple[str | None, list[FallbackAssessment]]]:
    """The valid assessments by span: the trace's first, then each span's in
    tree order, then unknown spans'."""
    by_span: dict[str | None, list[FallbackAssessment]] = {}
    for item in valid:
        by_span.setdefault(item.span_id, []).append(item)
    ordered = [None, *(node.span.span_id for node in trace.nodes_in_order), *by_span]
    out = []
    for key in ordered:
        group = by_span.pop(key, None)
        if group is not None:
            out.append((key, group))
    return out


def write_assessments(w: HtmlWriter, trace: Trace, info: Any) -> None:
    """Writes a trace's assessments: a heading with the counts, then a list per
    target (the trace, each span), at most MAX_FALLBACK_ASSESSMENTS items."""
    found = fallback_assessments(info)
    valid = found.valid
    if len(valid) + found.superseded + found.unreadable == 0:
        return
    heading = [plural(len(valid), "assessment")]
    if found.superseded > 0:
        heading.append(f"{plural(found.superseded, 'superseded assessment')} not shown")
    if found.unreadable > 0:
        heading.append(f"{plural(found.unreadable, 'unreadable assessment')} left out")
    w.element("p", CLS["header"], " · ".join(heading))
    base = w.depth
    w.open("ul", f"{CLS['tree']} {CLS['assessments']}")
    nodes = {}
    for node in trace.nodes_in_order:
        nodes.setdefault(node.span.span_id, node)
    left = MAX_FALLBACK_ASSESSMENTS
    for span_id, items in _groups(trace, valid):
        if left <= 0:
            break
        w.open("li")
        if span_id is None:
            w.text("On the trace")
        else:
            w.text("On span ")
            node = nodes.get(span_id)
            if node is not None:
                write_span_label(w, node.span)
            else:
                w.element("code", None, ellipsize(one_line(span_id), MAX_NAME_CHARS))
        w.open("ul")
        for item in items[:left]:
            _write_item(w, item)
        left -= len(items)
        w.close().close()
    if len(valid) > MAX_FALLBACK_ASSESSMENTS:
        hidden = len(valid) - MAX_FALLBACK_ASSESSMENTS
        w.element("li", CLS["more"], f"… {plural(hidden, 'more assessment')}")
    w.close_to(base)


#: Longest assessments cell of a trace-list row, in UTF-16 code units.
_MAX_LIST_CELL_CHARS = 200
#: Longest value in a trace-list row's assessments cell, in UTF-16 code units.
_MAX_LIST_VALUE_CHARS = 60
#: Assessments named at most in a trace-list row's cell (it is cut at 200 anyway).
_MAX_LIST_ITEMS = 20


def assessments_line(info: Any) -> str:
    """A trace-list row's valid assessments on one line, ``thumbs_up: true,
    relevance: 0.9`` (a failed judge's as ``Judge failed: …``); '' when it has none."""
    parts = []
    for item in fallback_assessments(info).valid[:_MAX_LIST_ITEMS]:
        value = ellipsize(item.value_text, _MAX_LIST_VALUE_CHARS)
        parts.append(f"{ellipsize(item.name, MAX_NAME_CHARS)}: {value}")
    return ellipsize(one_line(", ".join(parts)), _MAX_LIST_CELL_CHARS)


def assessment_count_text(info: Any) -> str:
    """What a text/plain line adds for a trace's valid assessments: ``, 3 assessments``, or ''."""
    count = len(fallback_assessments(info).valid)
    return f", {plural(count, 'assessment')}" if count > 0 else ""
