/**
 * Assessment writes: create (feedback, expectation, an override of
 * feedback), update and delete, under
 * `/api/3.0/mlflow/traces/{trace_id}/assessments[/{assessment_id}]`.
 *
 * #### Notes
 * Checked against `mlflow server` 3.17.2:
 * - create is a POST of `{assessment}`; with `overrides: <old id>` the
 *   server marks the old one `valid: false` (an unknown id is a 404).
 * - update is a PATCH of `{assessment, update_mask}`, the mask as a
 *   FieldMask's JSON string `"feedback,rationale"` (the `{paths: [...]}`
 *   form is accepted and updates nothing).
 * - delete answers `{}`, also for an unknown assessment; deleting an
 *   override makes the one it overrode valid again.
 * - An expectation's object or array goes as `serialized_value` JSON text,
 *   as MLflow's SDK sends it: sent as a plain `value`, the server rewrites
 *   it (integers become floats, keys reorder). A `null` one is refused.
 * - The server drops a rationale on an expectation: it is feedback's only.
 */
import { IAssessment } from '../trace/wire';
import { isRecord } from '../trace/attributes';
import {
  AssessmentNotFoundError,
  IErrorContext,
  InvalidResponseError,
  MlflowClientError,
  TraceNotFoundError
} from './errors';
import { HttpClient } from './http';

/** Who gave an assessment. */
export interface IAssessmentSource {
  type: 'HUMAN' | 'LLM_JUDGE' | 'CODE';
  id?: string;
}

/** What the caller says about a trace in feedback or an expectation. */
export interface IAssessmentInput {
  name: string;
  value: unknown;
  /** Feedback only: refused on an expectation (MLflow would drop it). */
  rationale?: string;
  /** Defaults to `{ type: 'HUMAN' }`, as MLflow's own SDK does. */
  source?: IAssessmentSource;
  metadata?: Record<string, string>;
  /** Attach to one span instead of the whole trace. */
  spanId?: string;
}

/** A change to an assessment of `kind`: its value, its rationale or both. */
export interface IAssessmentUpdate {
  kind: 'feedback' | 'expectation';
  value?: unknown;
  /** Feedback only. */
  rationale?: string;
}

/** What MLflow's SDK names the JSON text of an expectation's value. */
const JSON_FORMAT = 'JSON_FORMAT';

/**
 * The `feedback` / `expectation` object carrying `value`: a plain `value`
 * for a boolean, number or string (and any feedback), JSON text in
 * `serialized_value` for an expectation's object or array.
 */
export function assessmentValue(
  kind: 'feedback' | 'expectation',
  value: unknown
): Record<string, unknown> {
  if (value === undefined) {
    throw new TypeError(`the ${kind} has no value`);
  }
  if (kind === 'feedback') {
    return { value };
  }
  if (value === null) {
    throw new TypeError('an expectation cannot be null (MLflow refuses it)');
  }
  if (typeof value === 'object') {
    return {
      serialized_value: {
        serialization_format: JSON_FORMAT,
        value: JSON.stringify(value)
      }
    };
  }
  return { value };
}

/** A rationale to send: feedback's only, since MLflow would drop an expectation's. */
function rationaleOf(
  kind: 'feedback' | 'expectation',
  rationale: string
): string {
  if (kind !== 'feedback') {
    throw new TypeError(
      'an expectation has no rationale in MLflow (it would be dropped)'
    );
  }
  return rationale;
}

/**
 * The JSON body of `POST /api/3.0/mlflow/traces/{id}/assessments`; with
 * `overrides`, a new assessment superseding that one.
 */
export function assessmentBody(
  traceId: string,
  kind: 'feedback' | 'expectation',
  input: IAssessmentInput,
  overrides?: string
): Record<string, unknown> {
  const source = input.source ?? { type: 'HUMAN' };
  const assessment: Record<string, unknown> = {
    assessment_name: input.name,
    trace_id: traceId,
    source: {
      source_type: source.type,
      ...(source.id !== undefined ? { source_id: source.id } : {})
    },
    [kind]: assessmentValue(kind, input.value)
  };
  if (input.spanId) {
    assessment.span_id = input.spanId;
  }
  if (input.rationale !== undefined) {
    assessment.rationale = rationaleOf(kind, input.rationale);
  }
  if (input.metadata) {
    assessment.metadata = input.metadata;
  }
  if (overrides !== undefined) {
    assessment.overrides = overrides;
  }
  return { assessment };
}

