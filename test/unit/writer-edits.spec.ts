/**
 * The confirmed writes applied to a trace info as MLflow's store applies
 * them. The assessments are answers of `mlflow server` 3.17.2 (probe of
 * create/override/update/delete, copied as the server sent them).
 */
import {
  addAssessment,
  removeAssessment,
  removeTraceTag,
  replaceAssessment,
  setTraceTag
} from '../../src/trace/assessmentEdits';
import { IAssessment, ITraceInfoV3 } from '../../src/trace';

const TRACE = 'tr-f5a55396e05e021d61513ff251587478';
const judge: IAssessment = {
  assessment_id: 'a-37ea11e8530b4d9d8fa5517149ec79e4',
  assessment_name: 'quality',
  trace_id: TRACE,
  source: { source_type: 'LLM_JUDGE', source_id: 'gpt' },
  create_time: '2026-12-07T05:53:33.063Z',
  last_update_time: '2026-12-07T05:53:33.063Z',
  feedback: { value: true },
  rationale: 'ok',
  valid: true
};
const override: IAssessment = {
  assessment_id: 'a-c88ee33f90d3450c96c19da7755d341f',
  assessment_name: 'quality',
  trace_id: TRACE,
  source: { source_type: 'HUMAN', source_id: 'me' },
  create_time: '2026-12-07T05:53:33.313Z',
  last_update_time: '2026-12-07T05:53:33.313Z',
  feedback: { value: false },
  overrides: judge.assessment_id,
  valid: true
};
const updated: IAssessment = {
  ...override,
  last_update_time: '2026-12-07T05:53:33.402Z',
  feedback: { value: true },
  rationale: 'why'
};
const expectation: IAssessment = {
  assessment_id: 'a-04bc5760ad434464b1ae8b782e9ce15a',
  assessment_name: 'exp',
  trace_id: TRACE,
  source: { source_type: 'HUMAN', source_id: 'me' },
  create_time: '2026-12-07T05:53:33.432Z',
  last_update_time: '2026-12-07T05:53:33.432Z',
  expectation: {
    serialized_value: {
      serialization_format: 'JSON_FORMAT',
      value: '{"a": [1.0, 2.0]}'
    }
  },
  valid: true
};
const info: ITraceInfoV3 = {
  trace_id: TRACE,
  state: 'OK',
  tags: { 'mlflow.traceName': 'f' },
  assessments: [judge]
};

function frozen<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

describe('addAssessment', () => {
  it('adds the answer of a create, keeping the rest of the info', () => {
    const before = frozen(info);
    const after = addAssessment(info, expectation);
    expect(after.assessments).toEqual([judge, expectation]);
    expect(after.tags).toEqual(info.tags);
    expect(info).toEqual(before);
  });

  it('adds to an info without assessments', () => {
    expect(addAssessment({ trace_id: TRACE }, expectation).assessments).toEqual(
      [expectation]
    );
  });

  it('an override supersedes the one it names (valid: false), as the store does', () => {
    const after = addAssessment(info, override);
    expect(after.assessments).toEqual([{ ...judge, valid: false }, override]);
    expect(judge.valid).toBe(true);
  });

  it('the same answer twice is kept once', () => {
    const once = addAssessment(info, expectation);
    expect(addAssessment(once, expectation).assessments).toHaveLength(2);
  });
});

describe('replaceAssessment', () => {
  it('replaces the edited one in place', () => {
    const withBoth = addAssessment(addAssessment(info, override), expectation);
    const after = replaceAssessment(withBoth, updated);
    expect(after.assessments).toEqual([
      { ...judge, valid: false },
      updated,
      expectation
    ]);
  });

  it('adds it when this info does not hold it', () => {
    expect(replaceAssessment(info, expectation).assessments).toEqual([
      judge,
      expectation
    ]);
  });
});

describe('removeAssessment', () => {
  it('removes only the one asked', () => {
    const withExp = addAssessment(info, expectation);
    expect(
      removeAssessment(withExp, expectation.assessment_id!).assessments
    ).toEqual([judge]);
  });

  it('deleting an override restores the overridden one, as the store does', () => {
    const overridden = addAssessment(info, override);
    expect(
      removeAssessment(overridden, override.assessment_id!).assessments
    ).toEqual([{ ...judge, valid: true }]);
  });

  it('an unknown id changes nothing', () => {
    expect(removeAssessment(info, 'a-unknown')).toBe(info);
  });
});

describe('trace tags', () => {
  it('sets a new tag and changes an existing one', () => {
    const after = setTraceTag(info, 'reviewed', 'yes');
    expect(after.tags).toEqual({ 'mlflow.traceName': 'f', reviewed: 'yes' });
    expect(setTraceTag(after, 'reviewed', 'no').tags?.reviewed).toBe('no');
    expect(info.tags).toEqual({ 'mlflow.traceName': 'f' });
  });

  it('sets a tag on an info without tags', () => {
    expect(setTraceTag({ trace_id: TRACE }, 'k', 'v').tags).toEqual({ k: 'v' });
  });

  it('removes a tag, and nothing else', () => {
    const after = removeTraceTag(setTraceTag(info, 'k', 'v'), 'k');
    expect(after.tags).toEqual({ 'mlflow.traceName': 'f' });
    expect(removeTraceTag(info, 'absent')).toBe(info);
    expect(removeTraceTag(info, 'toString')).toBe(info);
  });

  it('a hostile key is kept as data', () => {
    const after = setTraceTag(
      info,
      '__proto__',
      '<img src=x onerror=alert(1)>'
    );
    expect(Object.getOwnPropertyNames(after.tags)).toContain('__proto__');
    expect(Object.getPrototypeOf(after.tags)).toBe(Object.prototype);
  });
});
