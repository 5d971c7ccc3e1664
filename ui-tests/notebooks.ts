/**
 * Build notebooks (nbformat 4.5) whose outputs carry the trace MIME bundle of
 * the output contract (shared/DESIGN.md), and upload them trusted or not.
 *
 * Every bundle here comes from the real tracking server: either recorded by
 * scripts/record-fixtures.mjs (test/fixtures/recorded/) or fetched live from
 * the server started by global-setup.js. Nothing is hand-written.
 */
import fs from 'fs';
import path from 'path';
import type { APIRequestContext } from '@playwright/test';

export const TRACE_MIME = 'application/vnd.mlflow.trace+json';
export const TRACE_LIST_MIME = 'application/vnd.mlflow.trace-list+json';

const ROOT = path.resolve(__dirname, '..');
const RECORDED = path.join(ROOT, 'test', 'fixtures', 'recorded');
const STATE = path.join(__dirname, '.cache', 'ui-state.json');

/** One trace of a bundle: embedded (info + spans) or ids only. */
export interface IBundleTrace {
  trace_id: string;
  info?: Record<string, unknown>;
  spans?: Record<string, unknown>[];
  truncated?: { max_string: number };
}

export interface ITraceBundle {
  version: 1;
  tracking_uri?: string;
  traces: IBundleTrace[];
}

