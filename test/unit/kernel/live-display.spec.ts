/**
 * Live auto-display through a stand-in for tslab's kernel module (a
 * `tslab/dist/jupyter.js` whose writer records each display message): the
 * output appears at the root's start and is updated in order, a heartbeat
 * apart at most; the last update has no `live`; an exception escaping the
 * root with a span open, or a cell that fails with its trace running,
 * leaves it interrupted (and only then: the contract's rule); the snapshot
 * stays in its byte bound; a trace that outlives its cell stops updating
 * until its root ends; a finished output drops its spans and is let go
 * before a running one; with `live: false` nothing is followed. No tracking server answers (port 9),
 * so the final update is the trace as this kernel recorded it.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import {
  IOPUB_ENVELOPE_BYTES,
  LIVE_MAX_BYTES_PER_S,
  LIVE_MAX_SNAPSHOT_BYTES,
  LIVE_MIN_INTERVAL_MS,
  TRACE_MIME_TYPE
} from '../../../src/bundle';
import { installAutoDisplay } from '../../../src/kernel/autodisplay';
import { kernelRate } from '../../../src/kernel/liveemitter';
import { MAX_OUTPUTS, outputOf } from '../../../src/kernel/liveregistry';
import { configure, getLiveProcessor } from '../../../src/kernel/session';
import { withSpan } from '../../../src/kernel/tracing';

interface IMessage {
  update: boolean;
  /** Wall clock (ms) when it was written. */
  at: number;
  content: { data: Record<string, any>; transient?: { display_id?: string } };
}

const messages: IMessage[] = [];
const errors: string[] = [];
let handler: {
  handleExecuteImpl: (cell: () => Promise<void>) => Promise<void>;
};

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

function entry(message: IMessage): any {
  return message.content.data[TRACE_MIME_TYPE].traces[0];
}

/** Runs `code` as a cell; returns the messages it sent and whether it failed. */
async function cell(code: () => Promise<void>): Promise<{
  sent: IMessage[];
  failed: boolean;
}> {
  const from = messages.length;
  let failed = false;
  await handler.handleExecuteImpl(code).catch(() => {
    failed = true;
  });
  return { sent: messages.slice(from), failed };
}

beforeAll(() => {
  // A kernel module for tslab.ts to find in require.cache.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'live-display-'));
  const file = path.join(dir, 'tslab', 'dist', 'jupyter.js');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(
    file,
    [
      'exports.lastWriteDisplayData = null;',
      'class JupyterHandlerImpl { async handleExecuteImpl(cell) { return cell(); } }',
      'exports.JupyterHandlerImpl = JupyterHandlerImpl;'
    ].join('\n')
  );
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const jupyter = require(file);
  jupyter.lastWriteDisplayData = (content: any, update: boolean) => {
    // As tslab sends it: JSON text.
    messages.push({
      update,
      at: Date.now(),
      content: JSON.parse(JSON.stringify(content))
    });
  };
  handler = new jupyter.JupyterHandlerImpl();
  process.env.MLFLOW_TRACKING_URI = 'http://127.0.0.1:9';
  jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    errors.push(args.map(String).join(' '));
  });
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  installAutoDisplay();
});

afterAll(() => {
  jest.restoreAllMocks();
  delete process.env.MLFLOW_TRACKING_URI;
});

