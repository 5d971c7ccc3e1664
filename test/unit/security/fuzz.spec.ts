/**
 * Fuzzing with fast-check: generated and mutated traces and bundles through
 * the span parser, the tree builder and the bundle decoders. Properties:
 * nothing throws, and every input span shows up, either as a node of the
 * tree (exactly once) or as a warning that names its index.
 *
 * Seeds are fixed so a failure reproduces; FUZZ_SEED=<n> tries another.
 */
import fc from 'fast-check';
import {
  decodeDatabricksBundle,
  decodeTraceBundle,
  decodeTraceListBundle,
  renderTraceHtml,
  renderTraceListHtml,
  renderTraceText
} from '../../../src/bundle';
import {
  buildTrace,
  parseSpan,
  summarizeTrace,
  ITraceWarning
} from '../../../src/trace';
import { withoutTimelineStrips } from '../bundle/timelinesvg-markup';
import {
  ids,
  info,
  isRecord,
  mutatedRecorded,
  span,
  spanList,
  weird
} from './arbitraries';

const SEED = Number(process.env.FUZZ_SEED ?? 20261123);

let cases = 0;
afterAll(() => {
  // Reported so the README figure is measured, not claimed.
  console.log(`fuzz: ${cases} generated and mutated cases`);
  expect(cases).toBeGreaterThanOrEqual(10_000);
});

/** The property every trace must meet: each input span is a node once, or a warning. */
function checkTrace(info: any, rawSpans: unknown): void {
  cases++;
  const trace = buildTrace(info, rawSpans);
  if (!Array.isArray(rawSpans)) {
    expect(trace.nodesInOrder).toHaveLength(0);
    expect(trace.warnings.some(w => w.kind === 'not-an-array')).toBe(true);
    return;
  }
  const seen = new Map<number, number>();
  for (const node of trace.nodesInOrder) {
    seen.set(node.span.index, (seen.get(node.span.index) ?? 0) + 1);
    expect(Number.isFinite(node.depth)).toBe(true);
  }
  const notSpan = new Set(
    trace.warnings
      .filter((w: ITraceWarning) => w.kind === 'not-a-span')
      .map(w => Number(/Entry (\d+)/.exec(w.message)?.[1]))
  );
  rawSpans.forEach((raw, i) => {
    if (isRecord(raw)) {
      expect(seen.get(i)).toBe(1);
    } else {
      expect(notSpan.has(i)).toBe(true);
    }
  });
  expect(trace.nodesInOrder.length).toBe(trace.spans.length);
  expect(trace.nodeById.size).toBe(trace.spans.length);
  // Derived figures and fallbacks must not throw either.
  summarizeTrace(trace);
}

// --- properties ---------------------------------------------------------

describe('fuzz: span parser and tree builder', () => {
  it('parseSpan never throws on anything (4,000 cases)', () => {
    fc.assert(
      fc.property(fc.oneof(span, weird), fc.integer(), (raw, index) => {
        cases++;
        const warnings: ITraceWarning[] = [];
        const parsed = parseSpan(raw, index, warnings);
        if (isRecord(raw)) {
          expect(parsed).not.toBeNull();
        } else {
          expect(parsed).toBeNull();
          expect(warnings).toHaveLength(1);
        }
      }),
      { numRuns: 4000, seed: SEED }
    );
  });

  it('buildTrace keeps every generated span (2,500 cases)', () => {
    fc.assert(
      fc.property(
        info,
        fc.oneof(
          { weight: 9, arbitrary: spanList },
          { weight: 1, arbitrary: weird }
        ),
        (i, s) => checkTrace(i, s)
      ),
      { numRuns: 2500, seed: SEED }
    );
  });

  it('buildTrace keeps every span of mutated recorded traces (1,500 cases)', () => {
    fc.assert(
      fc.property(mutatedRecorded, ({ info: i, spans }) => {
        checkTrace(i, spans);
        // The fallbacks of the same trace must not throw and must stay escaped.
        const html = renderTraceHtml([{ traceId: 'tr-x', info: i, spans }]);
        // The timeline strip is the one SVG: its tags checked by its grammar, then cut
        expect(withoutTimelineStrips(html)).not.toMatch(
          /<(script|img|svg|iframe|math|a )|<[a-z]+[^>]*\son\w+=/i
        );
      }),
      { numRuns: 1500, seed: SEED }
    );
  });
});

