"""LLM cost, model and provider as MLflow records them, as ``src/trace/cost.ts``:
per span the attributes ``mlflow.llm.cost`` (``{input_cost, output_cost,
total_cost}``, USD), ``mlflow.llm.model`` and ``mlflow.llm.provider``; per
trace the metadata ``mlflow.trace.cost``, the same object as a JSON string.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ._format import format_usd
from ._js import is_number, parse_json

#: The span attribute of a span's cost.
SPAN_COST_KEY = "mlflow.llm.cost"
#: The span attribute of the model a span called.
SPAN_MODEL_KEY = "mlflow.llm.model"
#: The span attribute of the model's provider.
SPAN_PROVIDER_KEY = "mlflow.llm.provider"
#: The trace metadata of the trace's aggregated cost.
TRACE_COST_KEY = "mlflow.trace.cost"
#: Models named at most in one line; the rest are counted.
_MAX_MODELS = 3
_FIGURES = (("input", "input_cost"), ("output", "output_cost"), ("total", "total_cost"))


@dataclass
class Cost:
    """A cost in USD; input and output are None when the record leaves them out."""

    input: float | None
    output: float | None
    total: float


@dataclass
class SpanLlm:
    """What a span says of the model it called and its cost."""

    model: str
    provider: str
    cost: Cost | None
    cost_note: str


def parse_cost(value: Any, key: str) -> Cost | str | None:
    """A cost object, or the JSON text of one, recorded under ``key``: the
    Cost, a note saying why it cannot be read, or None when absent."""
    if value is None:
        return None
    record = value
    if isinstance(value, str):
        try:
            record = parse_json(value)
        except ValueError:
            return f"{key} is not valid JSON, so its cost is not shown."
    if not isinstance(record, dict):
        return f"{key} is not an object, so its cost is not shown."
    figures: dict[str, float | None] = {}
    for field, name in _FIGURES:
        raw = record.get(name)
        # An int beyond 2^53 is kept as its digits by parseJsonExact: not a number there either
        unsafe = isinstance(raw, int) and abs(raw) > 2**53 - 1
        if raw is not None and (unsafe or not (is_number(raw) and math.isfinite(raw))):
            return f"{key}: {name} is not a number."
        figures[field] = float(raw) if raw is not None else None
    cost_in, cost_out, total = figures["input"], figures["output"], figures["total"]
    if cost_in is None and cost_out is None and total is None:
        return f"{key} has no input_cost, output_cost or total_cost."
    if total is None:
        total = (cost_in or 0.0) + (cost_out or 0.0)
    return Cost(cost_in, cost_out, total)


def read_span_llm(raw_cost: Any, raw_model: Any, raw_provider: Any) -> SpanLlm | None:
    """A span's model, provider and cost from its decoded attributes (the
    missing marker or a value); None when it records none."""
    model = raw_model if isinstance(raw_model, str) else ""
    provider = raw_provider if isinstance(raw_provider, str) else ""
    reading = parse_cost(raw_cost, SPAN_COST_KEY)
    if reading is None and model == "" and provider == "":
        return None
    return SpanLlm(
        model,
        provider,
        reading if isinstance(reading, Cost) else None,
        reading if isinstance(reading, str) else "",
    )


def trace_metadata_cost(metadata: Any) -> Cost | str | None:
    """The trace metadata's cost (``mlflow.trace.cost``)."""
    return parse_cost(
        metadata.get(TRACE_COST_KEY) if isinstance(metadata, dict) else None, TRACE_COST_KEY
    )


def _span_cost(node: Any) -> Cost | None:
    llm = node.span.llm
    return llm.cost if llm is not None else None


def sum_span_costs(nodes_in_order: list) -> Cost | None:
    """The trace's cost summed over its spans as MLflow sums it: a span's cost
    counts unless an ancestor already records one; None when no span does."""
    covered: set[int] = set()
    total: list[float] | None = None
    for node in nodes_in_order:
        cost = _span_cost(node)
        parent = node.parent
        if parent is not None and (id(parent) in covered or _span_cost(parent) is not None):
            covered.add(id(node))
        elif cost is not None:
            total = total or [0.0, 0.0, 0.0]
            total[0] += cost.input if cost.input is not None else 0.0
            total[1] += cost.output if cost.output is not None else 0.0
            total[2] += cost.total
    return Cost(total[0], total[1], total[2]) if total is not None else None


def span_models(nodes_in_order: list) -> list[str]:
    """The models spans name, each once, in tree order."""
    models: dict[str, None] = {}
    for node in nodes_in_order:
        llm = node.span.llm
        if llm is not None and llm.model:
            models.setdefault(llm.model)
    return list(models)


def cost_breakdown(cost: Cost) -> str:
    """``input $x · output $y``: the parts a cost records; '' when only a total."""
    parts = [
        "" if cost.input is None else f"input {format_usd(cost.input)}",
        "" if cost.output is None else f"output {format_usd(cost.output)}",
    ]
    return " · ".join(part for part in parts if part)


def models_text(models: list[str]) -> str:
    """Models as one line: ``a, b, c +2 more``."""
    more = len(models) - _MAX_MODELS
    return ", ".join(models[:_MAX_MODELS]) + (f" +{more} more" if more > 0 else "")


def span_llm_text(llm: SpanLlm | None) -> str:
    """A span row's compact cell: ``model · $0.00045``; '' when it records neither."""
    if llm is None:
        return ""
    cost = "$?" if llm.cost_note else format_usd(llm.cost.total) if llm.cost else ""
    return " · ".join(part for part in (llm.model, cost) if part)
