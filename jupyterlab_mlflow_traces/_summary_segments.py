"""Segments: the traces split by the value of a tag or a metadata key.

The server's aggregation cannot group by a tag, so the values are found
from the traces in range, newest first, reading at most SAMPLE trace infos:
the MAX_SEGMENTS most common values (ties: value ascending), biggest first.
Traces without the key are in no segment. The server path then asks the
same queries as the whole with one more filter; the search path tallies
each value's traces.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from ._format import format_count, plural

#: Most segments a summary holds.
MAX_SEGMENTS = 12
#: Most trace infos read to find the values.
SAMPLE = 2000


def value_of(info: Any, group_by: dict) -> str | None:
    """The trace's value of the group_by key, or None without it."""
    found = info.tags if group_by["kind"] == "tag" else info.trace_metadata
    value = (found or {}).get(group_by["key"])
    return value if isinstance(value, str) else None


def top_values(infos: list[Any], group_by: dict) -> list[str]:
    """The MAX_SEGMENTS most common values among ``infos``."""
    counts = Counter(v for info in infos if (v := value_of(info, group_by)) is not None)
    return sorted(counts, key=lambda value: (-counts[value], value))[:MAX_SEGMENTS]


def newest_infos(client: Any, experiment_ids: list[str], filter_string: str) -> list[Any]:
    """At most SAMPLE trace infos the search finds, newest first."""
    from ._summary_search import PAGE_SIZE

    infos: list[Any] = []
    token = None
    while len(infos) < SAMPLE:
        page = client.search_traces(
            locations=experiment_ids,
            filter_string=filter_string,
            max_results=min(PAGE_SIZE, SAMPLE - len(infos)),
            order_by=["timestamp_ms DESC"],
            page_token=token,
            include_spans=False,
        )
        infos.extend(trace.info for trace in page)
        token = getattr(page, "token", None)
        if not token:
            break
    return infos[:SAMPLE]


def newest_of(traces: list[Any]) -> list[Any]:
    """The infos of the SAMPLE newest traces (by request time) of the search path."""
    ordered = sorted((t.info for t in traces), key=lambda info: -int(info.request_time))
    return ordered[:SAMPLE]


def segments_note(group_by: dict, read: int, total: int, segmented: int) -> str:
    """How the values were found, and how many traces are in no segment."""
    where = f"{group_by['kind']} {group_by['key']}"
    if read >= total:
        note = f"values of {where} from the {plural(total, 'trace')} in range"
    else:
        note = f"values of {where} from the newest {format_count(read)} of {plural(total, 'trace')}"
    outside = total - segmented
    if outside > 0:
        note += f"; {plural(outside, 'trace')} in no segment"
    return note
