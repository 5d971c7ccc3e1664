/**
 * The static text/html and text/plain fallbacks: script-free, escaped,
 * complete for small traces and capped for large ones.
 */
import {
  encodeTraceBundle,
  escapeHtml,
  IBundleTraceInput,
  renderTraceHtml,
  renderTraceListHtml,
  renderTraceListText,
  renderTraceText
} from '../../../src/bundle';
import { loadRecorded, recordedExpected } from '../recorded';
import { withoutTimelineStrips } from './timelinesvg-markup';

const expected = recordedExpected();

const LABELS = ['nested', 'error', 'chat', 'unicode'];
const recorded = LABELS.map(loadRecorded);
const HOSTILE = '<img src=x onerror="alert(1)">';

/** Every opening tag in the HTML. */
function tags(html: string): string[] {
  return html.match(/<[a-zA-Z][^>]*>/g) ?? [];
}

function expectSafe(html: string): void {
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toContain('<img');
  for (const tag of tags(html)) {
    expect(tag).not.toMatch(/\son\w+\s*=/i);
    expect(tag).not.toMatch(/javascript:/i);
  }
}

/** A generated trace: a root with `count - 1` spans in chains of five. */
function generatedTrace(count: number): IBundleTraceInput {
  const id = (i: number) => i.toString(16).padStart(16, '0');
  const base = 1_795_464_932_477_000_000;
  return {
    traceId: 'tr-generated',
    spans: Array.from({ length: count }, (_, i) => ({
      span_id: id(i + 1),
      parent_span_id: i === 0 ? null : id(i % 5 === 1 ? 1 : i),
      name: `step ${i}`,
      start_time_unix_nano: base + i * 1000,
      end_time_unix_nano: base + count * 1000 + 1,
      status: { code: 'STATUS_CODE_OK' },
      attributes: { 'mlflow.spanType': '"CHAIN"' }
    }))
  };
}

