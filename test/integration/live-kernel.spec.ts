/**
 * Live traces on a real tslab kernel and the real tracking server, one
 * notebook run (nbclient, every IOPub message recorded with its size and
 * arrival time): a cell of five 300 ms steps is updated in place while it
 * runs, its running spans are what the server later stores, and its last
 * update is the server's trace; a loop of 10,000 spans stays within the
 * update rate and the byte bound; an exception escaping the root with a
 * span open, a root that raised out of its cell, and a kernel interrupt,
 * leave the trace marked interrupted, and a root whose exception the cell
 * caught does not; a kernel killed mid-cell leaves an output that says it
 * stopped updating.
 */
import { execFile } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { promisify } from 'util';
import {
  IOPUB_ENVELOPE_BYTES,
  LIVE_MAX_BYTES_PER_S,
  LIVE_MAX_SNAPSHOT_BYTES,
  LIVE_MIN_INTERVAL_MS
} from '../../src/bundle';
import { MlflowClient } from '../../src/client';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PYTHON, ROOT, venvEnv } = require('../../scripts/lib/paths.cjs');

const TRACE_MIME = 'application/vnd.mlflow.trace+json';
const url = process.env.MLFLOW_TEST_TRACKING_URI!;
const experimentId = process.env.MLFLOW_TEST_EXPERIMENT_ID!;
const client = new MlflowClient({ trackingUri: url });
const run = promisify(execFile);

interface IMessage {
  cell: number;
  msg_type: string;
  time: number;
  bytes: number;
  content?: { data: Record<string, any> };
}

function codeCell(source: string[], runNotebook?: Record<string, number>) {
  return {
    cell_type: 'code',
    execution_count: null,
    metadata: runNotebook ? { run_notebook: runNotebook } : {},
    outputs: [],
    source: source.join('\n')
  };
}

const CELLS = [
  codeCell([
    'import * as mt from "jupyterlab-mlflow-traces";',
    `await mt.configure({ trackingUri: ${JSON.stringify(url)}, experimentId: ${JSON.stringify(experimentId)} });`,
    'const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));'
  ]),
  // 1: five sequential steps
  codeCell([
    'await mt.withSpan("agent", { inputs: { q: "five steps" } }, async () => {',
    '  for (let i = 0; i < 5; i++) {',
    '    await mt.withSpan(`step-${i}`, { spanType: "TOOL" }, async () => { await sleep(300); return i; });',
    '  }',
    '  return "done";',
    '});',
    'console.log(`trace ${mt.getLastTraceId()}`);'
  ]),
  // 2: 10,000 spans, yielding now and then, each with a 100-character input
  codeCell([
    'await mt.withSpan("loop", async () => {',
    '  for (let i = 0; i < 10000; i++) {',
    '    mt.withSpan(`s-${i}`, { inputs: "x".repeat(100) }, () => i);',
    '    if (i % 100 === 0) await sleep(2);',
    '  }',
    '});',
    'console.log(`trace ${mt.getLastTraceId()}`);'
  ]),
  // 3: an exception escapes the root while a child still runs
  codeCell([
    'await mt.withSpan("fails", async () => {',
    '  void mt.withSpan("background", async () => { await sleep(3000); });',
    '  await sleep(600);',
    '  throw new TypeError("boom");',
    '});'
  ]),
  // 4: interrupted by the kernel's interrupt (SIGINT)
  codeCell(
    [
      'await mt.withSpan("interrupted", async () => {',
      '  await mt.withSpan("slow", async () => { await sleep(20000); });',
      '});'
    ],
    { interrupt_after_s: 1.5 }
  ),
  // 5: the root raises, nothing else open, and the cell fails with it
  codeCell([
    'await mt.withSpan("raises", async () => {',
    '  await sleep(400);',
    '  throw new RangeError("bad input");',
    '});'
  ]),
  // 6: the root raises, nothing else open, and the cell catches it
  codeCell([
    'await mt.withSpan("caught", async () => {',
    '  await sleep(400);',
    '  throw new RangeError("handled");',
    '}).catch(() => undefined);',
    'console.log(`trace ${mt.getLastTraceId()}`);'
  ]),
  // 7: the kernel dies mid-cell
  codeCell(
    [
      'await mt.withSpan("killed", async () => {',
      '  await mt.withSpan("slow", async () => { await sleep(20000); });',
      '});'
    ],
    { kill_after_s: 1.5 }
  )
];

