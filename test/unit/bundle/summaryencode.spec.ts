/**
 * encodeTraceSummaryBundle and summaryBundle: what they write validates
 * against contract/trace-summary.schema.json, reproduces the reference
 * bundle from its parts, leaves credentials out, and carries the payload
 * with both fallbacks.
 */
import fs from 'fs';
import path from 'path';
import Ajv2020 from 'ajv/dist/2020';
import {
  encodeTraceSummaryBundle,
  renderTraceSummaryHtml,
  renderTraceSummaryText,
  summaryBundle,
  TRACE_SUMMARY_MIME_TYPE
} from '../../../src/bundle';
import { aggregateTraceInfos, SummaryGrid } from '../../../src/trace/aggregate';
import { ITraceInfoV3 } from '../../../src/trace';
import { loadRecorded, RECORDED_LABELS } from '../recorded';

const CONTRACT = path.resolve(__dirname, '..', '..', '..', 'contract');
const readJson = (...parts: string[]) =>
  JSON.parse(fs.readFileSync(path.join(CONTRACT, ...parts), 'utf8'));

const ajv = new Ajv2020({ allErrors: true, strict: true });
const validate = ajv.compile(readJson('trace-summary.schema.json'));
const schemaErrors = (data: unknown) =>
  validate(data)
    ? []
    : (validate.errors ?? []).map(e => `${e.instancePath} ${e.message}`);

const reference = readJson('examples', 'trace-summary', 'three-hours.json');

describe('encodeTraceSummaryBundle', () => {
  it('rebuilds the reference bundle from its parts, and it validates', () => {
    const { bundle, warnings } = encodeTraceSummaryBundle(
      {
        experimentIds: reference.query.experiment_ids,
        filter: reference.query.filter,
        startMs: reference.query.start_time_ms,
        endMs: reference.query.end_time_ms,
        intervalSeconds: reference.query.interval_seconds,
        source: reference.source,
        buckets: reference.buckets,
        totals: reference.totals
      },
      { trackingUri: 'http://user:secret@127.0.0.1:5000/' }
    );
    expect(bundle).toEqual(reference);
    expect(schemaErrors(bundle)).toEqual([]);
    expect(warnings).toEqual([
      'trackingUri held credentials: they are left out'
    ]);
  });

  it('validates what the search path aggregates of recorded trace infos, with its note', () => {
    const infos: ITraceInfoV3[] = RECORDED_LABELS.map(
      label => loadRecorded(label).info
    );
    const times = infos.map(i => Date.parse(i.request_time as string));
    const start = Math.min(...times);
    const end = Math.max(...times);
    const grid = new SummaryGrid(start, end, 60);
    const { buckets, totals } = aggregateTraceInfos(infos, grid);
    expect(totals.traces).toBe(infos.length);
    const { bundle } = encodeTraceSummaryBundle({
      experimentIds: ['0'],
      startMs: start,
      endMs: end,
      intervalSeconds: 60,
      source: 'search',
      sourceNote: 'useServer: false',
      buckets,
      totals
    });
    expect(schemaErrors(bundle)).toEqual([]);
    expect(bundle.buckets).toHaveLength(grid.count);
    expect(bundle.query).not.toHaveProperty('filter');
  });
});

describe('summaryBundle', () => {
  it('carries the payload under its MIME type with the text/html and text/plain fallbacks', () => {
    const data = summaryBundle(reference);
    expect(Object.keys(data)).toEqual([
      TRACE_SUMMARY_MIME_TYPE,
      'text/html',
      'text/plain'
    ]);
    expect(data[TRACE_SUMMARY_MIME_TYPE]).toBe(reference);
    expect(data['text/html']).toBe(renderTraceSummaryHtml(reference));
    expect(data['text/plain']).toBe(renderTraceSummaryText(reference));
  });
});
