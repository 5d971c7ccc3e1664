/**
 * The assessments model on what a real MLflow 3.17.2 server returns and on
 * malformed shapes: values and their text, sources, times, history links,
 * the kind rule for new values, own assessments and marked spans.
 */
import {
  assessmentValueText,
  failedText,
  IAssessmentItem,
  isOwnAssessment,
  parseAssessments,
  sourceTypeText,
  spanIdsWithAssessments,
  valueKind,
  valueKindProblem
} from '../../src/trace';
import { RECORDED_ASSESSMENTS } from './assessments-fixtures';

const recorded = parseAssessments(RECORDED_ASSESSMENTS);

function byName(name: string): IAssessmentItem[] {
  return recorded.items.filter(item => item.name === name);
}

describe('parseAssessments on the recorded server answer', () => {
  it('reads every entry, in order, without warnings', () => {
    expect(recorded.warnings).toEqual([]);
    expect(recorded.items).toHaveLength(RECORDED_ASSESSMENTS.length);
    expect(recorded.items.map(item => item.kind)).toEqual([
      ...Array(6).fill('feedback'),
      ...Array(4).fill('expectation'),
      'feedback',
      'feedback',
      'issue'
    ]);
  });

  it('keeps values and writes them with one rule', () => {
    const text = (name: string) => byName(name).map(item => item.valueText);
    expect(text('correct')).toEqual(['true', 'false', 'true']);
    expect(byName('score')[0].value).toBe(0.75);
    expect(text('tone')).toEqual(['polite']);
    expect(text('dict_fb')).toEqual(['{"a":[1,2]}']);
    expect(text('list_fb')).toEqual(['["x","y"]']);
    expect(text('expected_response')).toEqual(['Paris']);
    expect(byName('expected_facts')[0].value).toEqual(['a', 'b']);
    expect(text('expected_facts')).toEqual(['["a","b"]']);
    expect(byName('expected_obj')[0].value).toEqual({ k: 1, n: null });
    expect(text('expected_num')).toEqual(['3']);
  });

  it('reads a failed judge: no value, its error', () => {
    const [failed] = byName('judge_fail');
    expect(failed.value).toBeNull();
    expect(failed.valueText).toBe('');
    expect(failed.error).toEqual({
      code: 'RATE_LIMIT',
      message: '429 too many',
      stackTrace: 'Traceback...'
    });
    expect(failed.sourceType).toBe('LLM_JUDGE');
    expect(failed.sourceId).toBe('gpt-4o');
  });

  it('reads a feedback with an error as failed even when it also has a value (as MLflow’s UI)', () => {
    const [item] = parseAssessments([
      {
        assessment_id: 'a-1',
        assessment_name: 'score',
        source: { source_type: 'LLM_JUDGE', source_id: 'j' },
        feedback: {
          value: 0.5,
          error: { error_code: 'TIMEOUT', error_message: 'late' }
        }
      }
    ]).items;
    expect(item.value).toBeNull();
    expect(item.valueText).toBe('');
    expect(item.error).toEqual({ code: 'TIMEOUT', message: 'late' });
  });

  it('reads sources, span ids, rationales, metadata and times', () => {
    const [score] = byName('score');
    expect(score.spanId).toBe('2a46b922d56dd5b5');
    expect(score.rationale).toBe('partly');
    expect(byName('tone')[0].rationale).toBeUndefined();
    expect(byName('tone')[0].spanId).toBeUndefined();
    expect(byName('expected_obj')[0].metadata).toEqual({ m: 'v' });
    expect(score.createTimeMs).toBe(Date.parse('2026-12-07T05:53:20.988Z'));
    expect(score.updateTimeMs).toBe(score.createTimeMs);
  });

  it('reads the override chain: older ones invalid, each naming the one before', () => {
    const correct = byName('correct');
    expect(correct.map(item => item.valid)).toEqual([false, false, true]);
    expect(correct[1].overrides).toBe(correct[0].id);
    expect(correct[2].overrides).toBe(correct[1].id);
    expect(correct[0].overrides).toBeUndefined();
    expect(correct.map(item => item.sourceId)).toEqual([
      'alice',
      'bob',
      'carol'
    ]);
  });

  it('reads an issue reference: the id as name, its title as value', () => {
    const issue = recorded.items.find(item => item.kind === 'issue')!;
    expect(issue.name).toBe('iss-123');
    expect(issue.value).toBe('Hallucinated city');
    expect(issue.valueText).toBe('Hallucinated city');
    expect(issue.rationale).toBe('mentions Lyon');
  });
});

