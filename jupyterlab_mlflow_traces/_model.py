"""The part of the trace model (``src/trace``) the fallbacks print.

Span dicts are parsed into a span tree with durations, repair warnings and
a per-trace summary, by the same rules and with the same messages as the
TypeScript model, so both emitters write the same fallbacks. Never raises
on hostile input: what is repaired is reported in ``Trace.warnings``.
"""

from __future__ import annotations

import base64
import math
import re
from typing import Any

from ._cost import (
    SPAN_COST_KEY,
    SPAN_MODEL_KEY,
    SPAN_PROVIDER_KEY,
    Cost,
    read_span_llm,
    span_models,
    sum_span_costs,
    trace_metadata_cost,
)
from ._js import (
    JS_WHITESPACE,
    int_or_digits,
    is_number,
    js_number,
    js_trim,
    parse_json,
    stringify,
)

_MISSING = object()
_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_B64_VALUES = {char: i for i, char in enumerate(_B64)} | {"-": 62, "_": 63}
_HEX = re.compile(r"[0-9a-fA-F]+")
_SPACE = "[" + re.escape(JS_WHITESPACE) + "]*"
_DURATION = re.compile(_SPACE + r"(-?[0-9]+(?:\.[0-9]+)?)s" + _SPACE)
# Times beyond 2^53 ns lose up to 256 ns, so smaller gaps are rounding noise
_TOLERANCE_NS = 1000
# A child up to 1 ms outside its parent is clock skew (millisecond starts)
_OUTSIDE_PARENT_TOLERANCE_NS = 1_000_000 + _TOLERANCE_NS


def _decode_value(value: Any) -> Any:
    """One attribute value: the parsed JSON when it is a string holding JSON."""
    if not isinstance(value, str):
        return value
    try:
        return parse_json(value)
    except ValueError:
        return value


def _pick(record: dict, snake: str, camel: str) -> Any:
    return record[snake] if snake in record else record.get(camel, _MISSING)


def _decode_otlp(value: Any, top_level: bool = True) -> Any:
    if not isinstance(value, dict):
        return value
    found = _pick(value, "string_value", "stringValue")
    if found is not _MISSING:
        return _decode_value(found) if top_level else found
    found = _pick(value, "int_value", "intValue")
    if found is not _MISSING:
        if not isinstance(found, str):
            return found
        text = js_trim(found)
        if re.fullmatch(r"-?(0|[1-9][0-9]*)", text):
            number = int_or_digits(text)
            if isinstance(number, str):
                return number
            return number if abs(number) > 2**53 - 1 else float(number)
        number = js_number(text)
        return number if math.isfinite(number) else found
    found = _pick(value, "double_value", "doubleValue")
    if found is not _MISSING:
        return js_number(found) if isinstance(found, str) else found
    found = _pick(value, "bool_value", "boolValue")
    if found is not _MISSING:
        return found
    found = _pick(value, "array_value", "arrayValue")
    if found is not _MISSING:
        items = found.get("values") if isinstance(found, dict) else None
        return [_decode_otlp(item, False) for item in items] if isinstance(items, list) else []
    found = _pick(value, "kvlist_value", "kvlistValue")
    if found is not _MISSING:
        return _decode_key_values(found.get("values") if isinstance(found, dict) else None, False)
    found = _pick(value, "bytes_value", "bytesValue")
    return value if found is _MISSING else found


def _decode_key_values(entries: Any, top_level: bool) -> dict:
    out: dict = {}
    if isinstance(entries, list):
        for entry in entries:
            if isinstance(entry, dict) and isinstance(entry.get("key"), str):
                out[entry["key"]] = _decode_otlp(entry.get("value", _MISSING), top_level)
    return out


def decode_attribute(raw: Any, key: str) -> Any:
    """One decoded span attribute (``_MISSING`` when absent)."""
    if isinstance(raw, dict):
        return _decode_value(raw[key]) if key in raw else _MISSING
    if isinstance(raw, list):
        # The last entry of the key wins, as in a decoded list; only it is decoded
        for entry in reversed(raw):
            if isinstance(entry, dict) and entry.get("key") == key:
                return _decode_otlp(entry.get("value", _MISSING), True)
    return _MISSING


