/**
 * Shared set-up of the view tests: recorded real-server traces, and a jsdom
 * that reports a 400 px viewport so the virtualizer renders a real window.
 */
import fs from 'fs';
import path from 'path';
import { buildTrace, ISpanDict, ITrace } from '../../../src/trace';

const RECORDED = path.resolve(__dirname, '..', '..', 'fixtures', 'recorded');

/** A trace recorded from a real `mlflow server` (npm run record-fixtures). */
export function recordedTrace(label: string): ITrace {
  const info = JSON.parse(
    fs.readFileSync(path.join(RECORDED, `${label}.info.json`), 'utf8')
  );
  const data = JSON.parse(
    fs.readFileSync(path.join(RECORDED, `${label}.spans.json`), 'utf8')
  );
  return buildTrace(info.trace.trace_info, data.spans);
}

/** Give every element a 400 × 800 px box: jsdom does no layout. */
export function fakeLayout(): void {
  Object.defineProperty(HTMLElement.prototype, 'offsetHeight', {
    configurable: true,
    get: () => 400
  });
  Object.defineProperty(HTMLElement.prototype, 'offsetWidth', {
    configurable: true,
    get: () => 800
  });
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', {
    configurable: true,
    get: () => 800
  });
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', {
    configurable: true,
    get: () => 400
  });
}

/** A generated trace: one root with `count - 1` children spaced 1 ms apart. */
export function wideTrace(count: number): ITrace {
  const base = 1_700_000_000_000_000_000;
  const spans: ISpanDict[] = [
    {
      span_id: 'root',
      parent_span_id: null,
      name: 'root',
      start_time_unix_nano: base,
      end_time_unix_nano: base + count * 1e6
    }
  ];
  for (let i = 1; i < count; i++) {
    spans.push({
      span_id: `s${i}`,
      parent_span_id: 'root',
      name: `span ${i}`,
      start_time_unix_nano: base + i * 1e6,
      end_time_unix_nano: base + i * 1e6 + 5e5
    });
  }
  return buildTrace(undefined, spans);
}
