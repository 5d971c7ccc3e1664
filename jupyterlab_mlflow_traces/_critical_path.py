"""The critical path of a trace: the chain of spans that sets its end-to-end
time, and each span's share of it; the same computation, in the same float
operations, as ``src/trace/criticalPath.ts`` (so the fallbacks that draw it
are the same bytes in both emitters).

#### Notes
Walked back from the end: at each span, among its children that end at or
before the cursor, the one that ends last is on the path; the time between
its end and the cursor is the span's own; the walk goes into that child with
the cursor at its end, then carries on in the span before the child's start.
Each child is clipped to its parent's window on the path; a child wholly
outside, or of zero length there, is left off. Several roots are walked as
children of the trace's extent. Iterative, so a 100k-deep chain cannot
overflow; only spans on the path have their children sorted.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ._js import number_text, to_precision_number
from ._model import Node, Trace


@dataclass
class CriticalSegment:
    """A stretch of the critical path, ms from the trace's start."""

    span_id: str | None
    start_ms: float
    end_ms: float


@dataclass
class CriticalPath:
    """The critical path of one trace (``ICriticalPath``)."""

    start_ms: float
    end_ms: float
    total_ms: float
    segments: list[CriticalSegment] = field(default_factory=list)
    #: Each path span's own time on the path, ms, in the order the walk left them.
    share_ms_by_span: dict[str, float] = field(default_factory=dict)
    #: Each path span's clipped window on the path, (start, end) ms.
    window_by_span: dict[str, tuple[float, float]] = field(default_factory=dict)
    #: The path's spans, by id, in the order the walk left them.
    node_by_span: dict[str, Node] = field(default_factory=dict)
    idle_ms: float = 0.0


def trace_start_ns(trace: Trace) -> float:
    """The trace's earliest span start, Unix ns (0 with no timed span)."""
    starts = [span.start_ns for span in trace.spans if math.isfinite(span.start_ns)]
    return min(starts) if starts else 0.0


def start_offsets_ms(trace: Trace) -> dict[Node, float]:
    """Each node's start relative to the trace's earliest start (``startOffsetMs``)."""
    start_ns = trace_start_ns(trace)
    return {node: (node.span.start_ns - start_ns) / 1e6 for node in trace.nodes_in_order}


class _Frame:
    """One span (or the trace's extent, ``node`` None) being walked."""

    __slots__ = ("node", "children", "low_ms", "high_ms", "cursor_ms", "own_ms", "by_end", "next")

    def __init__(self, node: Node | None, children: list[Node], low_ms: float, high_ms: float):
        self.node = node
        self.children = children
        self.low_ms = low_ms
        self.high_ms = high_ms
        self.cursor_ms = high_ms
        self.own_ms = 0.0
        self.by_end: list[Node] | None = None
        self.next = 0


def critical_path(trace: Trace, offsets: dict[Node, float] | None = None) -> CriticalPath:
    """The critical path of ``trace`` (``offsets``: ``start_offsets_ms(trace)``)."""
    offset = start_offsets_ms(trace) if offsets is None else offsets

    def end_of(node: Node) -> float:
        return offset[node] + node.duration_ms

    def by_clipped_end(frame: _Frame) -> list[Node]:
        """Children clipped to the frame, latest clipped end first, empty ones left out."""
        children, low, high = frame.children, frame.low_ms, frame.high_ms
        if len(children) <= 1:
            kept_one = children and min(end_of(children[0]), high) > max(offset[children[0]], low)
            return children if kept_one else []
        kept = []
        for i, child in enumerate(children):
            end_ms = min(end_of(child), high)
            if end_ms > max(offset[child], low):
                kept.append((end_ms, i))
        # Of children ending together, the earlier-starting (longer) one is taken
        kept.sort(key=lambda entry: (-entry[0], entry[1]))
        return [children[i] for _, i in kept]

    roots = trace.roots
    start_ms = min((offset[root] for root in roots), default=0.0)
    end_ms = max((end_of(root) for root in roots), default=0.0)
    path = CriticalPath(start_ms=start_ms, end_ms=end_ms, total_ms=end_ms - start_ms)
    if not roots:
        return path
    reversed_segments: list[CriticalSegment] = []
    stack: list[_Frame] = []

    def enter(node: Node, low_ms: float, high_ms: float) -> None:
        path.window_by_span[node.span.span_id] = (low_ms, high_ms)
        stack.append(_Frame(node, node.children, low_ms, high_ms))

    def own(frame: _Frame, from_ms: float, to_ms: float) -> None:
        if to_ms <= from_ms:
            return
        span_id = frame.node.span.span_id if frame.node is not None else None
        reversed_segments.append(CriticalSegment(span_id, from_ms, to_ms))
        frame.own_ms += to_ms - from_ms

    if len(roots) == 1:
        enter(roots[0], start_ms, end_ms)
    else:
        stack.append(_Frame(None, roots, start_ms, end_ms))
    while stack:
        frame = stack[-1]
        if frame.by_end is None:
            frame.by_end = by_clipped_end(frame)
        child = None
        child_end_ms = 0.0
        while frame.next < len(frame.by_end):
            candidate = frame.by_end[frame.next]
            frame.next += 1
            child_end_ms = min(end_of(candidate), frame.high_ms)
            if child_end_ms <= frame.cursor_ms:
                child = candidate
                break
        if child is None:
            own(frame, frame.low_ms, frame.cursor_ms)
            stack.pop()
            if frame.node is not None:
                path.share_ms_by_span[frame.node.span.span_id] = frame.own_ms
                path.node_by_span[frame.node.span.span_id] = frame.node
            else:
                path.idle_ms = frame.own_ms
            continue
        child_start_ms = max(offset[child], frame.low_ms)
        own(frame, child_end_ms, frame.cursor_ms)
        frame.cursor_ms = child_start_ms
        enter(child, child_start_ms, child_end_ms)
    path.segments = reversed_segments[::-1]
    return path


@dataclass
class CriticalContributor:
    """A name's share of the critical path (``ICriticalContributor``)."""

    name: str
    #: Fraction of the path's total time (0..1).
    share: float
    span_count: int


def _utf16_key(text: str) -> bytes:
    """Orders strings as JavaScript's ``<`` does: by UTF-16 code units."""
    return text.encode("utf-16-be", "surrogatepass")


def top_contributors(path: CriticalPath, n: int = 3) -> list[CriticalContributor]:
    """The ``n`` names with the largest own time on the path, largest first
    (spans of one name summed, ties by name, names with no own time left out)."""
    if not path.total_ms > 0:
        return []
    by_name: dict[str, CriticalContributor] = {}
    for span_id, share_ms in path.share_ms_by_span.items():
        name = path.node_by_span[span_id].span.name
        entry = by_name.setdefault(name, CriticalContributor(name, 0.0, 0))
        entry.share += share_ms / path.total_ms
        entry.span_count += 1
    ranked = sorted(
        (entry for entry in by_name.values() if entry.share > 0),
        key=lambda entry: (-entry.share, _utf16_key(entry.name)),
    )
    return ranked[:n]


def format_percent(ratio: float) -> str:
    """``formatPercent``: three significant digits, ``61%``, ``5.23%``."""
    if not math.isfinite(ratio):
        return "–"
    return f"{number_text(to_precision_number(ratio * 100, 3))}%"


def contributors_text(contributors: list[CriticalContributor]) -> str:
    """``retrieve 61%, llm 30%, agent 9%``; '' when nothing contributes."""
    return ", ".join(f"{entry.name} {format_percent(entry.share)}" for entry in contributors)
