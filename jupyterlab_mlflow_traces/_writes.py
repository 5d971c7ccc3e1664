"""The bodies of the writes the server extension forwards, rebuilt from the fields
each request needs: whatever else the browser sent stays on the Jupyter server, and
who wrote it is the Jupyter user, never what the browser claims.

Shapes as MLflow's server (3.17) reads them: ``CreateAssessment``,
``UpdateAssessment``, ``SetTraceTagV3``, ``DeleteTraceTagV3`` (its ``key`` in the
body: MLflow reads a DELETE's query for nothing) and ``SetReviewQueueItemStatus``.
"""

from __future__ import annotations

import getpass
import json
import os
from collections.abc import Callable
from typing import Any

from jupyter_server.auth.identity import IdentityProvider, PasswordIdentityProvider

#: The source MLflow records for a label written through the server extension.
HUMAN = "HUMAN"
#: What an UpdateAssessment may change from the browser (not its source, name or validity).
UPDATABLE = ("feedback", "expectation", "rationale")
#: The one serialization of an expectation's value accepted (MLflow's SDK sends JSON).
JSON_FORMAT = "JSON_FORMAT"


#: Jupyter's own identity providers (token or password: the default one): their users
#: are anonymous, a random id per login cookie and per token request without one.
_ANONYMOUS_USERS = (IdentityProvider, PasswordIdentityProvider)


def jupyter_user(handler: Any) -> str:
    """Who a request is from, as labels name their author: the user Jupyter's identity
    provider names (JupyterHub's behind a hub, a custom provider's); with Jupyter's own
    anonymous users, the server's, as a tslab cell names it (src/kernel/assessments.ts
    reviewer()): JUPYTERHUB_USER, else the account the server runs as."""
    if type(handler.identity_provider) in _ANONYMOUS_USERS:
        try:
            return os.environ.get("JUPYTERHUB_USER") or getpass.getuser()
        except (OSError, KeyError):  # an account without a passwd entry (some containers)
            pass
    return handler.current_user.username


class BadBody(ValueError):
    """The browser's body cannot be forwarded; the message says why (for the browser)."""


def _not_json(constant: str) -> Any:
    # Python's reader takes NaN and Infinity, which are not JSON: sent on, MLflow
    # answers them with a 500 page, or stores JSON text no reader parses
    raise BadBody(f"The request body is not JSON: {constant} is not a JSON number.")


def parse(body: bytes) -> dict[str, Any]:
    """The JSON object the browser sent, or BadBody."""
    try:
        value = json.loads(body.decode("utf-8") if body else "", parse_constant=_not_json)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BadBody(f"The request body is not JSON: {error}.") from None
    if not isinstance(value, dict):
        raise BadBody("The request body must be a JSON object.")
    return value


def _string(value: Any, name: str, required: bool = True) -> str | None:
    if value is None and not required:
        return None
    if not isinstance(value, str) or (required and not value):
        raise BadBody(f"`{name}` must be a {'non-empty ' if required else ''}string.")
    return value


