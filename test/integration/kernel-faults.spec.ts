/**
 * The helper on a real tslab kernel against failing tracking servers: every
 * fault fails its own cell with a typed error naming the cause, while the
 * kernel process lives on, earlier outputs stay, and the notebook still
 * saves, including a trace whose span name holds a lone surrogate.
 *
 * The notebook runs under nbclient (run_notebook.py --allow-errors) while
 * this process serves the fault injectors, so it must not block.
 */
import { execFile } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { promisify } from 'util';
import {
  closedPort,
  FaultMode,
  IFaultProxy,
  startFaultProxy
} from './fault-proxy';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PYTHON, ROOT, venvEnv } = require('../../scripts/lib/paths.cjs');

const TRACE_MIME = 'application/vnd.mlflow.trace+json';
const url = process.env.MLFLOW_TEST_TRACKING_URI!;

const FAULTS: { mode: FaultMode; error: string; message: RegExp }[] = [
  { mode: 401, error: 'AuthError', message: /HTTP 401.*injected 401/ },
  { mode: 500, error: 'ServerError', message: /HTTP 500.*injected 500/ },
  {
    mode: 'truncate',
    error: 'InvalidResponseError',
    message: /not JSON .*possibly truncated/
  }
];

interface IOutput {
  output_type: string;
  name?: string;
  text?: string | string[];
  ename?: string;
  evalue?: string;
  data?: Record<string, any>;
}
interface ICell {
  cell_type: string;
  source: string;
  outputs: IOutput[];
}

const joined = (text: string | string[] | undefined) =>
  Array.isArray(text) ? text.join('') : (text ?? '');
const stream = (cell: ICell, name: 'stdout' | 'stderr') =>
  cell.outputs
    .filter(o => o.output_type === 'stream' && o.name === name)
    .map(o => joined(o.text))
    .join('');
const stdout = (cell: ICell) => stream(cell, 'stdout');
// tslab reports a failed cell on stderr: "<name>: <message>\n    at …"
const errorOf = (cell: ICell) => {
  const match = stream(cell, 'stderr').match(/^(\w+): (.*)$/m);
  return match ? { ename: match[1], evalue: match[2] } : undefined;
};

function codeCell(source: string) {
  return {
    cell_type: 'code',
    execution_count: null,
    metadata: {},
    outputs: [],
    source
  };
}

/** Configure against `trackingUri`, then query: the cell fails on a fault. */
function queryCell(trackingUri: string): string {
  return [
    `await mt.configure({ trackingUri: ${JSON.stringify(trackingUri)}, experimentId: "0", autoDisplay: false });`,
    'const found = await mt.searchTraces({ maxResults: 1 });',
    'console.log(`query ok: ${found.length}`);'
  ].join('\n');
}