describe('live auto-display in a (stand-in) tslab kernel', () => {
  it('shows the trace at its start, updates it in order, and ends without live', async () => {
    const { sent } = await cell(async () => {
      await withSpan('agent', { inputs: { q: 'hi' } }, async () => {
        for (let i = 0; i < 3; i++) {
          await withSpan(`step-${i}`, async () => sleep(300));
        }
      });
    });
    const ids = new Set(sent.map(m => m.content.transient?.display_id));
    expect(ids.size).toBe(1);
    expect(sent[0].update).toBe(false);
    expect(sent.slice(1).every(m => m.update)).toBe(true);
    const running = sent.slice(0, -1).map(entry);
    expect(running.length).toBeGreaterThanOrEqual(3);
    expect(running.map(e => e.live.sequence)).toEqual(
      running.map((_, i) => i + 1)
    );
    for (let i = 1; i < running.length; i++) {
      expect(
        running[i].live.updated_unix_ms - running[i - 1].live.updated_unix_ms
      ).toBeGreaterThanOrEqual(LIVE_MIN_INTERVAL_MS - 5);
    }
    const first = running[0];
    expect(first.live.status).toBe('running');
    expect(first.info.state).toBe('IN_PROGRESS');
    const root = first.spans.find((s: any) => s.name === 'agent');
    expect(root.end_time_unix_nano).toBeNull();
    expect(root.status).toEqual({ code: 'STATUS_CODE_UNSET', message: '' });
    expect(root.attributes['mlflow.spanInputs']).toBe('{"q":"hi"}');
    // The last: no live, every span ended (recorded here: no server).
    const last = entry(sent[sent.length - 1]);
    expect(last.live).toBeUndefined();
    expect(last.info.state).toBe('OK');
    expect(last.spans.map((s: any) => s.name).sort()).toEqual([
      'agent',
      'step-0',
      'step-1',
      'step-2'
    ]);
    expect(last.spans.every((s: any) => s.end_time_unix_nano !== null)).toBe(
      true
    );
    expect(errors.some(e => e.includes(`could not send trace`))).toBe(true);
  }, 30000);

  it('leaves a trace interrupted when an exception escapes its root with a span open', async () => {
    const { sent } = await cell(async () => {
      await withSpan('fails', async () => {
        void withSpan('background', async () => sleep(1500));
        await sleep(300);
        throw new TypeError('boom');
      }).catch(() => undefined);
    });
    const last = entry(sent[sent.length - 1]);
    expect(last.live.status).toBe('interrupted');
    expect(last.live.reason).toBe('TypeError: boom');
    expect(last.info.state).toBe('ERROR');
    const open = last.spans.filter((s: any) => s.end_time_unix_nano === null);
    expect(open.map((s: any) => s.name)).toEqual(['background']);
    const root = last.spans.find((s: any) => s.name === 'fails');
    expect(last.live.interrupted_at_unix_nano).toBe(root.end_time_unix_nano);
    // Nothing after the final update, though the background span ends later.
    const count = messages.length;
    await sleep(2500);
    expect(messages.length).toBe(count);
  }, 30000);

  it('leaves a trace interrupted when its cell fails while it runs', async () => {
    const { sent, failed } = await cell(async () => {
      void withSpan('orphan', async () => sleep(1000));
      await sleep(300);
      throw new Error('cell fails');
    });
    expect(failed).toBe(true);
    const last = entry(sent[sent.length - 1]);
    expect(last.live.status).toBe('interrupted');
    expect(last.info.state).toBe('IN_PROGRESS');
    expect(last.spans[0].end_time_unix_nano).toBeNull();
    const count = messages.length;
    await sleep(1500);
    expect(messages.length).toBe(count);
  }, 30000);

  it('leaves a trace interrupted when its root raised and its cell failed, nothing open', async () => {
    let traceId = '';
    const { sent, failed } = await cell(async () => {
      await withSpan('raises', async span => {
        traceId = span.traceId;
        await sleep(300);
        throw new RangeError('bad input');
      });
    });
    expect(failed).toBe(true);
    const last = entry(sent[sent.length - 1]);
    expect(last.trace_id).toBe(traceId);
    expect(last.live.status).toBe('interrupted');
    expect(last.live.reason).toBe('RangeError: bad input');
    expect(last.info.state).toBe('ERROR');
    const root = last.spans.find((s: any) => s.name === 'raises');
    expect(last.live.interrupted_at_unix_nano).toBe(root.end_time_unix_nano);
    const count = messages.length;
    await sleep(500);
    expect(messages.length).toBe(count);
  }, 30000);

  it('ends a trace whose root raised without live when the cell caught it, nothing open', async () => {
    let traceId = '';
    const { sent, failed } = await cell(async () => {
      await withSpan('caught', async span => {
        traceId = span.traceId;
        await sleep(300);
        throw new Error('handled');
      }).catch(() => undefined);
    });
    expect(failed).toBe(false);
    const last = entry(sent[sent.length - 1]);
    expect(last.trace_id).toBe(traceId);
    expect(last.live).toBeUndefined();
    expect(last.info.state).toBe('ERROR');
    // Its last update written: the output keeps routing, not the spans.
    const output = outputOf(traceId);
    expect(output?.finished).toBe(true);
    expect(output?.live).toBeNull();
  }, 30000);

  it('leaves a trace interrupted when its root ends with an error status while a span is open', async () => {
    const { sent, failed } = await cell(async () => {
      await withSpan('gives-up', async span => {
        void withSpan('still-going', async () => sleep(800));
        await sleep(300);
        span.setStatus('ERROR', 'gave up');
      });
      await sleep(900);
    });
    expect(failed).toBe(false);
    const finals = sent.filter(m => entry(m).live?.status !== 'running');
    expect(finals).toHaveLength(1);
    const last = entry(finals[0]);
    expect(last.live.status).toBe('interrupted');
    expect(last.live.reason).toBe('gave up');
    const open = last.spans.filter((s: any) => s.end_time_unix_nano === null);
    expect(open.map((s: any) => s.name)).toEqual(['still-going']);
  }, 30000);

  it('stops updating a trace that outlives its cell, and sends its final update when the root ends', async () => {
    let finish = (): void => undefined;
    let traceId = '';
    const { sent } = await cell(async () => {
      void withSpan('outlives', async span => {
        traceId = span.traceId;
        await new Promise<void>(resolve => {
          finish = resolve;
        });
      });
      await sleep(300);
    });
    const displayId = sent[0].content.transient?.display_id;
    expect(entry(sent[0]).trace_id).toBe(traceId);
    expect(entry(sent[sent.length - 1]).live.status).toBe('running');
    // No heartbeat once the cell ended.
    const from = messages.length;
    await sleep(2500);
    expect(messages.length).toBe(from);
    finish();
    await sleep(1000);
    const after = messages.slice(from);
    expect(after).toHaveLength(1);
    expect(after[0].update).toBe(true);
    expect(after[0].content.transient?.display_id).toBe(displayId);
    expect(entry(after[0]).live).toBeUndefined();
    expect(entry(after[0]).info.state).toBe('OK');
  }, 30000);

  it('follows no trace whose root starts after the last cell ended', async () => {
    await cell(async () => undefined);
    const from = messages.length;
    await withSpan('after-the-cell', async () => {
      expect(getLiveProcessor().size).toBe(0);
      await sleep(300);
    });
    await sleep(300);
    // Displayed at its root's end as when not live: here no server has it.
    expect(messages.length).toBe(from);
  }, 30000);

  it('lets go of finished outputs before a running one at the cap', async () => {
    let finish = (): void => undefined;
    let runningId = '';
    await cell(async () => {
      void withSpan('long', async span => {
        runningId = span.traceId;
        await new Promise<void>(resolve => {
          finish = resolve;
        });
      });
      await sleep(50);
    });
    const firstQuick: string[] = [];
    const logged = jest
      .spyOn(console, 'log')
      .mockImplementation(() => undefined);
    try {
      // More finished outputs than the registry keeps, ten a cell (the cap).
      for (let c = 0; c * 10 <= MAX_OUTPUTS; c++) {
        await cell(async () => {
          for (let i = 0; i < 10; i++) {
            withSpan(`q-${c}-${i}`, span => {
              if (c === 0) {
                firstQuick.push(span.traceId);
              }
            });
          }
        });
      }
    } finally {
      logged.mockRestore();
    }
    expect(outputOf(firstQuick[0])).toBeUndefined();
    const running = outputOf(runningId);
    expect(running?.finished).toBe(false);
    expect(running?.live).not.toBeNull();
    const from = messages.length;
    finish();
    await sleep(1000);
    const after = messages.slice(from);
    expect(after).toHaveLength(1);
    expect(after[0].content.transient?.display_id).toBe(running?.displayId);
    expect(entry(after[0]).live).toBeUndefined();
  }, 60000);

  it('keeps each update message in the byte bound, with running spans and omitted counts', async () => {
    const { sent } = await cell(async () => {
      await withSpan('loop', async () => {
        for (let i = 0; i < 3000; i++) {
          withSpan(`s-${i}`, { inputs: 'x'.repeat(200) }, () => i);
          if (i % 300 === 0) {
            await sleep(60);
          }
        }
      });
    });
    const updates = sent.slice(0, -1);
    const running = updates.map(entry);
    const big = running.filter(e => e.live.spans_omitted > 0);
    expect(big.length).toBeGreaterThan(0);
    // The whole message, fallbacks included, as tslab sends it.
    for (const message of updates) {
      expect(
        Buffer.byteLength(JSON.stringify(message.content))
      ).toBeLessThanOrEqual(LIVE_MAX_SNAPSHOT_BYTES);
    }
    for (const e of running) {
      expect(e.spans.some((s: any) => s.name === 'loop')).toBe(true);
      expect(e.spans.length + (e.live.spans_omitted ?? 0)).toBeLessThanOrEqual(
        3001
      );
    }
  }, 60000);

  it('paces the updates of concurrent traces by one byte rate', async () => {
    const loop = (name: string) =>
      withSpan(name, async () => {
        for (let i = 0; i < 3000; i++) {
          withSpan(`${name}-${i}`, { inputs: 'x'.repeat(200) }, () => i);
          if (i % 150 === 0) {
            await sleep(100);
          }
        }
      });
    const { sent } = await cell(async () => {
      await Promise.all([loop('left'), loop('right')]);
    });
    const running = sent.filter(m => entry(m).live?.status === 'running');
    expect(new Set(running.map(m => entry(m).trace_id)).size).toBe(2);
    // After an update of B bytes (and its envelope), no output sends before B at the rate.
    for (let i = 1; i < running.length; i++) {
      const bytes =
        Buffer.byteLength(JSON.stringify(running[i - 1].content)) +
        IOPUB_ENVELOPE_BYTES;
      expect(running[i].at - running[i - 1].at).toBeGreaterThanOrEqual(
        Math.floor((bytes / LIVE_MAX_BYTES_PER_S) * 1000) - 2
      );
    }
  }, 60000);

  it('gives each trace of a cell its own live output, within the cap', async () => {
    const logged = jest
      .spyOn(console, 'log')
      .mockImplementation(() => undefined);
    try {
      // The byte rate all outputs share lets the first updates go at once.
      await sleep(Math.max(0, kernelRate.nextAt - Date.now()));
      const { sent } = await cell(async () => {
        // Twelve concurrent traces: the cap (10) counts them as they start.
        await Promise.all(
          Array.from({ length: 12 }, (_, i) =>
            withSpan(`t-${i}`, async () => sleep(1000))
          )
        );
      });
      const firsts = sent.filter(m => !m.update);
      expect(firsts).toHaveLength(10);
      expect(firsts.every(m => entry(m).live.sequence === 1)).toBe(true);
      expect(new Set(firsts.map(m => entry(m).trace_id)).size).toBe(10);
      const ids = new Set(sent.map(m => m.content.transient?.display_id));
      expect(ids.size).toBe(10);
      expect(logged.mock.calls.map(c => String(c[0])).join('\n')).toContain(
        'more than 10 traces in this cell'
      );
    } finally {
      logged.mockRestore();
    }
  }, 30000);

  it('with live: false follows nothing, and displays as before', async () => {
    // configure() takes `live` at once, before it connects (and fails here).
    await configure({ trackingUri: 'http://127.0.0.1:9', live: false }).catch(
      () => undefined
    );
    let traceId = '';
    const { sent } = await cell(async () => {
      await withSpan('quiet', async span => {
        traceId = span.traceId;
        expect(getLiveProcessor().size).toBe(0);
        await sleep(600);
      });
    });
    // As before live traces: displayed once the server has it, and here it
    // never does, which is said on stderr.
    expect(sent).toEqual([]);
    expect(
      errors.some(e => e.includes(`could not send trace ${traceId}`))
    ).toBe(true);
    expect(getLiveProcessor().size).toBe(0);
  }, 30000);
});
