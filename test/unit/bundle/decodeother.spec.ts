/**
 * Decoding of the Databricks and trace-list MIME types: malformed shapes are
 * reported by field path and good entries are kept.
 */
import {
  decodeDatabricksBundle,
  decodeTraceListBundle
} from '../../../src/bundle';
import { loadRecorded } from '../recorded';

const LABELS = ['nested', 'error', 'chat', 'unicode'];

const recorded = LABELS.map(loadRecorded);

describe('decodeDatabricksBundle', () => {
  it('reads one {trace_id} as a JSON string, ignoring sql_warehouse_id', () => {
    const decoded = decodeDatabricksBundle(
      JSON.stringify({ trace_id: 'tr-1', sql_warehouse_id: null })
    );
    expect(decoded.errors).toEqual([]);
    expect(decoded.traces).toEqual([{ traceId: 'tr-1', embedded: false }]);
  });

  it('reads a parsed list and reports bad entries by index', () => {
    const decoded = decodeDatabricksBundle([
      { trace_id: 'tr-1' },
      { sql_warehouse_id: 'w' },
      3
    ]);
    expect(decoded.traces.map(t => t.traceId)).toEqual(['tr-1', '', '']);
    expect(decoded.errors).toEqual([
      '[1].trace_id is missing',
      '[2] is not an object (got number)'
    ]);
  });

  it('reads the bare id string older MLflow wrote', () => {
    expect(decodeDatabricksBundle('"tr-9"').traces[0].traceId).toBe('tr-9');
  });

  it.each([[42], ['{bad'], [[]]])('reports %p without throwing', data => {
    const decoded = decodeDatabricksBundle(data);
    expect(decoded.errors).toHaveLength(1);
  });
});

describe('decodeTraceListBundle', () => {
  const infos = recorded.map(t => t.info);

  it('reads the query, the rows and the page token', () => {
    const decoded = decodeTraceListBundle({
      version: 1,
      tracking_uri: 'http://127.0.0.1:5000',
      query: {
        experiment_ids: ['1'],
        filter: "trace.status = 'OK'",
        order_by: ['timestamp_ms DESC'],
        max_results: 100
      },
      traces: infos,
      next_page_token: 'abc'
    });
    expect(decoded.errors).toEqual([]);
    expect(decoded.warnings).toEqual([]);
    expect(decoded.query).toEqual({
      experimentIds: ['1'],
      filter: "trace.status = 'OK'",
      orderBy: ['timestamp_ms DESC'],
      maxResults: 100
    });
    expect(decoded.traces.map(r => r.traceId)).toEqual(
      recorded.map(t => t.traceId)
    );
    expect(decoded.nextPageToken).toBe('abc');
  });

  it('reports bad rows by path, keeps good ones, and drops a hostile URI', () => {
    const decoded = decodeTraceListBundle({
      version: 1,
      tracking_uri: 'javascript:alert(1)',
      query: { experiment_ids: 'x' },
      traces: [infos[0], { trace_id: 5 }, null],
      next_page_token: 7
    });
    expect(decoded.trackingUri).toBeUndefined();
    expect(decoded.traces.map(r => r.traceId)).toEqual([
      infos[0]?.trace_id,
      '',
      ''
    ]);
    expect(decoded.errors).toEqual([
      'traces[1].trace_id is not a string (got number)',
      'traces[2] is not an object (got null)'
    ]);
    expect(decoded.warnings).toHaveLength(3);
  });

  it('accepts an empty result, and reports a missing traces list', () => {
    expect(decodeTraceListBundle({ version: 1, traces: [] }).errors).toEqual(
      []
    );
    expect(decodeTraceListBundle({ version: 1 }).errors).toEqual([
      'traces is missing'
    ]);
  });
});
