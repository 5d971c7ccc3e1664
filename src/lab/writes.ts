/**
 * Each write the assessments pane can ask for, as a description the
 * AssessmentWriter sends (again on Retry): its label, why it cannot be sent
 * (the value-kind rule, checked before each send), and the request with its
 * edit of the trace info once the server confirms it.
 */
import { IAssessmentInput, MlflowClient } from '../client';
import { clipCodePoints, ITraceInfoV3 } from '../trace';
import {
  addAssessment,
  removeAssessment,
  removeTraceTag,
  replaceAssessment,
  setTraceTag
} from '../trace/assessmentEdits';
import {
  assessmentValueText,
  IAssessmentItem,
  parseAssessments,
  valueKindProblem
} from '../trace/assessments';
import type { IFeedbackInput } from '../view/assessments/actions';

/** A confirmed write's change of the trace info. */
export type Edit = (info: ITraceInfoV3) => ITraceInfoV3;

/** One write, before it has an id and a state. */
export interface IWriteSpec {
  traceId: string;
  label: string;
  assessmentId?: string;
  tagKey?: string;
  /** Why it cannot be sent now, or undefined. */
  problem?: () => string | undefined;
  /** Sends it; resolves with its edit of the info, or rejects. */
  send(client: MlflowClient): Promise<Edit>;
}

/** What the writes read: the Jupyter user and a trace's current info. */
export interface IWriteContext {
  user: string | undefined;
  infoOf: (traceId: string) => ITraceInfoV3 | undefined;
}

type Change = { value: unknown; rationale?: string };

/** New feedback or a new expectation. */
export function addWrite(
  ctx: IWriteContext,
  traceId: string,
  kind: 'feedback' | 'expectation',
  input: IFeedbackInput
): IWriteSpec {
  return {
    traceId,
    label: `${kind} ${input.name} = ${valueText(input.value)}`,
    problem: () =>
      kindProblem(ctx, traceId, undefined, kind, input.value, input.name),
    send: async client => {
      const body = {
        ...humanInput(ctx, input.name, input.value, input.rationale),
        spanId: input.spanId
      };
      const answer =
        kind === 'feedback'
          ? await client.logFeedback(traceId, body)
          : await client.logExpectation(traceId, body);
      return info => addAssessment(info, answer);
    }
  };
}

/** An edit of one's own assessment (PATCH). */
export function editWrite(
  ctx: IWriteContext,
  traceId: string,
  assessmentId: string,
  input: Change
): IWriteSpec {
  const target = itemOf(ctx, traceId, assessmentId);
  const kind = target?.kind === 'expectation' ? 'expectation' : 'feedback';
  return {
    traceId,
    assessmentId,
    label: `edit ${kind} "${target?.name ?? assessmentId}" = ${valueText(input.value)}`,
    problem: () =>
      target?.kind === 'issue'
        ? 'An issue cannot be edited here.'
        : kindProblem(ctx, traceId, target, kind, input.value),
    send: async client => {
      // MLflow keeps no rationale on an expectation (the client refuses one).
      const answer = await client.updateAssessment(traceId, assessmentId, {
        kind,
        value: input.value,
        ...(kind === 'feedback' ? { rationale: input.rationale } : {})
      });
      return info => replaceAssessment(info, answer);
    }
  };
}

/** A new feedback superseding someone else's (POST with `overrides`). */
export function overrideWrite(
  ctx: IWriteContext,
  traceId: string,
  assessmentId: string,
  input: Change
): IWriteSpec {
  const target = itemOf(ctx, traceId, assessmentId);
  return {
    traceId,
    assessmentId,
    label: `override "${target?.name ?? assessmentId}" = ${valueText(input.value)}`,
    problem: () =>
      !target
        ? `Assessment ${assessmentId} is not on trace ${traceId}.`
        : target.kind !== 'feedback'
          ? `Only feedback can be overridden; "${target.name}" is an ${target.kind}.`
          : kindProblem(ctx, traceId, target, 'feedback', input.value),
    send: async client => {
      const answer = await client.overrideFeedback(traceId, assessmentId, {
        ...humanInput(ctx, target!.name, input.value, input.rationale),
        spanId: target!.spanId
      });
      return info => addAssessment(info, answer);
    }
  };
}

/** A delete of one's own assessment. */
export function removeWrite(
  ctx: IWriteContext,
  traceId: string,
  assessmentId: string
): IWriteSpec {
  const target = itemOf(ctx, traceId, assessmentId);
  return {
    traceId,
    assessmentId,
    label: `delete "${target?.name ?? assessmentId}"`,
    send: async client => {
      await client.deleteAssessment(traceId, assessmentId);
      return info => removeAssessment(info, assessmentId);
    }
  };
}

/** A trace tag set (added or changed). */
export function setTagWrite(
  traceId: string,
  key: string,
  value: string
): IWriteSpec {
  return {
    traceId,
    tagKey: key,
    label: `tag ${key} = ${value}`,
    problem: () => (key.trim() ? undefined : 'A tag needs a key.'),
    send: async client => {
      await client.setTraceTag(traceId, key, value);
      return info => setTraceTag(info, key, value);
    }
  };
}

/** A trace tag removed. */
export function removeTagWrite(traceId: string, key: string): IWriteSpec {
  return {
    traceId,
    tagKey: key,
    label: `remove tag ${key}`,
    send: async client => {
      await client.deleteTraceTag(traceId, key);
      return info => removeTraceTag(info, key);
    }
  };
}

/** The body's common part: a human source (the Jupyter user) and the rationale when given. */
function humanInput(
  ctx: IWriteContext,
  name: string,
  value: unknown,
  rationale: string | undefined
): IAssessmentInput {
  return {
    name,
    value,
    ...(rationale ? { rationale } : {}),
    source: { type: 'HUMAN', ...(ctx.user ? { id: ctx.user } : {}) }
  };
}

/** The value-kind rule over the trace's other assessments (an edited one's old value does not count). */
function kindProblem(
  ctx: IWriteContext,
  traceId: string,
  target: IAssessmentItem | undefined,
  kind: 'feedback' | 'expectation',
  value: unknown,
  name = target?.name ?? ''
): string | undefined {
  const others = itemsOf(ctx, traceId).filter(
    item => target === undefined || item.id !== target.id
  );
  return valueKindProblem(others, name, kind, value);
}

function itemsOf(ctx: IWriteContext, traceId: string): IAssessmentItem[] {
  return parseAssessments(ctx.infoOf(traceId)?.assessments).items;
}

function itemOf(
  ctx: IWriteContext,
  traceId: string,
  assessmentId: string
): IAssessmentItem | undefined {
  return itemsOf(ctx, traceId).find(item => item.id === assessmentId);
}

const MAX_LABEL_VALUE = 40;

/** A value as the label of a write shows it (the pane's rule), clipped by code point as the header clips. */
function valueText(value: unknown): string {
  const text = assessmentValueText(value);
  return clipCodePoints(text, MAX_LABEL_VALUE).clipped
    ? `${clipCodePoints(text, MAX_LABEL_VALUE - 1).text}…`
    : text;
}