describe('parseAssessments on malformed input', () => {
  it('takes nothing as no assessments', () => {
    expect(parseAssessments(undefined)).toEqual({ items: [], warnings: [] });
    expect(parseAssessments(null)).toEqual({ items: [], warnings: [] });
  });

  it('says so when the list is not a list', () => {
    const parsed = parseAssessments({ a: 1 });
    expect(parsed.items).toEqual([]);
    expect(parsed.warnings).toEqual([
      'The assessments are not a list: none shown.'
    ]);
  });

  it('leaves out unreadable entries with a warning naming each', () => {
    const parsed = parseAssessments([
      'text',
      null,
      { feedback: { value: 1 } },
      { assessment_name: 7, feedback: { value: 1 } },
      { assessment_name: 'odd' },
      { assessment_name: 'ok', feedback: { value: 1 } }
    ]);
    expect(parsed.items.map(item => item.name)).toEqual(['ok']);
    expect(parsed.warnings).toEqual([
      'Assessment 1 is not an object: not shown.',
      'Assessment 2 is not an object: not shown.',
      'Assessment 3 has no name: not shown.',
      'Assessment 4 has no name: not shown.',
      'Assessment "odd" is neither feedback, an expectation nor an issue: not shown.'
    ]);
  });

  it('shows a serialized value that is not JSON as its text, with a warning', () => {
    const parsed = parseAssessments([
      {
        assessment_name: 'broken',
        expectation: { serialized_value: { value: '{"a": ' } }
      }
    ]);
    expect(parsed.items[0].value).toBe('{"a": ');
    expect(parsed.warnings).toEqual([
      'Assessment "broken": its serialized value is not JSON; shown as text.'
    ]);
  });

  it('keeps integers beyond 2^53 of a serialized value exact', () => {
    const parsed = parseAssessments([
      {
        assessment_name: 'big',
        expectation: { serialized_value: { value: '[9007199254740993]' } }
      }
    ]);
    expect(parsed.items[0].value).toEqual(['9007199254740993']);
  });

  it('fills defaults for missing fields and ignores wrong types', () => {
    const [item] = parseAssessments([
      {
        assessment_name: 'n',
        feedback: {},
        source: 'HUMAN',
        rationale: 5,
        create_time: 'yesterday',
        span_id: '',
        overrides: '',
        metadata: { a: 1, b: 'x' }
      }
    ]).items;
    expect(item).toMatchObject({
      id: undefined,
      value: null,
      valueText: '',
      sourceType: 'SOURCE_TYPE_UNSPECIFIED',
      sourceId: '',
      rationale: undefined,
      createTimeMs: undefined,
      spanId: undefined,
      overrides: undefined,
      valid: true,
      error: undefined,
      metadata: { a: '1', b: 'x' }
    });
  });

  it('reads nanosecond times, ms numbers and base64 span ids', () => {
    const [item] = parseAssessments([
      {
        assessment_name: 'n',
        feedback: { value: true },
        create_time: '2026-12-07T05:53:20.914123456Z',
        last_update_time_ms: 1796622807852,
        span_id: 'KkayK9Vt1bU='
      }
    ]).items;
    expect(item.createTimeMs).toBe(Date.parse('2026-12-07T05:53:20.914Z'));
    expect(item.updateTimeMs).toBe(1796622807852);
    expect(item.spanId).toBe('2a46b22bd56dd5b5');
  });
});

