/**
 * Assessment writes without a server: the bodies (values as MLflow's SDK
 * sends them, the update mask as the server reads it), the requests the
 * client sends, which are retried, and errors naming the assessment.
 */
import {
  AssessmentNotFoundError,
  assessmentBody,
  BadRequestError,
  ServerError,
  TraceNotFoundError,
  updateAssessmentBody
} from '../../../src/client';
import { scriptedClient } from './scriptedFetch';

const STORED = {
  assessment: { assessment_id: 'a-2', assessment_name: 'ok', valid: true }
};

describe('assessmentBody', () => {
  it.each([true, 0, 4.5, 'fine'])(
    'sends feedback %p as a plain value',
    value => {
      const body = assessmentBody('tr-1', 'feedback', { name: 'n', value });
      expect(body.assessment).toEqual({
        assessment_name: 'n',
        trace_id: 'tr-1',
        source: { source_type: 'HUMAN' },
        feedback: { value }
      });
    }
  );

  it("sends an expectation's object and array as JSON text, integers and key order kept", () => {
    const value = { z: [1, 2], a: 'x' };
    const body = assessmentBody('tr-1', 'expectation', { name: 'n', value });
    expect((body.assessment as any).expectation).toEqual({
      serialized_value: {
        serialization_format: 'JSON_FORMAT',
        value: '{"z":[1,2],"a":"x"}'
      }
    });
    const list = assessmentBody('tr-1', 'expectation', {
      name: 'n',
      value: [1, 'two']
    });
    expect((list.assessment as any).expectation.serialized_value.value).toBe(
      '[1,"two"]'
    );
    const plain = assessmentBody('tr-1', 'expectation', {
      name: 'n',
      value: 'Paris'
    });
    expect((plain.assessment as any).expectation).toEqual({ value: 'Paris' });
  });

  it('refuses a missing value and a null expectation before sending', () => {
    expect(() =>
      assessmentBody('tr-1', 'feedback', { name: 'n', value: undefined })
    ).toThrow('the feedback has no value');
    expect(() =>
      assessmentBody('tr-1', 'expectation', { name: 'n', value: null })
    ).toThrow('an expectation cannot be null');
  });

  it('carries source, span, rationale, metadata and what it overrides', () => {
    const body = assessmentBody(
      'tr-1',
      'feedback',
      {
        name: 'n',
        value: false,
        rationale: 'r',
        spanId: 's1',
        metadata: { k: 'v' },
        source: { type: 'HUMAN', id: 'alice' }
      },
      'a-old'
    );
    expect(body.assessment).toEqual({
      assessment_name: 'n',
      trace_id: 'tr-1',
      source: { source_type: 'HUMAN', source_id: 'alice' },
      feedback: { value: false },
      span_id: 's1',
      rationale: 'r',
      metadata: { k: 'v' },
      overrides: 'a-old'
    });
  });
});

describe('updateAssessmentBody', () => {
  it('masks exactly the fields given, as a FieldMask string', () => {
    expect(updateAssessmentBody({ kind: 'feedback', value: 3 })).toEqual({
      assessment: { feedback: { value: 3 } },
      update_mask: 'feedback'
    });
    expect(updateAssessmentBody({ kind: 'feedback', rationale: 'r' })).toEqual({
      assessment: { rationale: 'r' },
      update_mask: 'rationale'
    });
    expect(
      updateAssessmentBody({ kind: 'feedback', value: false, rationale: '' })
    ).toEqual({
      assessment: { feedback: { value: false }, rationale: '' },
      update_mask: 'feedback,rationale'
    });
    expect(
      updateAssessmentBody({ kind: 'expectation', value: { a: 1 } })
    ).toEqual({
      assessment: {
        expectation: {
          serialized_value: {
            serialization_format: 'JSON_FORMAT',
            value: '{"a":1}'
          }
        }
      },
      update_mask: 'expectation'
    });
  });

  it("refuses an expectation's rationale and an empty update", () => {
    expect(() =>
      updateAssessmentBody({ kind: 'expectation', rationale: 'r' })
    ).toThrow('an expectation has no rationale in MLflow');
    expect(() =>
      assessmentBody('tr-1', 'expectation', {
        name: 'n',
        value: 'x',
        rationale: 'r'
      })
    ).toThrow('an expectation has no rationale in MLflow');
    expect(() => updateAssessmentBody({ kind: 'feedback' })).toThrow(
      'nothing to update'
    );
  });
});

