/**
 * TraceSearchResults.all() over a paging function: every token seen before
 * ends the walk with a typed error naming the cycle, never a loop or a
 * silently short list. Rows are trace infos recorded from a real server.
 */
import { PageTokenCycleError } from '../../../src/client';
import { TracePager, TraceSearchResults } from '../../../src/kernel/results';
import { loadRecorded } from '../recorded';

const infos = ['nested', 'chat', 'error'].map(
  label => loadRecorded(label).info
);

/** A pager over fixed pages keyed by token ('' for the first page). */
function pagerOver(pages: Record<string, { trace: number; next?: string }>) {
  const asked: string[] = [];
  const pager: TracePager = async token => {
    asked.push(token ?? '');
    if (asked.length > 50) {
      throw new Error('all() did not stop');
    }
    const page = pages[token ?? ''];
    return { traces: [infos[page.trace]], nextPageToken: page.next };
  };
  return { pager, asked };
}

function firstPage(pager: TracePager): TraceSearchResults {
  return TraceSearchResults.fromInfos([infos[0]], {
    query: { experimentIds: ['1'], orderBy: [] },
    trackingUri: 'http://127.0.0.1:5000',
    nextPageToken: 'A',
    pager
  });
}

describe('TraceSearchResults.all()', () => {
  it('fails with a typed error naming the cycle when tokens go A → B → A', async () => {
    const { pager, asked } = pagerOver({
      '': { trace: 0, next: 'A' },
      A: { trace: 1, next: 'B' },
      B: { trace: 2, next: 'A' }
    });
    const error = await firstPage(pager)
      .all()
      .catch(e => e);
    expect(error).toBeInstanceOf(PageTokenCycleError);
    expect(error.tokens).toEqual(['A', 'B', 'A']);
    expect(error.message).toContain('A → B → A');
    expect(error.serverUrl).toBe('http://127.0.0.1:5000');
    expect(asked).toEqual(['', 'A', 'B']);
  });

  it('fails on a token that repeats at once', async () => {
    const { pager } = pagerOver({
      '': { trace: 0, next: 'A' },
      A: { trace: 1, next: 'A' }
    });
    const error = await firstPage(pager)
      .all()
      .catch(e => e);
    expect(error).toBeInstanceOf(PageTokenCycleError);
    expect(error.tokens).toEqual(['A', 'A']);
  });

  it('collects a chain without a cycle, each trace once', async () => {
    const { pager } = pagerOver({
      '': { trace: 0, next: 'A' },
      A: { trace: 1, next: 'B' },
      B: { trace: 2 }
    });
    const all = await firstPage(pager).all();
    expect(all.map(row => row.traceId)).toEqual(infos.map(i => i.trace_id));
  });
});