describe('value kinds', () => {
  it('names the JSON kind of a value', () => {
    expect([true, 0, 1.5, '', null, [], {}].map(valueKind)).toEqual([
      'boolean',
      'number',
      'number',
      'string',
      'json',
      'json',
      'json'
    ]);
  });

  it('writes values with one rule', () => {
    expect(
      [true, 3, 'a b', null, undefined, { a: 1 }].map(assessmentValueText)
    ).toEqual(['true', '3', 'a b', '', '', '{"a":1}']);
  });

  it('refuses a value of another kind than the name has, naming all three', () => {
    expect(valueKindProblem(recorded.items, 'correct', 'feedback', 'yes')).toBe(
      'Feedback "correct" has boolean values; a string value cannot be added to it.'
    );
    expect(valueKindProblem(recorded.items, 'score', 'feedback', true)).toBe(
      'Feedback "score" has number values; a boolean value cannot be added to it.'
    );
    expect(
      valueKindProblem(recorded.items, 'expected_facts', 'expectation', 'x')
    ).toBe(
      'Expectation "expected_facts" has JSON values; a string value cannot be added to it.'
    );
    expect(valueKindProblem(recorded.items, 'tone', 'feedback', { a: 1 })).toBe(
      'Feedback "tone" has string values; JSON value cannot be added to it.'
    );
  });

  it('accepts the same kind, a new name, and the other kind of assessment', () => {
    expect(
      valueKindProblem(recorded.items, 'correct', 'feedback', false)
    ).toBeUndefined();
    expect(
      valueKindProblem(recorded.items, 'fresh', 'feedback', 'x')
    ).toBeUndefined();
    // An expectation named like a feedback is another assessment.
    expect(
      valueKindProblem(recorded.items, 'correct', 'expectation', 'x')
    ).toBeUndefined();
    // A failed judge has no value, so no kind.
    expect(
      valueKindProblem(recorded.items, 'judge_fail', 'feedback', 'x')
    ).toBeUndefined();
  });

  it('counts superseded values too and lists mixed kinds', () => {
    const mixed = parseAssessments([
      { assessment_name: 'm', feedback: { value: 1 }, valid: false },
      { assessment_name: 'm', feedback: { value: 'one' } }
    ]).items;
    expect(valueKindProblem(mixed, 'm', 'feedback', 2)).toBeUndefined();
    expect(valueKindProblem(mixed, 'm', 'feedback', true)).toBe(
      'Feedback "m" has number and string values; a boolean value cannot be added to it.'
    );
  });

  it('refuses no name, no value and numbers JSON cannot hold', () => {
    expect(valueKindProblem([], '  ', 'feedback', 1)).toBe(
      'Feedback needs a name.'
    );
    expect(valueKindProblem([], 'x', 'expectation', undefined)).toBe(
      'Expectation "x" needs a value.'
    );
    expect(valueKindProblem([], 'x', 'feedback', NaN)).toBe(
      'Feedback "x": NaN is not a number JSON can hold.'
    );
  });
});

describe('sources, own assessments and marked spans', () => {
  it('writes source types as words', () => {
    expect(
      ['HUMAN', 'LLM_JUDGE', 'CODE', 'SOURCE_TYPE_UNSPECIFIED', 'toString'].map(
        sourceTypeText
      )
    ).toEqual([
      'human',
      'LLM judge',
      'code',
      'unknown source',
      'unknown source'
    ]);
  });

  it('owns only human assessments of the same user', () => {
    const [alice] = byName('correct');
    expect(isOwnAssessment(alice, 'alice')).toBe(true);
    expect(isOwnAssessment(alice, 'bob')).toBe(false);
    expect(isOwnAssessment(alice, undefined)).toBe(false);
    const code = { ...byName('tone')[0], sourceId: 'alice' };
    expect(isOwnAssessment(code, 'alice')).toBe(false);
  });

  it('marks the spans of valid assessments only', () => {
    expect([...spanIdsWithAssessments(recorded.items)]).toEqual([
      '2a46b922d56dd5b5'
    ]);
    const superseded = recorded.items.map(item => ({ ...item, valid: false }));
    expect(spanIdsWithAssessments(superseded).size).toBe(0);
  });
});

it('keeps metadata keys that name Object.prototype members as entries', () => {
  const [item] = parseAssessments([
    {
      assessment_name: 'n',
      feedback: { value: 1 },
      metadata: JSON.parse('{"__proto__": "p", "constructor": "c"}')
    }
  ]).items;
  expect(Object.entries(item.metadata)).toEqual([
    ['__proto__', 'p'],
    ['constructor', 'c']
  ]);
});

it('words a failed judge one way, whatever it said', () => {
  expect(failedText({ code: 'RATE_LIMIT', message: '429 too many' })).toBe(
    'Judge failed: RATE_LIMIT: 429 too many'
  );
  expect(failedText({ code: '', message: 'timed out' })).toBe(
    'Judge failed: timed out'
  );
  expect(failedText({ code: '', message: '' })).toBe('Judge failed');
});