describe('fuzz: bundle decoders', () => {
  const entry = fc.oneof(
    fc.record(
      {
        trace_id: fc.oneof(ids, weird),
        info,
        spans: fc.oneof(spanList, weird),
        truncated: fc.oneof(
          fc.record({ max_string: fc.oneof(fc.nat(), weird) }),
          weird
        )
      },
      { requiredKeys: [] }
    ),
    weird
  );
  const bundle = fc.oneof(
    fc.record(
      {
        version: fc.oneof(fc.constantFrom(1, 2, 0), weird),
        tracking_uri: fc.oneof(
          fc.constantFrom(
            'http://127.0.0.1:5000',
            'https://x.invalid/p',
            'javascript:alert(1)',
            'file:///etc/passwd'
          ),
          weird
        ),
        traces: fc.oneof(
          { weight: 5, arbitrary: fc.array(entry, { maxLength: 5 }) },
          { weight: 1, arbitrary: weird }
        ),
        compare: weird
      },
      { requiredKeys: [] }
    ),
    weird
  );
  const asString = (b: fc.Arbitrary<unknown>) =>
    fc.oneof(
      { weight: 4, arbitrary: b },
      {
        weight: 1,
        arbitrary: b.map(v => {
          try {
            return JSON.stringify(v) ?? 'undefined';
          } catch {
            return '{';
          }
        })
      },
      {
        weight: 1,
        arbitrary: fc.tuple(b, fc.nat()).map(([v, cut]) => {
          const t = JSON.stringify(v) ?? '';
          return t.slice(0, cut % (t.length + 1));
        })
      }
    );

  it('decodeTraceBundle never throws; every entry is kept or reported (1,500 cases)', () => {
    fc.assert(
      fc.property(asString(bundle), data => {
        cases++;
        const decoded = decodeTraceBundle(data);
        let root: any = data;
        if (typeof data === 'string') {
          try {
            root = JSON.parse(data);
          } catch {
            expect(decoded.errors.length).toBeGreaterThan(0);
            return;
          }
        }
        if (
          isRecord(root) &&
          Array.isArray(root.traces) &&
          root.traces.length > 0
        ) {
          expect(decoded.traces).toHaveLength(root.traces.length);
          decoded.traces.forEach((t, i) => {
            if (t.embedded) {
              checkTrace(t.info, t.spans);
            } else if (t.error) {
              for (const part of t.error.split('; ')) {
                expect(decoded.errors).toContain(part);
              }
            } else {
              expect(t.traceId).not.toBe('');
            }
            void i;
          });
        } else {
          expect(decoded.errors.length).toBeGreaterThan(0);
        }
        if (decoded.trackingUri !== undefined) {
          expect(decoded.trackingUri).toMatch(/^https?:\/\//);
        }
        renderTraceText(
          (isRecord(root) ? root : { version: 1, traces: [] }) as any
        );
      }),
      { numRuns: 1500, seed: SEED }
    );
  });

  it('decodeDatabricksBundle never throws (1,000 cases)', () => {
    fc.assert(
      fc.property(
        asString(fc.oneof(entry, fc.array(entry, { maxLength: 4 }), weird)),
        data => {
          cases++;
          const decoded = decodeDatabricksBundle(data);
          for (const t of decoded.traces) {
            expect(t.embedded).toBe(false);
            if (t.error) {
              expect(decoded.errors).toContain(t.error);
            }
          }
        }
      ),
      { numRuns: 1000, seed: SEED }
    );
  });

  it('decodeTraceListBundle and its fallback never throw (500 cases)', () => {
    const list = fc.record(
      {
        version: fc.oneof(fc.constant(1), weird),
        tracking_uri: weird,
        query: fc.oneof(
          fc.record(
            {
              experiment_ids: fc.oneof(fc.array(fc.oneof(ids, weird)), weird),
              filter: weird,
              order_by: weird,
              max_results: weird
            },
            { requiredKeys: [] }
          ),
          weird
        ),
        traces: fc.oneof(
          fc.array(fc.oneof(info, weird), { maxLength: 5 }),
          weird
        ),
        next_page_token: weird
      },
      { requiredKeys: [] }
    );
    fc.assert(
      fc.property(asString(fc.oneof(list, weird)), data => {
        cases++;
        const decoded = decodeTraceListBundle(data);
        expect(Array.isArray(decoded.traces)).toBe(true);
        const html = renderTraceListHtml(data);
        expect(html).not.toMatch(
          /<(script|img|svg|iframe|math|a )|<[a-z]+[^>]*\son\w+=/i
        );
      }),
      { numRuns: 500, seed: SEED }
    );
  });
});
