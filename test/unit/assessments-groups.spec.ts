/**
 * The pane's arrangement of assessments: current ones with their override
 * chains (as MLflow's store leaves them: an override chain, two reviewers
 * overriding the same one, a cycle, a superseded one whose successor is
 * gone), and sections by target with feedback grouped by name then value.
 */
import { IAssessmentItem, parseAssessments } from '../../src/trace';
import { currentEntries, sectionOf } from '../../src/view/assessments/groups';
import { RECORDED_ASSESSMENTS } from './assessments-fixtures';

let next = 0;

/** A feedback entry as the server writes it. */
function feedback(
  fields: Record<string, unknown> & { value?: unknown }
): Record<string, unknown> {
  const { value, ...rest } = fields;
  next += 1;
  return {
    assessment_id: `a-${next}`,
    assessment_name: 'n',
    feedback: { value },
    valid: true,
    ...rest
  };
}

function items(raw: unknown[]): IAssessmentItem[] {
  return parseAssessments(raw).items;
}

const ids = (list: IAssessmentItem[]) => list.map(item => item.id);

describe('currentEntries', () => {
  it('puts an override chain under its newest, newest first', () => {
    const entries = currentEntries(
      parseAssessments(RECORDED_ASSESSMENTS).items
    );
    expect(entries).toHaveLength(11);
    const correct = entries.find(entry => entry.item.name === 'correct')!;
    expect(correct.item.sourceId).toBe('carol');
    expect(correct.history.map(item => item.sourceId)).toEqual([
      'bob',
      'alice'
    ]);
    expect(entries.filter(entry => entry.history.length > 0)).toHaveLength(1);
  });

  it('puts an assessment two reviewers overrode under both', () => {
    const list = items([
      feedback({ assessment_id: 'a-x', value: true, valid: false }),
      feedback({ assessment_id: 'a-b', value: false, overrides: 'a-x' }),
      feedback({ assessment_id: 'a-c', value: false, overrides: 'a-x' })
    ]);
    const entries = currentEntries(list);
    expect(entries.map(entry => entry.item.id)).toEqual(['a-b', 'a-c']);
    expect(entries.map(entry => ids(entry.history))).toEqual([
      ['a-x'],
      ['a-x']
    ]);
  });

  it('keeps a superseded one that is valid again (its override was deleted) current', () => {
    // MLflow's store: deleting one of two overrides makes the old one valid again.
    const list = items([
      feedback({ assessment_id: 'a-x', value: true, valid: true }),
      feedback({ assessment_id: 'a-c', value: false, overrides: 'a-x' })
    ]);
    expect(currentEntries(list).map(entry => entry.item.id)).toEqual([
      'a-x',
      'a-c'
    ]);
  });

  it('keeps a superseded one whose successor is gone, marked by valid: false', () => {
    const list = items([
      feedback({ assessment_id: 'a-x', value: 1, valid: false })
    ]);
    const entries = currentEntries(list);
    expect(entries).toEqual([{ item: list[0], history: [] }]);
    expect(entries[0].item.valid).toBe(false);
  });

  it('shows every member of an override cycle once, and stops', () => {
    const list = items([
      feedback({
        assessment_id: 'a-1x',
        value: 1,
        valid: false,
        overrides: 'a-2x'
      }),
      feedback({
        assessment_id: 'a-2x',
        value: 2,
        valid: false,
        overrides: 'a-1x'
      })
    ]);
    const entries = currentEntries(list);
    expect(entries.map(entry => entry.item.id)).toEqual(['a-1x']);
    expect(ids(entries[0].history)).toEqual(['a-2x']);
  });

  it('keeps assessments without ids, and the first of two with one id', () => {
    const list = items([
      feedback({ assessment_id: undefined, value: 1 }),
      feedback({ assessment_id: 'a-d', value: 2 }),
      feedback({ assessment_id: 'a-d', value: 3 })
    ]);
    expect(currentEntries(list).map(entry => entry.item.value)).toEqual([
      1, 2, 3
    ]);
  });
});

describe('sectionOf', () => {
  const list = items([
    feedback({ assessment_name: 'ok', value: true }),
    feedback({ assessment_name: 'ok', value: 'true' }),
    feedback({ assessment_name: 'ok', value: true }),
    feedback({
      assessment_name: 'ok',
      value: null,
      feedback: { value: null, error: { error_code: 'E' } }
    }),
    feedback({
      assessment_name: 'score',
      value: 2,
      span_id: 'abcdefabcdefabcd'
    }),
    {
      assessment_id: 'a-e',
      assessment_name: 'expected',
      expectation: { value: 'x' }
    },
    {
      assessment_id: 'a-i',
      assessment_name: 'iss-1',
      issue: { issue_name: 'Wrong' }
    }
  ]);
  const entries = currentEntries(list);

  it('groups feedback by name then by kind and value, with counts; failed judges apart', () => {
    const trace = sectionOf(entries, undefined);
    expect(trace.count).toBe(6);
    expect(trace.feedback).toHaveLength(1);
    const [ok] = trace.feedback;
    expect(ok.count).toBe(4);
    expect(
      ok.values.map(v => [v.key, v.valueText, v.failed, v.entries.length])
    ).toEqual([
      ['boolean:true', 'true', false, 2],
      ['string:true', 'true', false, 1],
      ['error', '', true, 1]
    ]);
    expect(trace.expectations.map(e => e.item.name)).toEqual(['expected']);
    expect(trace.issues.map(e => e.item.valueText)).toEqual(['Wrong']);
  });

  it('keeps a span’s assessments in its own section', () => {
    const span = sectionOf(entries, 'abcdefabcdefabcd');
    expect(span.count).toBe(1);
    expect(span.feedback.map(g => g.name)).toEqual(['score']);
    expect(sectionOf(entries, 'ffffffffffffffff').count).toBe(0);
  });
});
