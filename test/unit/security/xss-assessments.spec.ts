/**
 * @jest-environment jsdom
 *
 * The XSS corpus (test/fixtures/xss-payloads.json) in every assessment field
 * the trace fallback writes: name, value (as text and inside JSON), the
 * rationale, the source type and id, a failed judge's error code and
 * message, an issue name, a serialized expectation and the name of the span
 * an assessment is on. The text/html stays inert and shows each payload as
 * text (in the trace's section and in a trace-list row's cell); the
 * text/plain is one line per trace.
 */
import {
  renderTraceHtml,
  renderTraceListHtml,
  renderTraceText
} from '../../../src/bundle';
import { checkFallback, parse } from './fallbackInert';
import { PAYLOADS } from './hostile';

const SPAN_ID = '00000000000000a1';

function hostileTrace(p: string): { traceId: string; info: any; spans: any[] } {
  const source = { source_type: p, source_id: p };
  const assessments = [
    { assessment_name: p, feedback: { value: p }, rationale: p, source },
    {
      assessment_name: p,
      feedback: { value: null, error: { error_code: p, error_message: p } },
      source,
      span_id: SPAN_ID
    },
    { assessment_name: p, expectation: { value: { [p]: [p] } }, source },
    {
      assessment_name: p,
      expectation: { serialized_value: { value: p } },
      span_id: p
    },
    { assessment_name: p, issue: { issue_name: p }, source },
    { assessment_name: p, feedback: { value: p }, valid: false }
  ];
  return {
    traceId: 'tr-hostile',
    info: { trace_id: 'tr-hostile', state: 'OK', assessments },
    spans: [
      {
        span_id: SPAN_ID,
        parent_span_id: null,
        name: p,
        start_time_unix_nano: 1_000_000,
        end_time_unix_nano: 2_000_000,
        attributes: { 'mlflow.spanType': JSON.stringify(p) }
      }
    ]
  };
}

describe('hostile assessments in the trace fallback', () => {
  it.each(PAYLOADS.map(p => [p.id, p.payload]))(
    '%s stays text in every field',
    (_id, payload) => {
      const traces = [hostileTrace(payload)];
      const html = renderTraceHtml(traces);
      checkFallback(html);
      const root = parse(html);
      const items = root.querySelectorAll('.jp-MlflowTraceFallback-assessment');
      // The superseded one is counted, not listed
      expect(items).toHaveLength(5);
      expect(root.querySelectorAll('.jp-mod-error')).toHaveLength(1);
      const visible = payload.replace(/\s+/g, ' ').trim().slice(0, 12);
      if (
        visible &&
        // eslint-disable-next-line no-control-regex
        !/[\u0000-\u001f\ud800-\udfff\u2028\u2029]/.test(visible)
      ) {
        const names = Array.from(items, item =>
          item.querySelector('strong')?.textContent?.replace(/\s+/g, ' ')
        );
        for (const name of names) {
          expect(name).toContain(visible);
        }
      }
      const text = renderTraceText(traces);
      expect(text.split('\n')).toHaveLength(1);
      expect(text).toMatch(/, 5 assessments$/);
      // A trace-list row's assessments cell
      const rows = {
        version: 1,
        query: { experiment_ids: ['1'], order_by: [] },
        traces: [traces[0].info]
      };
      const list = renderTraceListHtml(rows);
      checkFallback(list);
      expect(parse(list).querySelectorAll('tbody td')).toHaveLength(11);
    }
  );
});
