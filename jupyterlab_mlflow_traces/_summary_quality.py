"""Quality over time: one entry per assessment name, from the valid (not
overridden) assessments of the traces in range, by the trace's request
time, as MLflow's ASSESSMENTS view counts them.

A value counts toward the mean as the server maps it
(``mlflow/store/tracking/utils/trace_analytics.py`` ``assessment_aggregate``):
a boolean or "yes"/"no" (any case, outer whitespace ignored) as 1/0, a
finite number as itself, anything else not at all. ``values`` (counts by the
JSON text of the value, as the server stores it) only for names with at
most MAX_VALUES distinct values.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from typing import Any

#: Most distinct values a quality entry lists its counts of.
MAX_VALUES = 10
#: Decimals of a mean.
MEAN_DIGITS = 6


def rounded(value: float | None, digits: int) -> float | int | None:
    """``value`` rounded to ``digits`` decimals; integral values as ints (as JSON writes them)."""
    if value is None:
        return None
    value = round(float(value), digits)
    return int(value) if value.is_integer() else value


def assessment_number(value: Any) -> float | None:
    """The number MLflow's server averages for an assessment value, or None."""
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, (int, float)):
        try:
            number = float(value)
        except OverflowError:
            return None
        return number if math.isfinite(number) else None
    if isinstance(value, str) and value.strip().lower() in ("yes", "no"):
        return 1.0 if value.strip().lower() == "yes" else 0.0
    return None


def assessment_value(assessment: Any) -> Any:
    """The value of a feedback, an expectation or an issue reference, as the server stores it."""
    if getattr(assessment, "feedback", None) is not None:
        return assessment.feedback.value
    if getattr(assessment, "expectation", None) is not None:
        return assessment.expectation.value
    issue = getattr(assessment, "issue", None)
    return issue.to_dictionary() if issue is not None else None


def value_key(value: Any) -> str:
    """The JSON text of a value, as the server's assessment_value dimension holds it."""
    return json.dumps(value)


class _Stats:
    """Count and numbers of one name in one bucket (or the range)."""

    def __init__(self) -> None:
        self.count = 0
        self.numbers: list[float] = []

    def point(self) -> dict:
        mean = math.fsum(self.numbers) / len(self.numbers) if self.numbers else None
        return {"count": self.count, "mean": rounded(mean, MEAN_DIGITS)}


class QualityTally:
    """Valid assessments per name, per bucket and over the range (the search path)."""

    def __init__(self, bucket_count: int) -> None:
        self._bucket_count = bucket_count
        self._names: dict[str, tuple[_Stats, list[_Stats], Counter]] = {}

    def add(self, index: int, assessments: Any) -> None:
        for assessment in assessments or []:
            if getattr(assessment, "valid", None) is False:
                continue  # overridden: MLflow's view counts only valid ones
            name = assessment.name
            if name not in self._names:
                buckets = [_Stats() for _ in range(self._bucket_count)]
                self._names[name] = (_Stats(), buckets, Counter())
            total, buckets, values = self._names[name]
            value = assessment_value(assessment)
            number = assessment_number(value)
            for stats in (total, buckets[index]):
                stats.count += 1
                if number is not None:
                    stats.numbers.append(number)
            values[value_key(value)] += 1

    def entries(self, first_ms: int, interval_ms: int) -> list[dict]:
        out = []
        for name in sorted(self._names):
            total, buckets, values = self._names[name]
            points = [b.point() for b in buckets]
            out.append(entry(name, total.point(), values, points, first_ms, interval_ms))
        return out


def entry(
    name: str, total: dict, values: dict, points: list[dict], first_ms: int, interval_ms: int
) -> dict:
    """A quality entry of its range figures ``{count, mean}``, its counts by
    value and its bucket figures."""
    out: dict = {"name": name, "count": total["count"], "mean": total["mean"]}
    if len(values) <= MAX_VALUES:
        out["values"] = {key: values[key] for key in sorted(values)}
    out["buckets"] = [
        {"start_time_ms": first_ms + i * interval_ms, **point} for i, point in enumerate(points)
    ]
    return out