def _count(value: Any) -> float | None:
    number = js_number(value) if isinstance(value, str) else value
    if not is_number(number):
        return None
    try:
        number = float(number)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def _first(record: dict, *keys: str) -> Any:
    for key in keys:
        if record.get(key) is not None:
            return record[key]
    return None


def parse_token_usage(value: Any) -> tuple[float, float, float] | None:
    """(input, output, total) from a usage object or its JSON; None without counts."""
    usage = _decode_value(value)
    if not isinstance(usage, dict):
        return None
    count_in = _count(_first(usage, "input_tokens", "prompt_tokens"))
    count_out = _count(_first(usage, "output_tokens", "completion_tokens"))
    total = _count(usage.get("total_tokens"))
    if count_in is None and count_out is None and total is None:
        return None
    if total is None:
        total = (count_in or 0.0) + (count_out or 0.0)
    return (count_in or 0.0, count_out or 0.0, total)


_CANONICAL_B64 = re.compile(r"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?")


def _base64_to_hex(text: str) -> str | None:
    if _CANONICAL_B64.fullmatch(text):
        return base64.b64decode(text).hex()
    length = len(text)
    while length > 0 and text[length - 1] == "=":
        length -= 1
    if length == 0 or length % 4 == 1:
        return None
    out = []
    buffer = bits = 0
    for char in text[:length]:
        value = _B64_VALUES.get(char)
        if value is None:
            return None
        buffer = ((buffer << 6) | value) & 0xFFFFFF
        bits += 6
        if bits >= 8:
            bits -= 8
            out.append("%02x" % ((buffer >> bits) & 0xFF))
    return "".join(out)


def normalize_id(raw: Any) -> str | None:
    """A span or trace id as lowercase hex (base64 of 8 or 16 bytes, ``0x`` hex
    or hex); other ids verbatim; None when absent or empty."""
    if not isinstance(raw, str):
        return None
    text = js_trim(raw)
    if text == "":
        return None
    if text[:1] == "0" and text[1:2] in ("x", "X") and _HEX.fullmatch(text[2:]):
        return text[2:].lower()
    sized = 11 <= len(text) <= 12 or 22 <= len(text) <= 24
    hex_id = _base64_to_hex(text) if sized else None
    if hex_id is not None and len(hex_id) in (16, 32):
        return hex_id
    return text.lower() if _HEX.fullmatch(text) else text


def parse_time_ns(value: Any) -> float | None:
    """Nanoseconds from a JSON number or string, as a JavaScript number."""
    if is_number(value):
        try:
            number = float(value)
        except OverflowError:
            return None
        return number if math.isfinite(number) else None
    if isinstance(value, str) and js_trim(value) != "":
        number = js_number(value)
        return number if math.isfinite(number) else None
    return None


def _parse_status(raw: Any) -> str:
    if is_number(raw) and raw == 1:
        return "OK"
    if is_number(raw) and raw == 2:
        return "ERROR"
    code = raw.upper() if isinstance(raw, str) else ""
    if code in ("OK", "STATUS_CODE_OK"):
        return "OK"
    if code in ("ERROR", "STATUS_CODE_ERROR"):
        return "ERROR"
    return "UNSET"


def _text(value: Any) -> str:
    if value is None or value is _MISSING:
        return ""
    return value if isinstance(value, str) else stringify(value)


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if is_number(value):
        return "number"
    return "string" if isinstance(value, str) else "object"


def _span_type(raw_attributes: Any) -> str:
    mlflow_type = decode_attribute(raw_attributes, "mlflow.spanType")
    if isinstance(mlflow_type, str) and mlflow_type != "":
        return mlflow_type
    kind = decode_attribute(raw_attributes, "openinference.span.kind")
    return kind.upper() if isinstance(kind, str) and kind != "" else "UNKNOWN"


class Span:
    """A parsed span: hex ids, times in Unix nanoseconds (JavaScript numbers)."""

    __slots__ = (
        "span_id", "parent_id", "trace_id", "index", "name", "span_type", "start_ns",
        "end_ns", "status", "status_message", "token_usage", "llm", "error", "in_progress",
    )  # fmt: skip


