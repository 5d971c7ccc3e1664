"""Writes the contract's cost references from the recorded cost traces
(test/fixtures/recorded/cost, ``node scripts/record-fixtures.mjs cost``):

- ``examples/trace/cost.json``: the traces embedded, cost computed by the
  server from a priced model's token usage, set by hand, absent, and with
  markup as model, provider, session and user;
- ``examples/trace-list/cost-page.json``: their search page, plus one info
  whose ``mlflow.trace.cost`` is cut short (malformed JSON), so both emitters
  are checked on the note they write.

Run from the repository root with the project's .venv Python, then
``node scripts/make-goldens.mjs``.
"""

import copy
import json

R = "test/fixtures/recorded/cost"
OUT = "contract/examples"
URI = "http://127.0.0.1:5000"
LABELS = ["priced", "explicit", "free", "hostile"]


def write(path, obj):
    with open(f"{OUT}/{path}", "w") as f:
        json.dump(obj, f, indent=2, ensure_ascii=True)
        f.write("\n")


def recorded(label):
    info = json.load(open(f"{R}/{label}.info.json"))["trace"]["trace_info"]
    spans = json.load(open(f"{R}/{label}.spans.json"))["spans"]
    return info, spans


traces = []
for label in LABELS:
    info, spans = recorded(label)
    traces.append({"trace_id": info["trace_id"], "info": info, "spans": spans})
write("trace/cost.json", {"version": 1, "tracking_uri": URI, "traces": traces})

page = json.load(open(f"{R}/search.json"))["traces"]
broken = copy.deepcopy(page[0])
broken["trace_id"] = "tr-malformed-cost"
broken["trace_metadata"]["mlflow.trace.cost"] = '{"input_cost": 0.1, "total_cost": '
experiment_id = page[0]["trace_location"]["mlflow_experiment"]["experiment_id"]
write(
    "trace-list/cost-page.json",
    {
        "version": 1,
        "tracking_uri": URI,
        "query": {
            "experiment_ids": [experiment_id],
            "order_by": ["timestamp_ms ASC"],
            "max_results": 100,
        },
        "traces": [*page, broken],
    },
)
