/**
 * Live auto-display through a stand-in for tslab's kernel module (a
 * `tslab/dist/jupyter.js` whose writer records each display message): the
 * output appears at the root's start and is updated in order, a heartbeat
 * apart at most; the last update has no `live`; an exception escaping the
 * root with a span open, or a cell that fails with its trace running,
 * leaves it interrupted; the snapshot stays in its byte bound; with
 * `live: false` nothing is followed. No tracking server answers (port 9),
 * so the final update is the trace as this kernel recorded it.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import {
  LIVE_MAX_SNAPSHOT_BYTES,
  LIVE_MIN_INTERVAL_MS,
  TRACE_MIME_TYPE
} from '../../../src/bundle';
import { installAutoDisplay } from '../../../src/kernel/autodisplay';
import { configure, getLiveProcessor } from '../../../src/kernel/session';
import { withSpan } from '../../../src/kernel/tracing';

interface IMessage {
  update: boolean;
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
    messages.push({ update, content: JSON.parse(JSON.stringify(content)) });
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

  it('gives each trace of a cell its own live output, within the cap', async () => {
    const logged = jest
      .spyOn(console, 'log')
      .mockImplementation(() => undefined);
    try {
      const { sent } = await cell(async () => {
        // Twelve concurrent traces: the cap (10) counts them as they start.
        await Promise.all(
          Array.from({ length: 12 }, (_, i) =>
            withSpan(`t-${i}`, async () => sleep(400))
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