def _object(value: Any, name: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise BadBody(f"`{name}` must be a JSON object.")
    return value


def _value_of(raw: Any, kind: str) -> dict[str, Any]:
    """A feedback's ``{value}`` or an expectation's ``{value}`` / ``{serialized_value}``."""
    part = _object(raw, f"assessment.{kind}")
    if kind == "expectation" and "serialized_value" in part:
        serialized = _object(part["serialized_value"], "assessment.expectation.serialized_value")
        # JSON only: the one format the renderer, MLflow's UI and its SDK read back
        if serialized.get("serialization_format") != JSON_FORMAT:
            raise BadBody(
                f"`serialized_value.serialization_format` must be {JSON_FORMAT}; got "
                f"{json.dumps(serialized.get('serialization_format'))}."
            )
        return {
            "serialized_value": {
                "serialization_format": JSON_FORMAT,
                "value": _string(serialized.get("value"), "serialized_value.value", False) or "",
            }
        }
    if "value" not in part:
        raise BadBody(f"`assessment.{kind}` must have a `value`.")
    value = part["value"]
    if kind == "expectation" and isinstance(value, (dict, list)):
        # as MLflow's SDK sends it: JSON text keeps 1 an integer (a protobuf Value makes it 1.0)
        return {
            "serialized_value": {"serialization_format": JSON_FORMAT, "value": json.dumps(value)}
        }
    return {"value": value}


def _kind(assessment: dict[str, Any]) -> str:
    kinds = [kind for kind in ("feedback", "expectation") if kind in assessment]
    if len(kinds) != 1:
        raise BadBody("An assessment is exactly one of `feedback` or `expectation`.")
    return kinds[0]


def create_assessment(body: dict[str, Any], user: str) -> dict[str, Any]:
    """CreateAssessment: a human feedback or expectation by `user` (an override names
    the one it supersedes in ``overrides``); the trace is the path's."""
    given = _object(body.get("assessment"), "assessment")
    kind = _kind(given)
    assessment: dict[str, Any] = {
        "assessment_name": _string(given.get("assessment_name"), "assessment.assessment_name"),
        "source": {"source_type": HUMAN, "source_id": user},
        kind: _value_of(given[kind], kind),
    }
    # an expectation has no rationale in MLflow (its store drops one): not sent, not
    # claimed saved; nor does it override (MLflow ignores it): refused, not dropped
    if kind != "feedback" and given.get("overrides") is not None:
        raise BadBody("Only a feedback `overrides` another; an expectation is edited instead.")
    kept = ("span_id", "rationale", "overrides") if kind == "feedback" else ("span_id",)
    for name in kept:
        value = _string(given.get(name), f"assessment.{name}", required=False)
        if value:
            assessment[name] = value
    metadata = given.get("metadata")
    if metadata is not None:
        pairs = _object(metadata, "assessment.metadata")
        if not all(isinstance(v, str) for v in pairs.values()):
            raise BadBody("`assessment.metadata` values must be strings.")
        assessment["metadata"] = dict(pairs)
    return {"assessment": assessment}


def update_assessment(body: dict[str, Any], user: str) -> dict[str, Any]:
    """UpdateAssessment of the value and/or rationale (only what ``update_mask`` names)."""
    given = _object(body.get("assessment"), "assessment")
    mask = _string(body.get("update_mask"), "update_mask")
    paths = [path.strip() for path in mask.split(",") if path.strip()]
    refused = [path for path in paths if path not in UPDATABLE]
    if refused or not paths:
        raise BadBody(f"`update_mask` may name only {', '.join(UPDATABLE)}; got {mask!r}.")
    assessment: dict[str, Any] = {}
    for path in paths:
        if path == "rationale":
            rationale = _string(given.get("rationale"), "assessment.rationale", required=False)
            assessment["rationale"] = rationale or ""
        else:
            assessment[path] = _value_of(given.get(path), path)
    return {"assessment": assessment, "update_mask": ",".join(paths)}


def _tag_key(body: dict[str, Any]) -> str:
    """A tag key the browser may write: not one of MLflow's own (``mlflow.*``: where
    the spans are, the trace's name, its user), which MLflow itself mostly lets through;
    spaces around it do not hide one (MLflow keeps them, readers strip them)."""
    key = _string(body.get("key"), "key")
    if key.strip().startswith("mlflow."):
        raise BadBody(
            f"The tag {json.dumps(key.strip())} is MLflow's own (`mlflow.*`): "
            "it is not set or deleted through JupyterLab."
        )
    return key


def set_tag(body: dict[str, Any], user: str) -> dict[str, Any]:
    """SetTraceTagV3 of a tag not MLflow's own."""
    value = _string(body.get("value"), "value", required=False) or ""
    return {"key": _tag_key(body), "value": value}


def delete_tag(body: dict[str, Any], user: str) -> dict[str, Any]:
    """DeleteTraceTagV3 of a tag not MLflow's own: the key in the body, where MLflow reads it."""
    return {"key": _tag_key(body)}


def set_item_status(body: dict[str, Any], user: str) -> dict[str, Any]:
    """SetReviewQueueItemStatus, completed by `user` (MLflow clears it on PENDING;
    a tracking server with its own auth records its signed-in user instead)."""
    status = _string(body.get("status"), "status")
    rebuilt = {
        "queue_id": _string(body.get("queue_id"), "queue_id"),
        "item_id": _string(body.get("item_id"), "item_id"),
        "status": status,
    }
    if status != "PENDING":
        rebuilt["completed_by"] = user
    return rebuilt


#: A rebuilder: the browser's JSON object and the Jupyter user's name → the body to send.
Rebuild = Callable[[dict[str, Any], str], dict[str, Any]]


def rebuilt(rebuild: Rebuild, body: bytes, user: str) -> bytes:
    """The body to forward for the browser's `body`, or BadBody."""
    return json.dumps(rebuild(parse(body), user)).encode()


def owner_problem(answer: Any, user: str) -> str | None:
    """Why `user` may not edit or delete the assessment MLflow answered (GetAssessment), or None."""
    assessment = answer.get("assessment") if isinstance(answer, dict) else None
    source = assessment.get("source") if isinstance(assessment, dict) else None
    if not isinstance(source, dict):
        return "The tracking server's answer names no source for this assessment."
    source_type, source_id = source.get("source_type"), source.get("source_id")
    if source_type == HUMAN and source_id == user:
        return None
    return (
        f"This assessment is by {source_type} {json.dumps(source_id)}, not by you "
        f"({json.dumps(user)}): only its author edits or deletes it; override it instead."
    )