describe('MlflowClient assessment writes', () => {
  it('overrideFeedback POSTs a new feedback naming the old one', async () => {
    const { client, sent } = scriptedClient([{ body: STORED }]);
    const stored = await client.overrideFeedback('tr-1', 'a-1', {
      name: 'ok',
      value: false
    });
    expect(stored).toEqual(STORED.assessment);
    expect(sent).toHaveLength(1);
    expect(sent[0].method).toBe('POST');
    expect(sent[0].url.pathname).toBe(
      '/api/3.0/mlflow/traces/tr-1/assessments'
    );
    expect(sent[0].body.assessment.overrides).toBe('a-1');
  });

  it('updateAssessment PATCHes the one assessment; deleteAssessment DELETEs it', async () => {
    const { client, sent } = scriptedClient([{ body: STORED }, { body: {} }]);
    await client.updateAssessment('tr-1', 'a/2', {
      kind: 'feedback',
      rationale: 'r'
    });
    await client.deleteAssessment('tr-1', 'a/2');
    expect(sent.map(s => `${s.method} ${s.url.pathname}`)).toEqual([
      'PATCH /api/3.0/mlflow/traces/tr-1/assessments/a%2F2',
      'DELETE /api/3.0/mlflow/traces/tr-1/assessments/a%2F2'
    ]);
    expect(sent[0].body.update_mask).toBe('rationale');
    expect(sent[1].body).toBeUndefined();
  });

  it('does not send a create twice after a 502, but retries a PATCH and a DELETE', async () => {
    const bad = { status: 502, body: { message: 'bad gateway' } };
    const create = scriptedClient([bad, { body: STORED }]);
    await expect(
      create.client.overrideFeedback('tr-1', 'a-1', { name: 'ok', value: 1 })
    ).rejects.toBeInstanceOf(ServerError);
    expect(create.sent).toHaveLength(1);
    const patch = scriptedClient([bad, { body: STORED }]);
    await patch.client.updateAssessment('tr-1', 'a-1', {
      kind: 'feedback',
      value: 1
    });
    expect(patch.sent).toHaveLength(2);
    const del = scriptedClient([bad, { body: {} }]);
    await del.client.deleteAssessment('tr-1', 'a-1');
    expect(del.sent).toHaveLength(2);
  });

  it("names the assessment and the trace in the server's refusals", async () => {
    const missing = scriptedClient([
      {
        status: 404,
        body: {
          error_code: 'RESOURCE_DOES_NOT_EXIST',
          message: "Assessment with ID 'a-9' not found for trace 'tr-1'"
        }
      }
    ]);
    const err = await missing.client
      .overrideFeedback('tr-1', 'a-9', { name: 'ok', value: 1 })
      .catch(e => e);
    expect(err).toBeInstanceOf(AssessmentNotFoundError);
    expect(err.message).toContain('Assessment a-9 of trace tr-1 not found');
    expect(err.assessmentId).toBe('a-9');

    const noTrace = scriptedClient([
      {
        status: 404,
        body: {
          error_code: 'RESOURCE_DOES_NOT_EXIST',
          message: "Trace with request_id 'tr-9' not found"
        }
      }
    ]);
    const err2 = await noTrace.client
      .updateAssessment('tr-9', 'a-1', { kind: 'feedback', value: 1 })
      .catch(e => e);
    expect(err2).toBeInstanceOf(TraceNotFoundError);
    expect(err2.traceId).toBe('tr-9');

    const refused = scriptedClient([
      {
        status: 400,
        body: {
          error_code: 'INVALID_PARAMETER_VALUE',
          message: 'Cannot update expectation value on a Feedback assessment.'
        }
      }
    ]);
    const err3 = await refused.client
      .updateAssessment('tr-1', 'a-1', { kind: 'expectation', value: 1 })
      .catch(e => e);
    expect(err3).toBeInstanceOf(BadRequestError);
    expect(err3.message).toBe(
      'updateAssessment of assessment a-1 of trace tr-1 rejected by ' +
        'http://127.0.0.1:5000: Cannot update expectation value on a Feedback assessment.'
    );
    expect(err3.operation).toBe('updateAssessment');
    expect(err3.subject).toBe('assessment a-1 of trace tr-1');
  });
});
