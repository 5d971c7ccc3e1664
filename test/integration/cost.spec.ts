/**
 * Cost end to end: traces written by MLflow's Python SDK to the real
 * tracking server (test/fixtures/write_cost_traces.py), the server pricing
 * gpt-4o-mini from token usage as MLflow does offline, read back through our
 * client, and shown with the cost, model, session and user the SDK reports,
 * in the trace model, the list rows (sorted by cost) and both fallbacks.
 */
import { execFileSync } from 'child_process';
import path from 'path';
import { renderTraceListHtml, renderTraceText } from '../../src/bundle';
import { MlflowClient } from '../../src/client';
import {
  buildTrace,
  formatUsd,
  ITraceInfoV3,
  summarizeTrace
} from '../../src/trace';
import { sortItems, toListItem } from '../../src/view/list/listRows';

interface ISdkCost {
  input_cost: number;
  output_cost: number;
  total_cost: number;
}

interface ISdkTrace {
  trace_id: string;
  cost: ISdkCost | null;
  session: string | null;
  user: string | null;
  spans: Record<
    string,
    { model: string | null; provider: string | null; cost: ISdkCost | null }
  >;
}

interface IWritten {
  experiment_id: string;
  hostile: string;
  priced_by_table: Record<string, { input_cost: number; output_cost: number }>;
  traces: Record<'priced' | 'explicit' | 'free' | 'hostile', ISdkTrace>;
}

const ROOT = path.resolve(__dirname, '..', '..');
const uri = process.env.MLFLOW_TEST_TRACKING_URI as string;
const client = new MlflowClient({ trackingUri: uri });

let written: IWritten;
let infos: ITraceInfoV3[];

beforeAll(async () => {
  const out = execFileSync(
    path.join(ROOT, '.venv', 'bin', 'python'),
    [
      path.join(ROOT, 'test', 'fixtures', 'write_cost_traces.py'),
      `cost-${Date.now()}-${process.pid}`
    ],
    { encoding: 'utf8', env: { ...process.env, MLFLOW_TRACKING_URI: uri } }
  );
  written = JSON.parse(out.trim().split('\n').pop() as string);
  const page = await client.searchTraces({
    experimentIds: [written.experiment_id],
    maxResults: 100
  });
  infos = page.traces;
});

function infoOf(label: keyof IWritten['traces']): ITraceInfoV3 {
  const info = infos.find(i => i.trace_id === written.traces[label].trace_id);
  expect(info).toBeDefined();
  return info!;
}

describe('traces with cost written by the Python SDK', () => {
  it('the server priced the chat spans as MLflow prices gpt-4o-mini offline', () => {
    const spans = written.traces.priced.spans;
    for (const name of ['plan', 'answer']) {
      const table = written.priced_by_table[name];
      expect(spans[name].cost?.input_cost).toBeCloseTo(table.input_cost, 12);
      expect(spans[name].cost?.output_cost).toBeCloseTo(table.output_cost, 12);
    }
    expect(written.traces.priced.cost?.total_cost).toBeGreaterThan(0);
  });

  it('list rows carry the cost, session and user the SDK reports', () => {
    for (const label of ['priced', 'explicit', 'free', 'hostile'] as const) {
      const sdk = written.traces[label];
      const item = toListItem(infoOf(label));
      expect({
        label,
        cost: item.cost,
        note: item.costNote,
        session: item.session,
        user: item.user
      }).toEqual({
        label,
        cost: sdk.cost ? sdk.cost.total_cost : null,
        note: '',
        session: sdk.session ?? '',
        user: sdk.user ?? ''
      });
    }
  });

  it('sorting the rows by cost orders them by the SDK costs, the trace without one last', () => {
    const items = infos.map(toListItem);
    const ids = (descending: boolean) =>
      sortItems(items, { column: 'cost', descending }).map(i => i.traceId);
    const t = written.traces;
    expect(ids(false)).toEqual([
      t.priced.trace_id,
      t.hostile.trace_id,
      t.explicit.trace_id,
      t.free.trace_id
    ]);
    expect(ids(true)).toEqual([
      t.explicit.trace_id,
      t.hostile.trace_id,
      t.priced.trace_id,
      t.free.trace_id
    ]);
  });

  it('a fetched trace has the SDK cost, and each span its model, provider and cost', async () => {
    for (const label of ['priced', 'explicit', 'hostile'] as const) {
      const sdk = written.traces[label];
      const raw = await client.getTrace(sdk.trace_id);
      const trace = buildTrace(raw.info, raw.spans);
      const summary = summarizeTrace(trace);
      expect(summary.cost?.total).toBe(sdk.cost?.total_cost);
      expect(summary.costNote).toBe('');
      for (const span of trace.spans) {
        const expected = sdk.spans[span.name];
        expect({
          span: span.name,
          model: span.llm?.model ?? '',
          provider: span.llm?.provider ?? '',
          cost: span.llm?.cost?.total ?? null
        }).toEqual({
          span: span.name,
          model: expected.model ?? '',
          provider: expected.provider ?? '',
          cost: expected.cost?.total_cost ?? null
        });
      }
      // Our sum over the spans, MLflow's rule, equals the server's aggregate
      const withoutMetadata = summarizeTrace(
        buildTrace({ ...raw.info, trace_metadata: {} }, raw.spans)
      );
      expect(withoutMetadata.cost?.total).toBeCloseTo(sdk.cost!.total_cost, 15);
    }
  });

  it('the fallbacks show the cost, and hostile session and user stay text', async () => {
    const raw = await client.getTrace(written.traces.priced.trace_id);
    const text = renderTraceText([
      { traceId: raw.info.trace_id, info: raw.info, spans: raw.spans }
    ]);
    expect(text).toContain(
      `cost ${formatUsd(written.traces.priced.cost!.total_cost)}`
    );
    const html = renderTraceListHtml({
      version: 1,
      query: { experiment_ids: [written.experiment_id] },
      traces: infos
    });
    expect(html).toContain('<th>Cost</th><th>Session</th><th>User</th>');
    expect(html).toContain(
      `<td>${formatUsd(written.traces.explicit.cost!.total_cost)}</td>`
    );
    expect(html).not.toContain(written.hostile);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});
