/**
 * @jest-environment jsdom
 *
 * The assessments section of the trace fallback: what is listed, where, in
 * which order, and the bounds. The bytes themselves are held to the Python
 * twin by contract/goldens and test/python/test_fallback_parity.py.
 */
import { MAX_FALLBACK_ASSESSMENTS } from '../../../src/bundle/assessmentfallback';
import { fallbackAssessments } from '../../../src/bundle/assessmentread';
import { failedText, parseAssessments } from '../../../src/trace';
import recorded from '../../../contract/examples/trace/assessments.json';
import hostile from '../../../contract/examples/trace/hostile-assessments.json';
import {
  renderTraceHtml,
  renderTraceListHtml,
  renderTraceListText,
  renderTraceText
} from '../../../src/bundle';

const ROOT = '00000000000000a1';
const CHILD = '00000000000000a2';

function span(id: string, parent: string | null, name: string): any {
  return {
    span_id: id,
    parent_span_id: parent,
    name,
    start_time_unix_nano: 1_000_000,
    end_time_unix_nano: 2_000_000,
    attributes: { 'mlflow.spanType': '"CHAIN"' }
  };
}

function html(assessments: any[]): HTMLElement {
  const div = document.createElement('div');
  div.innerHTML = renderTraceHtml([
    {
      traceId: 'tr-1',
      info: { trace_id: 'tr-1', assessments },
      spans: [span(ROOT, null, 'root'), span(CHILD, ROOT, 'child')]
    }
  ]);
  return div;
}

const feedback = (name: string, extra: object = {}) => ({
  assessment_name: name,
  feedback: { value: true },
  source: { source_type: 'HUMAN', source_id: 'alice' },
  ...extra
});

describe('fallbackAssessments', () => {
  it('lists valid ones, counts superseded and unreadable ones', () => {
    const found = fallbackAssessments({
      assessments: [
        feedback('a'),
        feedback('b', { valid: false }),
        { feedback: { value: 1 } },
        { assessment_name: 'no kind' },
        'text'
      ]
    });
    expect(found.valid.map(item => item.name)).toEqual(['a']);
    expect(found.superseded).toBe(1);
    expect(found.unreadable).toBe(3);
  });

  it('reads values, errors, expectations and issues as text', () => {
    const found = fallbackAssessments({
      assessments: [
        feedback('n', { feedback: { value: 0.5 } }),
        feedback('j', { feedback: { value: { b: [1, null] } } }),
        feedback('e', {
          feedback: { value: null, error: { error_code: 'TIMEOUT' } }
        }),
        { assessment_name: 'x', expectation: { value: 'yes' } },
        {
          assessment_name: 's',
          expectation: { serialized_value: { value: '{"a": 1}' } }
        },
        { assessment_name: 'iss-1', issue: { issue_name: 'Loops' } }
      ]
    });
    expect(found.valid.map(item => [item.kind, item.valueText])).toEqual([
      ['feedback', '0.5'],
      ['feedback', '{"b":[1,null]}'],
      ['feedback', 'Judge failed: TIMEOUT'],
      ['expectation', 'yes'],
      ['expectation', '{"a":1}'],
      ['issue', 'Loops']
    ]);
    expect(found.valid[2].failed).toBe(true);
  });
});

/** Assessment lists the fallback and the pane must read alike. */
const CORPUS: [string, unknown[]][] = [
  ['recorded from a real server', recorded.traces[0].info.assessments],
  ['hostile', hostile.traces[0].info.assessments],
  [
    'odd shapes',
    [
      // MLflow's UI shows the error, not the value, of a feedback with both
      feedback('both', {
        feedback: {
          value: 0.5,
          error: { error_code: 'E', error_message: 'boom' }
        }
      }),
      feedback('empty error', { feedback: { value: null, error: {} } }),
      feedback('message only', {
        feedback: { error: { error_message: 'rate limited' } }
      }),
      feedback('error not a record', { feedback: { value: 1, error: 'x' } }),
      { assessment_name: 'no source', feedback: { value: 'ok' } },
      feedback('odd source', { source: { source_type: 7, source_id: null } }),
      feedback('base64 span', { span_id: 'AAAAAAAAAKE=' }),
      feedback('old', { valid: false }),
      feedback('not false', { valid: 0 }),
      {
        assessment_name: 'not json',
        expectation: { serialized_value: { value: '{nope' } }
      },
      { assessment_name: 'null', expectation: { value: null } },
      { assessment_name: 'iss', issue: {} },
      { assessment_name: 'nothing' },
      7
    ]
  ]
];

