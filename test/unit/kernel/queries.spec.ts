/**
 * Search results and the list display on trace infos recorded from a real
 * server (test/fixtures/recorded): typed rows, paging, one message with
 * three MIME types.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  decodeTraceListBundle,
  encodeTraceListBundle,
  TRACE_LIST_MIME_TYPE
} from '../../../src/bundle';
import { buildListContent } from '../../../src/kernel/listdisplay';
import {
  isTraceSearchResults,
  TracePager,
  TraceSearchResults
} from '../../../src/kernel/results';
import { ITraceInfoV3 } from '../../../src/trace';

const RECORDED = path.join(__dirname, '..', '..', 'fixtures', 'recorded');
const infos: ITraceInfoV3[] = ['chat', 'error', 'nested', 'unicode'].map(
  name =>
    JSON.parse(
      fs.readFileSync(path.join(RECORDED, `${name}.info.json`), 'utf8')
    ).trace.trace_info
);
const query = {
  experimentIds: ['1'],
  filter: "trace.status = 'OK'",
  orderBy: ['timestamp_ms DESC'],
  maxResults: 2
};

/** Pages over the recorded infos, two at a time, with numeric tokens. */
const pager: TracePager = async token => {
  const start = token ? Number(token) : 0;
  const next = start + 2 < infos.length ? String(start + 2) : undefined;
  return { traces: infos.slice(start, start + 2), nextPageToken: next };
};

function firstPage(): TraceSearchResults {
  return TraceSearchResults.fromInfos(infos.slice(0, 2), {
    query,
    trackingUri: 'http://127.0.0.1:5000',
    nextPageToken: '2',
    pager
  });
}

describe('TraceSearchResults', () => {
  it('types each row from the raw info', () => {
    const [row] = firstPage();
    const info = infos[0];
    expect(row.traceId).toBe(info.trace_id);
    expect(row.info).toBe(info);
    expect(row.name).toBe(info.tags?.['mlflow.traceName']);
    expect(row.state).toBe(info.state);
    expect(row.requestTime?.toISOString()).toBe(
      new Date(Date.parse(info.request_time as string)).toISOString()
    );
    expect(row.durationMs).toBeCloseTo(
      parseFloat(info.execution_duration as string) * 1000
    );
    expect(row.requestPreview).toBe(info.request_preview ?? '');
    expect(row.tags).toEqual(info.tags);
  });

  it('is an array with its query and token, not enumerable', () => {
    const page = firstPage();
    expect(Array.isArray(page)).toBe(true);
    expect(isTraceSearchResults(page)).toBe(true);
    expect(isTraceSearchResults([...page])).toBe(false);
    expect(page.nextPageToken).toBe('2');
    expect(page.query).toEqual(query);
    expect(Object.keys(page)).toEqual(['0', '1']);
    expect(isTraceSearchResults(page.map(r => r))).toBe(false);
  });

  it('pages with next() and collects everything once with all()', async () => {
    const page = firstPage();
    const second = await page.next();
    expect(second?.map(r => r.traceId)).toEqual(
      infos.slice(2, 4).map(i => i.trace_id)
    );
    expect(second?.nextPageToken).toBeUndefined();
    expect(await second?.next()).toBeNull();
    const all = await page.all();
    expect(all.map(r => r.traceId)).toEqual(infos.map(i => i.trace_id));
    expect(all.nextPageToken).toBeUndefined();
  });
});

describe('buildListContent', () => {
  it('sends the list bundle and both fallbacks in one content', () => {
    const { content } = buildListContent(firstPage());
    expect(Object.keys(content.data).sort()).toEqual(
      [TRACE_LIST_MIME_TYPE, 'text/html', 'text/plain'].sort()
    );
    const bundle = content.data[TRACE_LIST_MIME_TYPE] as any;
    expect(bundle).toEqual({
      version: 1,
      tracking_uri: 'http://127.0.0.1:5000',
      query: {
        experiment_ids: ['1'],
        filter: "trace.status = 'OK'",
        order_by: ['timestamp_ms DESC'],
        max_results: 2
      },
      traces: infos.slice(0, 2),
      next_page_token: '2'
    });
    const decoded = decodeTraceListBundle(bundle);
    expect(decoded.errors).toEqual([]);
    expect(decoded.warnings).toEqual([]);
    const html = content.data['text/html'] as string;
    expect(html).not.toMatch(/<script/i);
    expect(html.match(/<tr/g)?.length).toBe(3);
    expect(content.data['text/plain']).toContain(infos[1].trace_id);
  });
});

describe('encodeTraceListBundle', () => {
  it('drops a non-http tracking URI and omits absent fields', () => {
    const { bundle, warnings } = encodeTraceListBundle(
      { experimentIds: ['3'], traces: [] },
      { trackingUri: 'javascript:alert(1)' }
    );
    expect(bundle).toEqual({
      version: 1,
      query: { experiment_ids: ['3'], order_by: [] },
      traces: []
    });
    expect(warnings).toHaveLength(1);
  });
});