def _field(record: dict, *keys: str) -> Any:
    """``a ?? b ?? c`` over the record's fields."""
    for key in keys:
        if record.get(key) is not None:
            return record[key]
    return None


def parse_span(raw: Any, index: int, warnings: list[str]) -> Span | None:
    """One span dict (MLflow 3, MLflow 2 legacy or OTLP JSON names); None,
    with a warning, for an entry that is not an object."""
    if not isinstance(raw, dict):
        warnings.append(f"Entry {index} is not a span object ({_type_name(raw)}).")
        return None
    context = raw["context"] if isinstance(raw.get("context"), dict) else {}
    span_id = normalize_id(_first_of(raw, context, "span_id", "spanId"))
    if span_id is None:
        span_id = f"missing-{index}"
        warnings.append(f"Span {index} has no id; it is shown as {span_id}.")
    start_ns = parse_time_ns(_field(raw, "start_time_unix_nano", "start_time", "startTimeUnixNano"))
    end_ns = parse_time_ns(_field(raw, "end_time_unix_nano", "end_time", "endTimeUnixNano"))
    if end_ns == 0:
        end_ns = None
    if start_ns is None:
        warnings.append(f"Span {span_id} has no valid start time.")
    elif end_ns is not None and end_ns < start_ns:
        warnings.append(f"Span {span_id} ends before it starts.")
    status = raw["status"] if isinstance(raw.get("status"), dict) else {}
    code = _field(status, "code")
    if code is None:
        code = _field(raw, "status_code", "status")
    events = raw.get("events")
    exception = isinstance(events, list) and any(
        isinstance(event, dict) and event.get("name") == "exception" for event in events
    )
    span = Span()
    span.span_id = span_id
    span.parent_id = normalize_id(_field(raw, "parent_span_id", "parent_id", "parentSpanId"))
    span.trace_id = normalize_id(_first_of(raw, context, "trace_id", "traceId"))
    span.index = index
    name = raw.get("name", _MISSING)
    span.name = name if isinstance(name, str) else _text(name)
    span.span_type = _span_type(raw.get("attributes"))
    span.start_ns = start_ns if start_ns is not None else end_ns if end_ns is not None else math.nan
    span.end_ns = end_ns
    span.status = _parse_status(code)
    message = _field(status, "message")
    span.status_message = _text(message if message is not None else raw.get("status_message"))
    span.token_usage = parse_token_usage(
        decode_attribute(raw.get("attributes"), "mlflow.chat.tokenUsage")
    )
    attributes = raw.get("attributes")
    span.llm = read_span_llm(
        *(
            None if value is _MISSING else value
            for value in (
                decode_attribute(attributes, key)
                for key in (SPAN_COST_KEY, SPAN_MODEL_KEY, SPAN_PROVIDER_KEY)
            )
        )
    )
    span.error = span.status == "ERROR" or exception
    span.in_progress = end_ns is None
    return span


def _first_of(raw: dict, context: dict, key: str, camel: str) -> Any:
    """``raw[key] ?? context[key] ?? raw[camel]``."""
    for value in (raw.get(key), context.get(key), raw.get(camel)):
        if value is not None:
            return value
    return None


class Node:
    """A span in the tree."""

    __slots__ = ("span", "parent", "children", "depth", "duration_ms")

    def __init__(self, span: Span) -> None:
        self.span = span
        self.parent: Node | None = None
        self.children: list[Node] = []
        self.depth = 0
        self.duration_ms = math.nan


class Trace:
    """A parsed trace: info, spans, roots, nodes in pre-order, warnings."""

    def __init__(self, info: Any, spans: list[Span], roots: list[Node], order: list[Node]):
        self.info = info
        self.spans = spans
        self.roots = roots
        self.nodes_in_order = order
        self.warnings: list[str] = []


def _dedupe(spans: list[Span], warnings: list[str]) -> dict[str, int]:
    seen: dict[str, int] = {}
    next_suffix: dict[str, int] = {}
    for i, span in enumerate(spans):
        if span.span_id not in seen:
            seen[span.span_id] = i
            continue
        original = span.span_id
        suffix = next_suffix.get(original, 2)
        while f"{original}#{suffix}" in seen:
            suffix += 1
        next_suffix[original] = suffix + 1
        span.span_id = f"{original}#{suffix}"
        seen[span.span_id] = i
        warnings.append(
            f"Span id {original} appears more than once; this one is shown as {span.span_id}."
        )
    return seen