describe('the fallback reads assessments as the pane does', () => {
  it.each(CORPUS)('%s', (_, assessments) => {
    const { items } = parseAssessments(assessments);
    const found = fallbackAssessments({ assessments });
    const valid = items.filter(item => item.valid);
    expect(found.superseded).toBe(items.length - valid.length);
    expect(found.unreadable).toBe(assessments.length - items.length);
    expect(
      found.valid.map(item => ({
        kind: item.kind,
        name: item.name,
        failed: item.failed,
        text: item.valueText,
        spanId: item.spanId ?? undefined,
        source: [item.sourceType, item.sourceId],
        rationale: item.rationale
      }))
    ).toEqual(
      valid.map(item => ({
        kind: item.kind,
        name: item.name,
        // A failed judge has no value to show: its error is shown instead.
        failed: item.error !== undefined && item.value === null,
        text: item.error ? failedText(item.error) : item.valueText,
        spanId: item.spanId,
        source: [item.sourceType, item.sourceId],
        rationale: item.rationale ?? ''
      }))
    );
  });

  it("shows the error, not the value, of a feedback with both (as MLflow's UI)", () => {
    const both = feedback('both', {
      feedback: {
        value: 0.5,
        error: { error_code: 'E', error_message: 'boom' }
      }
    });
    const [item] = parseAssessments([both]).items;
    expect(item.value).toBe(null);
    expect(item.valueText).toBe('');
    const [shown] = fallbackAssessments({ assessments: [both] }).valid;
    expect([shown.failed, shown.valueText]).toEqual([
      true,
      'Judge failed: E: boom'
    ]);
  });
});

describe('the assessments section', () => {
  it('groups by target: the trace first, then spans in tree order', () => {
    const root = html([
      feedback('on child', { span_id: CHILD }),
      feedback('on trace'),
      feedback('on root', { span_id: ROOT }),
      feedback('on a lost span', { span_id: 'ffffffffffffffff' })
    ]);
    const groups = Array.from(
      root.querySelectorAll('.jp-MlflowTraceFallback-assessments > li'),
      li => [
        li.firstChild?.textContent,
        li.querySelector('strong')?.textContent
      ]
    );
    expect(groups).toEqual([
      ['On the trace', 'on trace'],
      ['On span ', 'on root'],
      ['On span ', 'on child'],
      ['On span ', 'on a lost span']
    ]);
    expect(root.textContent).toContain('On span ffffffffffffffff');
  });

  it('writes nothing for a trace without assessments', () => {
    expect(html([]).querySelector('.jp-MlflowTraceFallback-assessments')).toBe(
      null
    );
  });

  it(`lists at most ${MAX_FALLBACK_ASSESSMENTS} and shortens long fields`, () => {
    const many = Array.from({ length: MAX_FALLBACK_ASSESSMENTS + 5 }, (_, i) =>
      feedback(`n${i}`, {
        feedback: { value: 'v'.repeat(1000) },
        rationale: 'r'.repeat(1000)
      })
    );
    const root = html(many);
    const items = root.querySelectorAll('.jp-MlflowTraceFallback-assessment');
    expect(items).toHaveLength(MAX_FALLBACK_ASSESSMENTS);
    expect(root.textContent).toContain('… 5 more assessments');
    const value = items[0].querySelector('.jp-MlflowTraceFallback-value');
    expect(value?.textContent).toHaveLength(200);
    const rationale = items[0].querySelector('.jp-MlflowTraceFallback-message');
    expect(rationale?.textContent).toHaveLength(300);
  });

  it('counts the valid ones in the text/plain line', () => {
    const text = renderTraceText([
      {
        traceId: 'tr-1',
        info: {
          trace_id: 'tr-1',
          assessments: [feedback('a'), feedback('b', { valid: false })]
        }
      }
    ]);
    expect(text).toBe('Trace tr-1 "" STATE_UNSPECIFIED, 1 assessment');
  });

  it('gives each trace-list row its assessments on one line', () => {
    const rows = {
      version: 1,
      query: { experiment_ids: ['1'], order_by: [] },
      traces: [
        {
          trace_id: 'tr-1',
          assessments: [
            feedback('thumbs_up'),
            feedback('old', { valid: false }),
            feedback('relevance', { feedback: { value: 'x'.repeat(100) } })
          ]
        },
        { trace_id: 'tr-2' }
      ]
    };
    const div = document.createElement('div');
    div.innerHTML = renderTraceListHtml(rows);
    const head = Array.from(div.querySelectorAll('th'), th => th.textContent);
    expect(head[head.length - 1]).toBe('Assessments');
    const cells = Array.from(
      div.querySelectorAll('tbody tr'),
      tr => tr.lastElementChild?.textContent
    );
    expect(cells).toEqual([
      `thumbs_up: true, relevance: ${'x'.repeat(59)}…`,
      ''
    ]);
    expect(renderTraceListText(rows).split('\n').slice(1)).toEqual([
      'Trace tr-1 "" STATE_UNSPECIFIED, 2 assessments',
      'Trace tr-2 "" STATE_UNSPECIFIED'
    ]);
  });
});