/** The JSON body of `PATCH .../assessments/{assessment_id}`. */
export function updateAssessmentBody(
  update: IAssessmentUpdate
): Record<string, unknown> {
  const assessment: Record<string, unknown> = {};
  const mask: string[] = [];
  if (update.value !== undefined) {
    assessment[update.kind] = assessmentValue(update.kind, update.value);
    mask.push(update.kind);
  }
  if (update.rationale !== undefined) {
    assessment.rationale = rationaleOf(update.kind, update.rationale);
    mask.push('rationale');
  }
  if (mask.length === 0) {
    throw new TypeError('nothing to update: give a value or a rationale');
  }
  return { assessment, update_mask: mask.join(',') };
}

function assessmentsPath(traceId: string, assessmentId?: string): string {
  const base = `/api/3.0/mlflow/traces/${encodeURIComponent(traceId)}/assessments`;
  return assessmentId === undefined
    ? base
    : `${base}/${encodeURIComponent(assessmentId)}`;
}

/** Which of the two a 404 of an assessment route means, by MLflow's message. */
function notFound(traceId: string, assessmentId: string | undefined) {
  return (ctx: IErrorContext): MlflowClientError =>
    assessmentId !== undefined && !/^Trace\b/i.test(ctx.serverMessage ?? '')
      ? new AssessmentNotFoundError(traceId, assessmentId, ctx)
      : new TraceNotFoundError(traceId, ctx);
}

function subject(traceId: string, assessmentId?: string): string {
  return assessmentId === undefined
    ? `trace ${traceId}`
    : `assessment ${assessmentId} of trace ${traceId}`;
}

function answered(
  http: HttpClient,
  body: Record<string, unknown>,
  operation: string,
  about: string
): IAssessment {
  if (!isRecord(body.assessment)) {
    throw new InvalidResponseError('no assessment', {
      serverUrl: http.baseUrl,
      operation,
      subject: about
    });
  }
  return body.assessment as unknown as IAssessment;
}

/**
 * Creates feedback or an expectation (with `overrides`, superseding that
 * assessment). A POST: never sent twice, since a retry could create two.
 */
export async function createAssessment(
  http: HttpClient,
  operation: string,
  traceId: string,
  kind: 'feedback' | 'expectation',
  input: IAssessmentInput,
  overrides?: string
): Promise<IAssessment> {
  const about = subject(traceId, overrides);
  const body = await http.request({
    operation,
    subject: about,
    method: 'POST',
    path: assessmentsPath(traceId),
    body: assessmentBody(traceId, kind, input, overrides),
    notFound: notFound(traceId, overrides)
  });
  return answered(http, body, operation, about);
}

/** Changes an assessment's value and/or rationale; resolves with it as now stored. */
export async function updateAssessment(
  http: HttpClient,
  traceId: string,
  assessmentId: string,
  update: IAssessmentUpdate
): Promise<IAssessment> {
  const operation = 'updateAssessment';
  const about = subject(traceId, assessmentId);
  const body = await http.request({
    operation,
    subject: about,
    method: 'PATCH',
    path: assessmentsPath(traceId, assessmentId),
    body: updateAssessmentBody(update),
    notFound: notFound(traceId, assessmentId)
  });
  return answered(http, body, operation, about);
}

/** Deletes one assessment; the server answers alike when it was not there. */
export async function deleteAssessment(
  http: HttpClient,
  traceId: string,
  assessmentId: string
): Promise<void> {
  await http.request({
    operation: 'deleteAssessment',
    subject: subject(traceId, assessmentId),
    method: 'DELETE',
    path: assessmentsPath(traceId, assessmentId),
    notFound: notFound(traceId, assessmentId)
  });
}
