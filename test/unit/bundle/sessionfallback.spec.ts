/**
 * The session fallbacks beyond the goldens: turns in request-time order
 * whatever the order given, each turn's cost as the list reads it, error
 * rows kept as the decoder's errors, and the cap on turns written.
 */
import fs from 'fs';
import path from 'path';
import { renderTraceListHtml, renderTraceListText } from '../../../src/bundle';

const EXAMPLE = path.resolve(
  __dirname,
  '../../../contract/examples/trace-list/session.json'
);
const bundle = () => JSON.parse(fs.readFileSync(EXAMPLE, 'utf8'));
const ids = (text: string) =>
  text
    .split('\n')
    .filter(line => line.startsWith('Turn '))
    .map(line => line.split(' ')[2]);

describe('the session fallbacks', () => {
  it('write the turns in request-time order, whatever the order given', () => {
    const data = bundle();
    const inOrder = data.traces.map((t: { trace_id: string }) => t.trace_id);
    data.traces.reverse();
    expect(ids(renderTraceListText(data))).toEqual(inOrder);
  });

  it("write each turn's cost, or why it cannot be read", () => {
    const data = bundle();
    data.traces[0].trace_metadata['mlflow.trace.cost'] = JSON.stringify({
      total_cost: 0.0123
    });
    data.traces[1].trace_metadata['mlflow.trace.cost'] = 'not json';
    const lines = renderTraceListText(data).split('\n');
    expect(lines[1]).toMatch(/ · OK · 1\.2 s · \$0\.0123$/);
    expect(lines[4]).toContain('mlflow.trace.cost is not valid JSON');
  });

  it('keep a row that is no trace as an error, not a turn', () => {
    const data = bundle();
    data.traces.push('not a row');
    const text = renderTraceListText(data);
    expect(ids(text)).toHaveLength(4);
    expect(text).toContain('Trace #5: traces[4] is not an object');
    expect(renderTraceListHtml(data)).toContain('traces[4] is not an object');
  });

  it('write at most maxRows turns, and count the rest', () => {
    const html = renderTraceListHtml(bundle(), { maxRows: 3 });
    expect(html.match(/<strong>Turn \d+<\/strong>/g)).toHaveLength(3);
    expect(html).toContain('… 1 more turn');
  });
});