describe('renderTraceHtml', () => {
  const { bundle } = encodeTraceBundle(recorded, {
    trackingUri: 'http://127.0.0.1:5000'
  });
  const html = renderTraceHtml(bundle);

  it('is script-free and escapes the hostile span name', () => {
    expectSafe(html);
    expect(html).toContain(escapeHtml(HOSTILE));
    expect(HOSTILE).toBe(expected.hostile_name);
  });

  it.each(LABELS)(
    'shows every span name, the id and the state of "%s"',
    label => {
      const python = expected.traces[label];
      expect(html).toContain(python.trace_id);
      expect(html).toContain(python.state);
      for (const span of python.spans) {
        expect(html).toContain(escapeHtml(span.name));
        expect(html).toContain(`>${span.span_type}<`);
      }
    }
  );

  it('nests child spans inside their parent item', () => {
    const nestedHtml = renderTraceHtml([recorded[0]]);
    // rag_agent's item opens a list holding plan, whose list holds embed
    expect(nestedHtml).toMatch(
      /rag_agent<\/span>.*?<ul><li>.*?plan<\/span>.*?<ul><li>.*?embed</
    );
    expect(nestedHtml.match(/<ul/g)?.length).toBe(
      nestedHtml.match(/<\/ul>/g)?.length
    );
    expect(nestedHtml.match(/<li/g)?.length).toBe(
      nestedHtml.match(/<\/li>/g)?.length
    );
  });

  it('links to the MLflow UI over http(s) only, with noopener', () => {
    const links = tags(html).filter(tag => tag.startsWith('<a '));
    expect(links).toHaveLength(recorded.length);
    for (const link of links) {
      expect(link).toMatch(
        /^<a href="http:\/\/127\.0\.0\.1:5000\/#\/experiments\/1\/traces\?selectedEvaluationId=tr-/
      );
      expect(link).toContain('rel="noopener noreferrer"');
    }
    const hostileUri = renderTraceHtml({
      ...bundle,
      tracking_uri: 'javascript:alert(1)'
    });
    expect(tags(hostileUri).some(tag => tag.startsWith('<a'))).toBe(false);
    expectSafe(hostileUri);
  });

  it('links a trace whose id holds a lone surrogate, as U+FFFD, instead of throwing', () => {
    const [trace] = recorded;
    const traceId = 'tr-cut\uD83D';
    const info = { ...trace.info!, trace_id: traceId };
    const trackingUri = 'http://127.0.0.1:5000';
    const link = 'selectedEvaluationId=tr-cut%EF%BF%BD"';
    const html = renderTraceHtml({
      version: 1,
      tracking_uri: trackingUri,
      traces: [{ trace_id: traceId, info, spans: [...(trace.spans ?? [])] }]
    });
    expect(html).toContain(link);
    const list = renderTraceListHtml({
      version: 1,
      tracking_uri: trackingUri,
      query: { experiment_ids: ['1'], order_by: [] },
      traces: [info]
    });
    expect(list).toContain(link);
  });

  it('keeps user content out of attributes and out of the style sheet', () => {
    // The timeline strip's tags are numbers and constants (checked by its grammar)
    expect(html).toContain('<svg');
    for (const tag of tags(withoutTimelineStrips(html))) {
      expect(tag).toMatch(/^<(\w+)( class="[\w -]+")?>$|^<a href="http/);
    }
    const style = /<style>(.*?)<\/style>/.exec(html)?.[1] ?? '';
    expect(style).not.toMatch(/rag_agent|tr-|</);
  });

  it('caps a 2,000-span trace with a "more spans" line', () => {
    const big = renderTraceHtml([generatedTrace(2000)]);
    expect(big).toContain('step 499<');
    expect(big).not.toContain('step 500<');
    expect(big).toContain('… 1,500 more spans');
    expect(big.length).toBeLessThan(200_000);
    expect(big.match(/<ul/g)?.length).toBe(big.match(/<\/ul>/g)?.length);
  });

  it('shows trace ids, bundle problems and not-embedded notes', () => {
    const out = renderTraceHtml({
      version: 1,
      traces: [{ trace_id: 'tr-<b>' }, { spans: [] }] as never
    });
    expectSafe(out);
    expect(out).toContain('tr-&lt;b&gt;');
    expect(out).toContain('traces[1].trace_id is missing');
    expect(out).toContain('not embedded');
  });

  it('notes shortened traces', () => {
    const small = encodeTraceBundle([recorded[3]], {
      maxBytes: 64 * 1024
    }).bundle;
    expect(renderTraceHtml(small)).toMatch(
      /Strings longer than [\d,]+ characters were shortened/
    );
  });
});

describe('renderTraceText', () => {
  it('writes one line per trace', () => {
    const text = renderTraceText(recorded);
    const lines = text.split('\n');
    expect(lines).toHaveLength(recorded.length);
    expect(lines[0]).toBe(
      `Trace ${expected.traces.nested.trace_id} "rag_agent" OK 126 ms, 10 spans, 0 errors, 59 tokens`
    );
    expect(lines[1]).toMatch(
      /^Trace tr-\w+ ".*" ERROR \d+(\.\d+)? (µs|ms|s), \d+ spans, [1-9]\d* errors?/
    );
    expect(lines[3]).toMatch(
      /^Trace tr-\w+ "unicode_ünïcödé_🚀_עברית" OK \d+(\.\d+)? (µs|ms|s), 2 spans, 0 errors$/
    );
  });

  it('writes ids-only and broken entries on their own line', () => {
    const text = renderTraceText({
      version: 1,
      traces: [{ trace_id: 'tr-1' }, { trace_id: 'tr-\n2' }, 5] as never
    });
    expect(text.split('\n')).toEqual([
      'Trace tr-1 "" STATE_UNSPECIFIED',
      'Trace tr- 2 "" STATE_UNSPECIFIED',
      'Trace #3: traces[2] is not an object (got number)'
    ]);
  });

  it('explains an unreadable bundle', () => {
    expect(renderTraceText({} as never)).toBe(
      'Invalid MLflow trace output: version is missing; traces is missing'
    );
  });
});

describe('trace-list fallbacks', () => {
  const list = {
    version: 1,
    tracking_uri: 'http://127.0.0.1:5000',
    query: {
      experiment_ids: ['1'],
      filter: "name = '<x>'",
      order_by: [],
      max_results: 10
    },
    traces: [...recorded.map(t => t.info), { trace_id: 3 }],
    next_page_token: 'tok'
  };

  it('renders a safe static table', () => {
    const html = renderTraceListHtml(list);
    expectSafe(html);
    expect(html.match(/<tr/g)?.length).toBe(1 + list.traces.length);
    for (const trace of recorded) {
      expect(html).toContain(trace.traceId);
    }
    expect(html).toContain('traces[4].trace_id is not a string (got number)');
    expect(html).toContain('more available');
    expect(html).toContain('&lt;x&gt;');
  });

  it('writes a caption and one line per trace', () => {
    const lines = renderTraceListText(list).split('\n');
    expect(lines[0]).toBe(
      `MLflow traces: 5 traces; experiments 1; filter "name = '<x>'"; more available`
    );
    expect(lines[1]).toBe(
      `Trace ${expected.traces.nested.trace_id} "rag_agent" OK 125 ms, 59 tokens`
    );
    expect(lines).toHaveLength(6);
  });
});