def _earlier(spans: list[Span], a: int, b: int) -> bool:
    return spans[a].start_ns < spans[b].start_ns or (
        spans[a].start_ns == spans[b].start_ns and a < b
    )


def _break_cycles(spans: list[Span], parent_of: list[int], warnings: list[str]) -> None:
    done = -2
    path_pos = [-1] * len(spans)
    for start in range(len(spans)):
        path: list[int] = []
        at = start
        while at >= 0 and path_pos[at] == -1:
            path_pos[at] = len(path)
            path.append(at)
            at = parent_of[at]
        if at >= 0 and path_pos[at] >= 0:
            cut = at
            for k in range(path_pos[at], len(path)):
                if _earlier(spans, path[k], cut):
                    cut = path[k]
            via = spans[parent_of[cut]].span_id
            parent_of[cut] = -1
            warnings.append(
                f"Span {spans[cut].span_id} is in a parent cycle (via {via}); "
                "it is shown as a root."
            )
        for i in path:
            path_pos[i] = done


def _resolve_parents(spans: list[Span], index_of: dict[str, int], warnings: list[str]) -> list[int]:
    parent_of = [-1] * len(spans)
    orphans = []
    first_root = -1
    for i, span in enumerate(spans):
        if span.parent_id is None:
            if first_root < 0 or _earlier(spans, i, first_root):
                first_root = i
            continue
        parent = index_of.get(span.parent_id)
        if parent is None:
            orphans.append(i)
        else:
            parent_of[i] = parent
    _break_cycles(spans, parent_of, warnings)
    for i in orphans:
        parent_of[i] = first_root
        where = (
            f"under the root {spans[first_root].span_id}"
            if first_root >= 0
            else "as a top-level span"
        )
        warnings.append(
            f"Parent {spans[i].parent_id} of span {spans[i].span_id} is not in the trace; "
            f"it is shown {where}."
        )
    return parent_of


def _pre_order(roots: list[Node]) -> list[Node]:
    order = []
    stack = roots[::-1]
    while stack:
        node = stack.pop()
        node.depth = 0 if node.parent is None else node.parent.depth + 1
        order.append(node)
        stack.extend(reversed(node.children))
    return order


def _measure(
    nodes: list[Node], trace_end_ns: float, in_progress_expected: bool, warnings: list[str]
) -> None:
    def end_of(node: Node) -> float:
        end = node.span.end_ns
        return max(node.span.start_ns, trace_end_ns if end is None else end)

    for node in nodes:
        span = node.span
        end_ns = end_of(node)
        node.duration_ms = (end_ns - span.start_ns) / 1e6
        if span.in_progress and not in_progress_expected:
            warnings.append(
                f"Span {span.span_id} has no end time; it is measured to the trace's latest time."
            )
        parent = node.parent
        if parent is not None and (
            span.start_ns < parent.span.start_ns - _OUTSIDE_PARENT_TOLERANCE_NS
            or (not span.in_progress and end_ns > end_of(parent) + _OUTSIDE_PARENT_TOLERANCE_NS)
        ):
            warnings.append(f"Span {span.span_id} runs outside its parent {parent.span.span_id}.")


def build_trace(info: Any, raw_spans: Any) -> Trace:
    """The span tree of a trace from its info and raw span dicts, in any state."""
    warnings: list[str] = []
    spans: list[Span] = []
    if not isinstance(raw_spans, list):
        got = _type_name(raw_spans)
        warnings.append(f"The trace's spans are not a list (got {got}); no spans are shown.")
    else:
        for i, raw in enumerate(raw_spans):
            span = parse_span(raw, i, warnings)
            if span is not None:
                spans.append(span)
    nodes = [Node(span) for span in spans]
    index_of = _dedupe(spans, warnings)
    finite_starts = [span.start_ns for span in spans if math.isfinite(span.start_ns)]
    start_ns = min(finite_starts) if finite_starts else 0.0
    ends = finite_starts + [span.end_ns for span in spans if span.end_ns is not None]
    end_ns = max(ends) if finite_starts else 0.0
    for span in spans:
        if math.isnan(span.start_ns):
            span.start_ns = start_ns
    parent_of = _resolve_parents(spans, index_of, warnings)
    roots: list[Node] = []
    for i, node in enumerate(nodes):
        parent = nodes[parent_of[i]] if parent_of[i] >= 0 else None
        node.parent = parent
        (roots if parent is None else parent.children).append(node)
    roots.sort(key=lambda node: node.span.start_ns)
    for node in nodes:
        if len(node.children) > 1:
            node.children.sort(key=lambda child: child.span.start_ns)
    order = _pre_order(roots)
    state = info.get("state") if isinstance(info, dict) else None
    _measure(nodes, end_ns, state == "IN_PROGRESS", warnings)
    trace = Trace(info, spans, roots, order)
    trace.warnings = warnings
    return trace


