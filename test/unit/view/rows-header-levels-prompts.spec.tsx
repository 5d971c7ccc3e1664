/**
 * @jest-environment jsdom
 *
 * The log level on each row and the trace's linked prompts in the header,
 * on a trace written by MLflow's SDK (test/fixtures/loglevel-prompts.trace.json).
 */
import React from 'react';
import { render, screen, within } from '@testing-library/react';
import { summarizeTrace } from '../../../src/trace';
import { SpanRows } from '../../../src/view/SpanRows';
import { TraceHeader } from '../../../src/view/TraceHeader';
import { fullWindow } from '../../../src/view/timeline';
import { fakeLayout } from './helpers';
import { logLevelPromptsTrace } from '../recorded';

beforeAll(fakeLayout);

const UI_URL =
  'http://127.0.0.1:5000/#/experiments/1/traces?selectedEvaluationId=tr-1';
const noop = () => undefined;

describe('the log level on rows', () => {
  it('names each span its level, as MLflow recorded it', () => {
    const trace = logLevelPromptsTrace();
    render(
      <SpanRows
        rows={trace.nodesInOrder}
        collapsed={new Set()}
        failedBelow={new Set()}
        selectedId={undefined}
        activeIndex={0}
        matches={new Set()}
        currentMatchId={undefined}
        scrollRequest={0}
        window={fullWindow(100)}
        totalMs={100}
        onZoom={noop}
        onToggle={noop}
        onSelectRow={noop}
        onKeyDown={noop}
      />
    );
    const levels = screen
      .getAllByRole('treeitem')
      .map(row => [
        row.querySelector('.jp-MlflowTrace-spanName')!.textContent,
        row
          .querySelector('.jp-MlflowTrace-levelBadge')!
          .getAttribute('aria-label')
      ]);
    expect(levels).toEqual([
      ['pipeline', 'log level DEBUG'],
      ['retrieve', 'log level INFO'],
      ['glue', 'log level DEBUG'],
      ['warn-step', 'log level WARNING'],
      ['crit-step', 'log level CRITICAL'],
      ['boom', 'log level ERROR'],
      ['llm', 'log level INFO']
    ]);
  });
});

describe("the trace's linked prompts in the header", () => {
  it('lists them, linked into MLflow, and not again among the tags', () => {
    const trace = logLevelPromptsTrace();
    render(
      <TraceHeader
        summary={summarizeTrace(trace)}
        tags={trace.info!.tags!}
        uiUrl={UI_URL}
      />
    );
    const list = screen.getByRole('list', { name: 'Linked prompts' });
    expect(
      within(list)
        .getAllByRole('link')
        .map(a => [a.textContent, a.getAttribute('href')])
    ).toEqual([
      [
        'qa-prompt v2',
        'http://127.0.0.1:5000/#/experiments/1/prompts/qa-prompt?promptVersion=2'
      ],
      [
        'summarize v1',
        'http://127.0.0.1:5000/#/experiments/1/prompts/summarize?promptVersion=1'
      ]
    ]);
    expect(screen.queryByLabelText('Tags')).toBeNull();
  });

  it('prints them as text without a server, and nothing without prompts', () => {
    const trace = logLevelPromptsTrace();
    const { unmount } = render(
      <TraceHeader summary={summarizeTrace(trace)} tags={trace.info!.tags!} />
    );
    const list = screen.getByRole('list', { name: 'Linked prompts' });
    expect(within(list).queryByRole('link')).toBeNull();
    expect(list.textContent).toBe('qa-prompt v2summarize v1');
    unmount();
    render(<TraceHeader summary={summarizeTrace(trace)} tags={{}} />);
    expect(screen.queryByRole('list', { name: 'Linked prompts' })).toBeNull();
  });
});