function entryOf(message: { data?: Record<string, any> } | undefined): any {
  return message?.data?.[TRACE_MIME]?.traces?.[0];
}

function text(value: string | string[] | undefined): string {
  return Array.isArray(value) ? value.join('') : (value ?? '');
}

describe('live traces on a real tslab kernel', () => {
  let iopub: IMessage[];
  let cells: { outputs: any[] }[];
  let summary: { dead_kernel?: boolean };

  /** The cell's trace messages, in arrival order. */
  const displays = (cell: number) =>
    iopub.filter(m => m.cell === cell && entryOf(m.content) !== undefined);
  /** The cell's saved trace output's entry. */
  const saved = (cell: number) =>
    entryOf(cells[cell].outputs.find(o => o.output_type === 'display_data'));
  const printedTraceId = (cell: number) =>
    /trace (tr-[0-9a-f]+)/.exec(
      cells[cell].outputs
        .filter(o => o.output_type === 'stream')
        .map(o => text(o.text))
        .join('')
    )?.[1] as string;

  beforeAll(async () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'live-kernel-'));
    fs.mkdirSync(path.join(work, 'node_modules'));
    fs.symlinkSync(
      ROOT,
      path.join(work, 'node_modules', 'jupyterlab-mlflow-traces'),
      'dir'
    );
    const notebook = {
      cells: CELLS,
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
    const input = path.join(work, 'live.ipynb');
    const output = path.join(work, 'live.executed.ipynb');
    const log = path.join(work, 'iopub.jsonl');
    fs.writeFileSync(input, JSON.stringify(notebook));
    const { stdout } = await run(
      PYTHON,
      [
        path.join(ROOT, 'test', 'fixtures', 'run_notebook.py'),
        input,
        output,
        '--timeout',
        '120',
        '--allow-errors',
        '--iopub',
        log
      ],
      { env: venvEnv({}), maxBuffer: 64 << 20 }
    );
    summary = JSON.parse(stdout);
    iopub = fs
      .readFileSync(log, 'utf8')
      .split('\n')
      .filter(line => line !== '')
      .map(line => JSON.parse(line));
    cells = JSON.parse(fs.readFileSync(output, 'utf8')).cells;
  }, 180000);

  it('updates a cell of five 300 ms steps in place, and ends with the server trace', async () => {
    const messages = displays(1);
    expect(messages[0].msg_type).toBe('display_data');
    const running = messages.filter(m => entryOf(m.content).live);
    const updates = running.filter(m => m.msg_type === 'update_display_data');
    expect(updates.length).toBeGreaterThanOrEqual(3);
    expect(running.map(m => entryOf(m.content).live.sequence)).toEqual(
      running.map((_, i) => i + 1)
    );
    const traceId = printedTraceId(1);
    const final = entryOf(messages[messages.length - 1].content);
    expect(final.trace_id).toBe(traceId);
    expect(final.live).toBeUndefined();
    const stored = await client.getTraceSpans(traceId);
    expect(final.spans).toEqual(stored);
    // The saved notebook holds that final trace.
    expect(
      cells[1].outputs.filter(o => o.output_type === 'display_data')
    ).toHaveLength(1);
    expect(saved(1)).toEqual(final);
    // While running, each span is as the server stores it, running ones
    // aside (end null, status unset), so nothing jumps at the end.
    const byId = new Map(stored.map((s: any) => [s.span_id, s]));
    for (const message of running) {
      for (const span of entryOf(message.content).spans) {
        const server = byId.get(span.span_id) as any;
        if (span.end_time_unix_nano === null) {
          expect(span.status).toEqual({
            code: 'STATUS_CODE_UNSET',
            message: ''
          });
          // Outputs come at the end: what it has so far, the server has too.
          expect(server.attributes).toMatchObject(span.attributes);
          const rest = { end_time_unix_nano: 0, status: 0, attributes: 0 };
          expect({ ...span, ...rest }).toEqual({ ...server, ...rest });
        } else {
          expect(span).toEqual(server);
        }
      }
    }
    const midway = entryOf(running[Math.floor(running.length / 2)].content);
    expect(midway.info.state).toBe('IN_PROGRESS');
    expect(
      midway.spans.filter((s: any) => s.end_time_unix_nano === null).length
    ).toBeGreaterThanOrEqual(1);
  });

  it('keeps a loop of 10,000 spans within the update rate and the byte bound', async () => {
    const messages = displays(2);
    const running = messages.filter(m => entryOf(m.content).live);
    expect(running.length).toBeGreaterThanOrEqual(2);
    // Each update's whole message (bundle and fallbacks) is in the bound.
    for (const message of running) {
      expect(message.bytes).toBeLessThanOrEqual(LIVE_MAX_SNAPSHOT_BYTES);
    }
    expect(running.some(m => entryOf(m.content).live.spans_omitted > 0)).toBe(
      true
    );
    // Rate: n updates need (n - 1) intervals; bytes: all but the last
    // update's bytes at most the byte rate over the time they took.
    const seconds = running[running.length - 1].time - running[0].time;
    expect(running.length - 1).toBeLessThanOrEqual(
      seconds / (LIVE_MIN_INTERVAL_MS / 1000) + 1
    );
    // Content bytes and each message's envelope, as the emitter counts them.
    const bytes = running
      .slice(0, -1)
      .reduce((sum, m) => sum + m.bytes + IOPUB_ENVELOPE_BYTES, 0);
    expect(bytes).toBeLessThanOrEqual(LIVE_MAX_BYTES_PER_S * (seconds + 0.5));
    const final = entryOf(messages[messages.length - 1].content);
    expect(final.live).toBeUndefined();
    expect(saved(2).trace_id).toBe(printedTraceId(2));
  });

  it('leaves a trace whose root threw with a span open marked interrupted', () => {
    const entry = saved(3);
    expect(entry.live.status).toBe('interrupted');
    expect(entry.live.reason).toBe('TypeError: boom');
    expect(entry.info.state).toBe('ERROR');
    const open = entry.spans.filter((s: any) => s.end_time_unix_nano === null);
    expect(open.map((s: any) => s.name)).toEqual(['background']);
    expect(entry.spans.map((s: any) => s.name).sort()).toEqual([
      'background',
      'fails'
    ]);
    const plain = text(
      cells[3].outputs.find(o => o.output_type === 'display_data').data[
        'text/plain'
      ]
    );
    expect(plain).toContain('interrupted');
  });

  it('leaves a trace cut off by a kernel interrupt marked interrupted, with the spans that had started', () => {
    const entry = saved(4);
    expect(entry.live.status).toBe('interrupted');
    expect(entry.live.reason).toBe('KeyboardInterrupt');
    expect(entry.info.state).toBe('IN_PROGRESS');
    expect(entry.spans.map((s: any) => s.name)).toEqual([
      'interrupted',
      'slow'
    ]);
    expect(entry.spans.every((s: any) => s.end_time_unix_nano === null)).toBe(
      true
    );
    const root = entry.spans[0];
    expect(entry.live.interrupted_at_unix_nano).toBeGreaterThan(
      root.start_time_unix_nano
    );
  });

  it('leaves a trace whose root raised out of its cell marked interrupted, nothing else open', () => {
    const entry = saved(5);
    expect(entry.live.status).toBe('interrupted');
    expect(entry.live.reason).toBe('RangeError: bad input');
    expect(entry.info.state).toBe('ERROR');
    expect(entry.spans.map((s: any) => s.name)).toEqual(['raises']);
    expect(entry.live.interrupted_at_unix_nano).toBe(
      entry.spans[0].end_time_unix_nano
    );
  });

  it('ends a trace whose root raised into a catch with the server trace, not interrupted', async () => {
    const entry = saved(6);
    expect(entry.trace_id).toBe(printedTraceId(6));
    expect(entry.live).toBeUndefined();
    expect(entry.info.state).toBe('ERROR');
    expect(entry.spans).toEqual(await client.getTraceSpans(entry.trace_id));
  });

  it('leaves the last running update of a killed kernel, saying it stopped updating', () => {
    expect(summary.dead_kernel).toBe(true);
    const output = cells[7].outputs.find(o => o.output_type === 'display_data');
    const entry = entryOf(output);
    expect(entry.live.status).toBe('running');
    expect(text(output.data['text/plain'])).toContain('stopped updating at');
  });
});
