"""Shared paths and fixtures of the Python emitter's tests."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CONTRACT = ROOT / "contract"
RECORDED = ROOT / "test" / "fixtures" / "recorded"
KINDS = ("trace", "trace-list", "trace-summary")


def load_json(path: Path):
    """A JSON file, ints exact."""
    return json.loads(path.read_text(encoding="utf-8"))


def examples(kind: str) -> list[Path]:
    """The reference bundles of one MIME payload."""
    return sorted((CONTRACT / "examples" / kind).glob("*.json"))


def recorded(label: str) -> dict:
    """A trace recorded from a real mlflow server: {trace_id, info, spans}."""
    info = load_json(RECORDED / f"{label}.info.json")["trace"]["trace_info"]
    spans = load_json(RECORDED / f"{label}.spans.json")["spans"]
    return {"trace_id": info["trace_id"], "info": info, "spans": spans}


def validator(kind: str):
    """A JSON Schema 2020-12 validator of one MIME payload of the contract."""
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource

    rest = load_json(CONTRACT / "mlflow-rest.schema.json")
    registry = Registry().with_resource(rest["$id"], Resource.from_contents(rest))
    schema = load_json(CONTRACT / f"{kind}.schema.json")
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, registry=registry)


def schema_errors(kind: str, data) -> list[str]:
    """Where the data breaks the schema, one line each; [] when it is valid."""
    found = validator(kind).iter_errors(data)
    return [f"{list(error.absolute_path)}: {error.message}" for error in found]


def typescript_renders(items: list[dict], folder: Path) -> list:
    """What the TypeScript sources make of each ``{kind, data}`` item, in
    one node run of ``scripts/make-goldens.mjs --render`` (None where they
    threw): the other side of every parity test."""
    source = folder / "items.json"
    source.write_text(json.dumps(items), encoding="utf-8")
    answer = subprocess.run(
        ["node", str(ROOT / "scripts" / "make-goldens.mjs"), "--render", str(source)],
        capture_output=True, check=True, cwd=ROOT, timeout=300,
    )  # fmt: skip
    rendered = json.loads(answer.stdout)
    assert len(rendered) == len(items)
    return rendered
