/**
 * Labels from a cell: feedback, expectations, overrides, edits and
 * deletions of assessments on the configured tracking server. A human
 * label is recorded as the notebook's user (see {@link reviewer}), and a
 * value of another kind than the name's existing ones (a string where the
 * trace's other "correct" feedback is boolean) fails before anything is
 * written, as it does in the output's assessments pane.
 */
import * as os from 'os';
import {
  AssessmentNotFoundError,
  IAssessmentSource,
  MlflowClient
} from '../client';
import {
  IAssessmentItem,
  parseAssessments,
  valueKindProblem
} from '../trace/assessments';
import { IAssessment } from '../trace/wire';
import { TraceRef, traceRefId } from './display';
import { current } from './session';

/** Who gave an assessment: `{ type, id }` or just the type. */
export type AssessmentSourceInput =
  IAssessmentSource | IAssessmentSource['type'];

/** Feedback or an expectation, as logFeedback()/logExpectation() take it. */
export interface IAssessmentOptions {
  name: string;
  value: unknown;
  /** Feedback only: refused on an expectation (MLflow keeps none). */
  rationale?: string;
  /** Default: HUMAN, the notebook's user ({@link reviewer}). */
  source?: AssessmentSourceInput;
  metadata?: Record<string, string>;
  /** Attach to one span instead of the whole trace. */
  spanId?: string;
}

/** A new value for someone else's feedback, as overrideFeedback() takes it. */
export interface IOverrideOptions {
  value: unknown;
  rationale?: string;
  /** Default: HUMAN, the notebook's user. */
  source?: AssessmentSourceInput;
  metadata?: Record<string, string>;
}

/** What updateAssessment() changes; `kind`, when given, must be the assessment's. */
export interface IUpdateOptions {
  kind?: 'feedback' | 'expectation';
  value?: unknown;
  rationale?: string;
}

/**
 * The notebook's user, recorded as a human label's source id: JupyterHub's
 * user name behind a hub (JUPYTERHUB_USER), else the OS account's name.
 */
export function reviewer(): string | undefined {
  const hubUser = process.env.JUPYTERHUB_USER;
  if (hubUser) {
    return hubUser;
  }
  try {
    return os.userInfo().username || undefined;
  } catch {
    return undefined; // an account without a passwd entry (some containers)
  }
}

/** The source to send: a human one without an id is the notebook's user. */
export function sourceOf(
  source: AssessmentSourceInput | undefined
): IAssessmentSource {
  const given = typeof source === 'string' ? { type: source } : source;
  if (given === undefined || (given.type === 'HUMAN' && !given.id)) {
    const id = reviewer();
    return id === undefined ? { type: 'HUMAN' } : { type: 'HUMAN', id };
  }
  return given;
}

interface ITarget {
  client: MlflowClient;
  traceId: string;
  items: IAssessmentItem[];
  /** As the server sent them (span ids unnormalised). */
  raw: IAssessment[];
}

/** The client and the trace's current assessments, read before a write. */
async function target(trace: TraceRef): Promise<ITarget> {
  const client = (await current()).client;
  const traceId = traceRefId(trace);
  const raw = (await client.getTraceInfo(traceId)).assessments ?? [];
  return { client, traceId, items: parseAssessments(raw).items, raw };
}

/** Throws (nothing is sent) when the value's kind differs from the name's. */
function checkKind(
  operation: string,
  t: ITarget,
  name: string,
  kind: 'feedback' | 'expectation',
  value: unknown,
  except?: string
): void {
  const others = t.items.filter(item => item.id !== except);
  const problem = valueKindProblem(others, name, kind, value);
  if (problem !== undefined) {
    throw new TypeError(`${operation} on trace ${t.traceId}: ${problem}`);
  }
}

/** The existing assessment `id` of the trace, or AssessmentNotFoundError. */
function existing(operation: string, t: ITarget, id: string): IAssessmentItem {
  const item = t.items.find(i => i.id === id);
  if (item === undefined) {
    throw new AssessmentNotFoundError(t.traceId, id, {
      serverUrl: t.client.trackingUri,
      operation
    });
  }
  return item;
}

async function create(
  kind: 'feedback' | 'expectation',
  trace: TraceRef,
  options: IAssessmentOptions
): Promise<IAssessment> {
  const operation = kind === 'feedback' ? 'logFeedback' : 'logExpectation';
  const t = await target(trace);
  checkKind(operation, t, options.name, kind, options.value);
  const input = { ...options, source: sourceOf(options.source) };
  return kind === 'feedback'
    ? t.client.logFeedback(t.traceId, input)
    : t.client.logExpectation(t.traceId, input);
}

/** Logs feedback on a trace (or a span); resolves with what the server stored. */
export function logFeedback(
  trace: TraceRef,
  options: IAssessmentOptions
): Promise<IAssessment> {
  return create('feedback', trace, options);
}

/** Logs an expectation (ground truth; JSON too); resolves with what the server stored. */
export function logExpectation(
  trace: TraceRef,
  options: IAssessmentOptions
): Promise<IAssessment> {
  return create('expectation', trace, options);
}

/**
 * New feedback superseding `assessmentId` (someone else's, e.g. a judge's),
 * with its name and span; MLflow keeps the old one, marked not valid.
 */
export async function overrideFeedback(
  trace: TraceRef,
  assessmentId: string,
  options: IOverrideOptions
): Promise<IAssessment> {
  const operation = 'overrideFeedback';
  const t = await target(trace);
  const old = existing(operation, t, assessmentId);
  if (old.kind !== 'feedback') {
    throw new TypeError(
      `${operation} on trace ${t.traceId}: ${assessmentId} ("${old.name}") is ${old.kind === 'issue' ? 'an issue' : 'an expectation'}, not feedback`
    );
  }
  checkKind(operation, t, old.name, 'feedback', options.value, assessmentId);
  return t.client.overrideFeedback(t.traceId, assessmentId, {
    name: old.name,
    // exactly as stored, as MLflow's override_feedback copies it
    spanId: t.raw.find(a => a.assessment_id === assessmentId)?.span_id,
    value: options.value,
    rationale: options.rationale,
    metadata: options.metadata,
    source: sourceOf(options.source)
  });
}

/** Changes an assessment's value and/or (feedback's) rationale, in place. */
export async function updateAssessment(
  trace: TraceRef,
  assessmentId: string,
  update: IUpdateOptions
): Promise<IAssessment> {
  const operation = 'updateAssessment';
  const t = await target(trace);
  const item = existing(operation, t, assessmentId);
  if (item.kind === 'issue' || (update.kind && update.kind !== item.kind)) {
    throw new TypeError(
      `${operation} on trace ${t.traceId}: ${assessmentId} ("${item.name}") is ${item.kind === 'issue' ? 'an issue' : item.kind}` +
        (update.kind ? `, not ${update.kind}` : ', which cannot be updated')
    );
  }
  if (update.value !== undefined) {
    checkKind(operation, t, item.name, item.kind, update.value, assessmentId);
  }
  return t.client.updateAssessment(t.traceId, assessmentId, {
    kind: item.kind,
    value: update.value,
    rationale: update.rationale
  });
}

/** Deletes one assessment of the trace (an unknown id is an error). */
export async function deleteAssessment(
  trace: TraceRef,
  assessmentId: string
): Promise<void> {
  const t = await target(trace);
  existing('deleteAssessment', t, assessmentId);
  await t.client.deleteAssessment(t.traceId, assessmentId);
}