export interface IOutput {
  output_type: 'display_data';
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

export interface INotebook {
  cells: Record<string, unknown>[];
  metadata: Record<string, unknown>;
  nbformat: 4;
  nbformat_minor: 5;
}

/** A bundle of embedded traces (they render offline, at once). */
export function embeddedBundle(
  traces: IBundleTrace[],
  trackingUri?: string
): ITraceBundle {
  return {
    version: 1,
    ...(trackingUri ? { tracking_uri: trackingUri } : {}),
    traces
  };
}

/** A bundle that names traces only: the renderer fetches them from the server. */
export function idsOnlyBundle(
  traceIds: string[],
  trackingUri?: string
): ITraceBundle {
  return {
    version: 1,
    ...(trackingUri ? { tracking_uri: trackingUri } : {}),
    traces: traceIds.map(trace_id => ({ trace_id }))
  };
}

/** The text/plain line of a bundle: unique, so a test can tell the fallback rendered. */
export function plainText(bundle: ITraceBundle): string {
  return bundle.traces
    .map(t => `TEXT-PLAIN-FALLBACK MLflow trace ${t.trace_id}`)
    .join('\n');
}

/** A display_data output carrying the bundle and its text/plain fallback. */
export function traceOutput(
  bundle: ITraceBundle,
  extra: Record<string, unknown> = {}
): IOutput {
  return {
    output_type: 'display_data',
    data: { [TRACE_MIME]: bundle, 'text/plain': plainText(bundle), ...extra },
    metadata: {}
  };
}

let cellCounter = 0;

/** A code cell with the given outputs (no execution needed to render them). */
export function codeCell(
  source: string,
  outputs: IOutput[] = []
): Record<string, unknown> {
  cellCounter += 1;
  return {
    cell_type: 'code',
    id: `cell-${cellCounter}`,
    execution_count: outputs.length ? cellCounter : null,
    metadata: {},
    outputs,
    source
  };
}

export function markdownCell(source: string): Record<string, unknown> {
  cellCounter += 1;
  return {
    cell_type: 'markdown',
    id: `cell-${cellCounter}`,
    metadata: {},
    source
  };
}

/** A notebook of the given cells (python3 kernelspec, as MLflow users have). */
export function notebook(cells: Record<string, unknown>[]): INotebook {
  return {
    cells,
    metadata: {
      kernelspec: {
        display_name: 'Python 3',
        language: 'python',
        name: 'python3'
      },
      language_info: { name: 'python' }
    },
    nbformat: 4,
    nbformat_minor: 5
  };
}

/** A notebook with one code cell showing `bundle`. */
export function traceNotebook(bundle: ITraceBundle): INotebook {
  return notebook([codeCell('# trace output', [traceOutput(bundle)])]);
}

// --- where bundles come from --------------------------------------------

/** A trace recorded from the real server: test/fixtures/recorded/<label>.{info,spans}.json. */
export function recordedTrace(label: string): IBundleTrace {
  const read = (suffix: string) =>
    JSON.parse(
      fs.readFileSync(path.join(RECORDED, `${label}.${suffix}.json`), 'utf8')
    );
  const info = read('info').trace.trace_info;
  const spans = read('spans').spans;
  return { trace_id: info.trace_id, info, spans };
}

/**
 * A trace a fixture script wrote with MLflow's Python SDK and read back from
 * its store: test/fixtures/<file> ({"info": TraceInfoV3, "spans": [...]}).
 */
export function sdkTrace(file: string): IBundleTrace {
  const { info, spans } = JSON.parse(
    fs.readFileSync(path.join(ROOT, 'test', 'fixtures', file), 'utf8')
  );
  return { trace_id: info.trace_id, info, spans };
}

/**
 * A notebook whose one trusted-to-be output embeds the recorded nested trace
 * and names `traceId` on `trackingUri`, for the renderer to fetch beside it.
 */
export function embeddedBesideFetched(
  traceId: string,
  trackingUri: string
): INotebook {
  const bundle = embeddedBundle(
    [recordedTrace('nested'), { trace_id: traceId }],
    trackingUri
  );
  return notebook([codeCell(`# ${traceId}`, [traceOutput(bundle)])]);
}

/** What the Python SDK said of the recorded traces (test/fixtures/recorded/expected.json). */
export function recordedExpected(): Record<string, any> {
  return JSON.parse(
    fs.readFileSync(path.join(RECORDED, 'expected.json'), 'utf8')
  );
}

/** Fetch one trace from a live tracking server as the kernel would embed it. */
export async function fetchTrace(
  url: string,
  traceId: string
): Promise<IBundleTrace> {
  const get = async (p: string) => {
    const response = await fetch(`${url}${p}`);
    if (!response.ok) {
      throw new Error(`GET ${p}: ${response.status} ${await response.text()}`);
    }
    return response.json();
  };
  const info = (
    await get(`/api/3.0/mlflow/traces/${encodeURIComponent(traceId)}`)
  ).trace.trace_info;
  const spans = (
    await get(
      `/ajax-api/3.0/mlflow/get-trace-artifact?request_id=${encodeURIComponent(traceId)}`
    )
  ).spans;
  return { trace_id: traceId, info, spans };
}

/** An embedded bundle recorded from the live server (tracking_uri set to it). */
export async function embeddedBundleFromServer(
  url: string,
  traceId: string
): Promise<ITraceBundle> {
  return embeddedBundle([await fetchTrace(url, traceId)], url);
}

/** The live server of global-setup.js and what the Python SDK wrote into it. */
export function liveServer(): { url: string; expected: Record<string, any> } {
  let url = process.env.UI_MLFLOW_TRACKING_URI;
  let expectedPath = process.env.UI_EXPECTED_JSON;
  if ((!url || !expectedPath) && fs.existsSync(STATE)) {
    const state = JSON.parse(fs.readFileSync(STATE, 'utf8'));
    url = url || state.trackingUri;
    expectedPath = expectedPath || state.expectedPath;
  }
  if (!url || !expectedPath) {
    throw new Error('no live tracking server: global-setup.js did not run');
  }
  return { url, expected: JSON.parse(fs.readFileSync(expectedPath, 'utf8')) };
}

// --- upload ---------------------------------------------------------------

/**
 * Save `nb` at `nbPath` through the contents API.
 *
 * Trust: the server signs a notebook on save when every code cell with output
 * carries `metadata.trusted: true` (nbformat's NotebookNotary.check_cells;
 * the flag is stripped before writing). That is how JupyterLab itself saves a
 * trusted notebook, so `trusted: true` gives a signed notebook that opens
 * trusted, and `trusted: false` an unsigned one that opens untrusted, as a
 * notebook from someone else would.
 */
export async function uploadNotebook(
  request: APIRequestContext,
  nbPath: string,
  nb: INotebook,
  { trusted }: { trusted: boolean }
): Promise<void> {
  const content = JSON.parse(JSON.stringify(nb)) as INotebook;
  for (const cell of content.cells) {
    if (cell.cell_type === 'code') {
      (cell.metadata as Record<string, unknown>).trusted = trusted;
    }
  }
  const url = `/api/contents/${nbPath.split('/').map(encodeURIComponent).join('/')}`;
  const response = await request.put(url, {
    data: { type: 'notebook', format: 'json', content }
  });
  if (!response.ok()) {
    throw new Error(
      `PUT ${url}: ${response.status()} ${await response.text()}`
    );
  }
}