describe('faults on a real tslab kernel', () => {
  const proxies: IFaultProxy[] = [];
  let cells: ICell[];
  let downUrl: string;
  let exportProxy: IFaultProxy;
  let exportProxyUrl: string;
  let saved: string;

  beforeAll(async () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kernel-faults-'));
    fs.mkdirSync(path.join(work, 'node_modules'));
    fs.symlinkSync(
      ROOT,
      path.join(work, 'node_modules', 'jupyterlab-mlflow-traces'),
      'dir'
    );
    for (const fault of FAULTS) {
      const proxy = await startFaultProxy(url);
      proxy.mode = fault.mode;
      proxies.push(proxy);
    }
    downUrl = `http://127.0.0.1:${await closedPort()}`;
    exportProxy = await startFaultProxy(url);
    exportProxyUrl = exportProxy.url;
    const notebook = {
      cells: [
        codeCell(
          'import * as mt from "jupyterlab-mlflow-traces";\nconsole.log(`before the faults, pid ${process.pid}`);'
        ),
        ...proxies.map(proxy => codeCell(queryCell(proxy.url))),
        codeCell(queryCell(downUrl)),
        // The server fails after configure: the export fails, not the cell
        codeCell(
          [
            `await mt.configure({ trackingUri: ${JSON.stringify(exportProxyUrl)}, experimentId: "0" });`,
            `await fetch(${JSON.stringify(exportProxyUrl + '/__fault-proxy/mode/500')}, { method: "PUT" });`,
            'const answer = await mt.trace(async function offline() { return 42; })();',
            'await mt.flush().catch(e => console.log(`flush: ${e.name}`));',
            'console.log(`traced while failing: ${answer}`);'
          ].join('\n')
        ),
        // Back to the real server; a span name cut in the middle of an emoji
        codeCell(
          [
            `await mt.configure({ trackingUri: ${JSON.stringify(url)}, experimentId: "0" });`,
            "await mt.withSpan('cut \\uD83D emoji', async () => 'ok');",
            'await mt.flush();',
            'const after = await mt.searchTraces({ maxResults: 1 });',
            'console.log(`after the faults, pid ${process.pid}, found ${after.length}`);'
          ].join('\n')
        )
      ],
      metadata: {
        kernelspec: {
          name: 'tslab',
          display_name: 'TypeScript',
          language: 'typescript'
        }
      },
      nbformat: 4,
      nbformat_minor: 5
    };
    const input = path.join(work, 'faults.ipynb');
    saved = path.join(work, 'faults.executed.ipynb');
    fs.writeFileSync(input, JSON.stringify(notebook));
    await promisify(execFile)(
      PYTHON,
      [
        path.join(ROOT, 'test', 'fixtures', 'run_notebook.py'),
        input,
        saved,
        '--timeout',
        '120',
        '--allow-errors'
      ],
      { env: venvEnv({}), maxBuffer: 64 << 20 }
    );
    cells = JSON.parse(fs.readFileSync(saved, 'utf8')).cells.map(
      (c: ICell) => ({ ...c, source: joined(c.source) })
    );
  });

  afterAll(async () => {
    await Promise.all([...proxies, exportProxy].map(p => p.close()));
  });

  it('fails each faulty cell with a typed error that names the cause', () => {
    FAULTS.forEach((fault, i) => {
      const error = errorOf(cells[1 + i]);
      expect(error?.ename).toBe(fault.error);
      expect(error?.evalue).toMatch(fault.message);
      expect(error?.evalue).toContain(proxies[i].url);
    });
    const down = errorOf(cells[1 + FAULTS.length]);
    expect(down?.ename).toBe('ServerUnreachableError');
    expect(down?.evalue).toMatch(/unreachable at .*ECONNREFUSED/);
    expect(down?.evalue).toContain(downUrl);
  });

  it('keeps the kernel: the same process runs the cells after the faults', () => {
    const first = stdout(cells[0]).match(/before the faults, pid (\d+)/);
    const last = stdout(cells[cells.length - 1]).match(
      /after the faults, pid (\d+), found (\d+)/
    );
    expect(first).not.toBeNull();
    expect(last).not.toBeNull();
    expect(last![1]).toBe(first![1]);
    expect(Number(last![2])).toBe(1);
    expect(errorOf(cells[cells.length - 1])).toBeUndefined();
  });

  it('lets a trace whose export fails finish its cell, and says why', () => {
    const offline = cells[cells.length - 2];
    expect(exportProxy.mode).toBe(500);
    expect(stdout(offline)).toContain('traced while failing: 42');
    expect(stdout(offline)).toContain('flush: ServerError');
    expect(stream(offline, 'stderr')).toMatch(
      /mlflow-traces: could not send trace tr-[0-9a-f]{32} to the tracking server: .*exportTrace \(HTTP 500\): injected 500/
    );
  });

  it('saves the notebook with the lone surrogate replaced, the trace shown', () => {
    // run_notebook.py wrote (and validated) the notebook: it is valid UTF-8
    const text = fs.readFileSync(saved);
    expect(Buffer.from(text.toString('utf8'), 'utf8').equals(text)).toBe(true);
    const shown = cells[cells.length - 1].outputs.find(
      o => o.output_type === 'display_data'
    );
    const spans = shown?.data?.[TRACE_MIME].traces[0].spans;
    expect(spans.map((s: any) => s.name)).toEqual(['cut \uFFFD emoji']);
  });
});
