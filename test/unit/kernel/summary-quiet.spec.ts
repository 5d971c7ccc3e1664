/**
 * summarize() resolves with its payload; tslab prints a cell's last value
 * with util.inspect, so the payload prints as one line (the summary is
 * displayed above it), while as data it stays exactly the payload.
 */
import { inspect } from 'util';
import * as fs from 'fs';
import * as path from 'path';
import { quietInNotebook } from '../../../src/kernel/summary';

const EXAMPLE = path.join(
  __dirname,
  '../../../contract/examples/trace-summary/three-hours.json'
);

describe('quietInNotebook', () => {
  it('prints one line and serializes as the payload it was', () => {
    const text = fs.readFileSync(EXAMPLE, 'utf8');
    const payload = quietInNotebook(JSON.parse(text));
    expect(JSON.parse(text).totals).toMatchObject({ traces: 5, errors: 1 });
    expect(inspect(payload)).toBe(
      '[trace summary: 5 traces, 1 error, computed by the tracking server]'
    );
    expect(JSON.parse(JSON.stringify(payload))).toEqual(JSON.parse(text));
    expect(Object.keys(payload)).toEqual(Object.keys(JSON.parse(text)));
  });

  it('names the search path', () => {
    const payload = JSON.parse(fs.readFileSync(EXAMPLE, 'utf8'));
    payload.source = 'search';
    payload.totals = { ...payload.totals, traces: 1, errors: 0 };
    expect(inspect(quietInNotebook(payload))).toBe(
      '[trace summary: 1 trace, 0 errors, computed by search]'
    );
  });
});
