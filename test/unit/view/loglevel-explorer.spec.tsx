/**
 * @jest-environment jsdom
 *
 * The level filter in the explorer, on a trace written by MLflow's SDK
 * (test/fixtures/write_loglevel_prompts.py): it hides rows below the level,
 * keeps their parents and failed spans, says how many it hides, and shows
 * them all again; each row names its level.
 */
import React from 'react';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { TraceExplorer } from '../../../src/view';
import { fakeLayout } from './helpers';
import { logLevelPromptsTrace } from '../recorded';

beforeAll(fakeLayout);

function rowNames(): string[] {
  return screen
    .getAllByRole('treeitem')
    .map(row => row.querySelector('.jp-MlflowTrace-spanName')!.textContent!);
}

function chooseLevel(label: string): void {
  const select = screen.getByRole('combobox', {
    name: 'Minimum log level'
  }) as HTMLSelectElement;
  const option = Array.from(select.options).find(o => o.text === label);
  if (!option) {
    throw new Error(`no option ${label}`);
  }
  fireEvent.change(select, { target: { value: option.value } });
}

describe('the level filter in the explorer', () => {
  it('hides rows below the level, keeps parents and failures, and shows all again', () => {
    const { container } = render(
      <TraceExplorer trace={logLevelPromptsTrace()} />
    );
    const all = [
      'pipeline',
      'retrieve',
      'glue',
      'warn-step',
      'crit-step',
      'boom',
      'llm'
    ];
    expect(rowNames()).toEqual(all);
    expect(container.querySelector('.jp-MlflowTrace-levelHidden')).toBeNull();

    chooseLevel('INFO and above');
    expect(rowNames()).toEqual(all.filter(name => name !== 'glue'));
    expect(
      container.querySelector('.jp-MlflowTrace-levelHidden')!.textContent
    ).toBe('1 hidden');

    chooseLevel('WARNING and above');
    expect(rowNames()).toEqual(['pipeline', 'warn-step', 'crit-step', 'boom']);
    expect(
      container.querySelector('.jp-MlflowTrace-levelHidden')!.textContent
    ).toBe('3 hidden');

    chooseLevel('CRITICAL only');
    // boom failed: failed spans always stay, as in MLflow's UI
    expect(rowNames()).toEqual(['pipeline', 'crit-step', 'boom']);

    chooseLevel('All levels');
    expect(rowNames()).toEqual(all);
    expect(container.querySelector('.jp-MlflowTrace-levelHidden')).toBeNull();
  });

  it('walks only the rows it keeps with the keyboard', () => {
    render(<TraceExplorer trace={logLevelPromptsTrace()} />);
    chooseLevel('WARNING and above');
    const tree = screen.getByRole('tree');
    // From the first row two steps down: the third row kept (unfiltered, the hidden glue)
    fireEvent.keyDown(tree, { key: 'ArrowDown' });
    fireEvent.keyDown(tree, { key: 'ArrowDown' });
    fireEvent.keyDown(tree, { key: 'Enter' });
    expect(
      within(screen.getByLabelText('Span details')).getByRole('heading')
        .textContent
    ).toBe('crit-step');
  });

  it("names each row's level in its badge", () => {
    render(<TraceExplorer trace={logLevelPromptsTrace()} />);
    const labels = screen
      .getAllByRole('treeitem')
      .map(row =>
        row
          .querySelector('.jp-MlflowTrace-levelBadge')!
          .getAttribute('aria-label')!
      );
    expect(labels).toEqual([
      'log level DEBUG',
      'log level INFO',
      'log level DEBUG',
      'log level WARNING',
      'log level CRITICAL',
      'log level ERROR',
      'log level INFO'
    ]);
  });
});