def parse_duration_ms(value: Any) -> float | None:
    """Milliseconds from a protobuf Duration such as "0.244s"; None if malformed."""
    if not isinstance(value, str):
        return None
    match = _DURATION.fullmatch(value)
    return float(match.group(1)) * 1000 if match else None


class Summary:
    """Derived figures of one trace (``summarizeTrace``)."""

    __slots__ = (
        "trace_id",
        "name",
        "state",
        "span_count",
        "error_count",
        "token_usage",
        "cost",
        "cost_note",
        "models",
        "duration_ms",
    )


def _derive_state(trace: Trace) -> str:
    if not trace.spans:
        return "STATE_UNSPECIFIED"
    if any(node.span.error for node in trace.roots):
        return "ERROR"
    return "IN_PROGRESS" if any(span.in_progress for span in trace.spans) else "OK"


def _sum_token_usage(trace: Trace) -> tuple[float, float, float] | None:
    total = None
    for span in trace.spans:
        if span.token_usage is not None:
            total = total or (0.0, 0.0, 0.0)
            total = tuple(a + b for a, b in zip(total, span.token_usage, strict=True))
    return total


def summarize_trace(trace: Trace) -> Summary:
    """Summarises a built trace."""
    info = trace.info if isinstance(trace.info, dict) else {}

    def text_of(value: Any) -> str:
        return value if isinstance(value, str) else ""

    metadata = info.get("trace_metadata")
    meta_usage = parse_token_usage(
        metadata.get("mlflow.trace.tokenUsage") if isinstance(metadata, dict) else None
    )
    tags = info.get("tags")
    tag_name = text_of(tags.get("mlflow.traceName") if isinstance(tags, dict) else None)
    info_state = text_of(info.get("state"))
    span_trace_id = next((span.trace_id for span in trace.spans if span.trace_id is not None), None)
    summary = Summary()
    summary.trace_id = text_of(info.get("trace_id")) or (
        (span_trace_id if span_trace_id.startswith("tr-") else f"tr-{span_trace_id}")
        if span_trace_id
        else ""
    )
    summary.name = tag_name or (trace.roots[0].span.name if trace.roots else "")
    summary.state = (
        info_state if info_state and info_state != "STATE_UNSPECIFIED" else _derive_state(trace)
    )
    summary.span_count = len(trace.spans)
    summary.error_count = sum(1 for span in trace.spans if span.error)
    summary.token_usage = meta_usage if meta_usage is not None else _sum_token_usage(trace)
    # The metadata's cost, else the spans' summed as MLflow sums them; a malformed one is a note
    meta_cost = trace_metadata_cost(metadata)
    summary.cost = (
        sum_span_costs(trace.nodes_in_order)
        if meta_cost is None
        else meta_cost
        if isinstance(meta_cost, Cost)
        else None
    )
    summary.cost_note = meta_cost if isinstance(meta_cost, str) else ""
    summary.models = span_models(trace.nodes_in_order)
    if trace.roots:
        start_ms = math.inf
        end_ms = -math.inf
        for root in trace.roots:
            root_start_ms = root.span.start_ns / 1e6
            start_ms = min(start_ms, root_start_ms)
            end_ms = max(end_ms, root_start_ms + root.duration_ms)
        summary.duration_ms = end_ms - start_ms
    else:
        summary.duration_ms = parse_duration_ms(info.get("execution_duration"))
    return summary
