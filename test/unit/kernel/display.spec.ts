/**
 * The display content on traces recorded from a real server
 * (test/fixtures/recorded): one message, three MIME types, the budget.
 */
import * as fs from 'fs';
import * as path from 'path';
import { TRACE_MIME_TYPE } from '../../../src/bundle';
import { buildDisplayContent } from '../../../src/kernel/display';

const RECORDED = path.join(__dirname, '..', '..', 'fixtures', 'recorded');
const info = JSON.parse(
  fs.readFileSync(path.join(RECORDED, 'chat.info.json'), 'utf8')
).trace.trace_info;
const spans = JSON.parse(
  fs.readFileSync(path.join(RECORDED, 'chat.spans.json'), 'utf8')
).spans;
const traces = [{ traceId: info.trace_id, info, spans }];

describe('buildDisplayContent', () => {
  it('carries the bundle and both fallbacks in one content', () => {
    const { content, bundleBytes } = buildDisplayContent(traces, {
      trackingUri: 'http://127.0.0.1:5000'
    });
    expect(Object.keys(content.data).sort()).toEqual(
      [TRACE_MIME_TYPE, 'text/html', 'text/plain'].sort()
    );
    const bundle = content.data[TRACE_MIME_TYPE] as any;
    expect(bundle.version).toBe(1);
    expect(bundle.tracking_uri).toBe('http://127.0.0.1:5000');
    expect(bundle.traces[0].spans).toHaveLength(spans.length);
    expect(bundleBytes).toBe(Buffer.byteLength(JSON.stringify(bundle)));
    expect(content.data['text/html']).not.toMatch(/<script/i);
    expect(content.data['text/plain']).toContain(info.trace_id);
    expect(content.metadata).toEqual({});
  });

  it('shortens long strings with a visible marker to meet the budget', () => {
    const long = spans.map((s: any) => ({
      ...s,
      attributes: {
        ...s.attributes,
        'mlflow.spanOutputs': JSON.stringify('x'.repeat(200000))
      }
    }));
    const { content, bundleBytes } = buildDisplayContent(
      [{ traceId: info.trace_id, info, spans: long }],
      { maxBytes: 100000 }
    );
    const entry = (content.data[TRACE_MIME_TYPE] as any).traces[0];
    expect(bundleBytes).toBeLessThanOrEqual(100000);
    expect(entry.truncated.max_string).toBeGreaterThan(0);
    const outputs: string = entry.spans[0].attributes['mlflow.spanOutputs'];
    // The marker sits inside the shortened JSON string value.
    expect(outputs.length).toBeLessThan(100000);
    expect(/… \[truncated [\d,]+ chars\]/.test(outputs)).toBe(true);
  });

  it('embeds ids only with embed: "ids"', () => {
    const { content } = buildDisplayContent(traces, { embed: 'ids' });
    expect((content.data[TRACE_MIME_TYPE] as any).traces).toEqual([
      { trace_id: info.trace_id }
    ]);
    expect(content.data['text/plain']).toContain(info.trace_id);
  });
});
