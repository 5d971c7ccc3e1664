/**
 * @jest-environment jsdom
 *
 * Span log levels in the view: the level in the span details, a row's level
 * badge and the toolbar's level filter, on a trace written by MLflow's SDK
 * (test/fixtures/write_loglevel_prompts.py) and on odd recorded values.
 */
import React from 'react';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { buildTrace, ISpanNode, ITrace } from '../../../src/trace';
import {
  LogLevelBadge,
  LogLevelFilter
} from '../../../src/view/LogLevelFilter';
import { SpanDetails } from '../../../src/view/SpanDetails';
import { makeSpan } from '../trace/factory';
import { logLevelPromptsTrace } from '../recorded';

function node(trace: ITrace, name: string): ISpanNode {
  return trace.nodesInOrder.find(n => n.span.name === name)!;
}

function levelFact(container: HTMLElement): HTMLElement {
  const fact = Array.from(
    container.querySelectorAll<HTMLElement>('.jp-MlflowTrace-fact')
  ).find(el => el.textContent!.startsWith('level '));
  if (!fact) {
    throw new Error('no level fact');
  }
  return fact;
}

function oneSpan(attributes: Record<string, unknown>, type = 'TOOL') {
  return buildTrace(undefined, [makeSpan({ id: 'a', type, attributes })])
    .nodesInOrder[0];
}

describe('the level in the span details', () => {
  const trace = logLevelPromptsTrace();

  it.each([
    ['warn-step', 'level WARNING', 'jp-MlflowTrace-level-WARNING'],
    ['crit-step', 'level CRITICAL', 'jp-MlflowTrace-level-CRITICAL'],
    ['boom', 'level ERROR', 'jp-MlflowTrace-level-ERROR'],
    ['retrieve', 'level INFO', 'jp-MlflowTrace-level-INFO'],
    ['glue', 'level DEBUG', 'jp-MlflowTrace-level-DEBUG']
  ])('%s says %j', (name, text, cls) => {
    const { container } = render(<SpanDetails node={node(trace, name)} />);
    const fact = levelFact(container);
    expect(fact.textContent).toBe(text);
    expect(fact.classList.contains(cls)).toBe(true);
    expect(fact.title).toBe('mlflow.spanLogLevel');
  });

  it('says "by type" for a span that records no level', () => {
    const { container } = render(<SpanDetails node={oneSpan({})} />);
    expect(levelFact(container).textContent).toBe('level INFO (by type)');
    expect(levelFact(container).title).toMatch(/default for the span type/);
  });

  it('shows a number MLflow does not name beside the level at or below it', () => {
    const { container } = render(
      <SpanDetails node={oneSpan({ 'mlflow.spanLogLevel': 25 })} />
    );
    expect(levelFact(container).textContent).toBe('level INFO (25)');
  });

  it('shows a hostile recorded level as the default, as text', () => {
    const { container } = render(
      <SpanDetails
        node={oneSpan({
          'mlflow.spanLogLevel': '<img src=x onerror=alert(1)>'
        })}
      />
    );
    expect(levelFact(container).textContent).toBe('level INFO (by type)');
    expect(container.querySelector('img')).toBeNull();
    // The recorded value is still listed among the attributes, as text
    expect(container.textContent).toContain('<img src=x onerror=alert(1)>');
  });
});

describe('LogLevelBadge', () => {
  const trace = logLevelPromptsTrace();

  it.each([
    ['glue', 'D', 'log level DEBUG'],
    ['retrieve', 'I', 'log level INFO'],
    ['warn-step', 'W', 'log level WARNING'],
    ['boom', 'E', 'log level ERROR'],
    ['crit-step', 'C', 'log level CRITICAL']
  ])('%s: %s, named %j', (name, letter, label) => {
    render(<LogLevelBadge span={node(trace, name).span} />);
    const badge = screen.getByRole('img', { name: label });
    expect(badge.textContent).toBe(letter);
    expect(badge.title).toBe(label);
    expect(badge.className).toBe(
      `jp-MlflowTrace-levelBadge jp-MlflowTrace-level-${label.split(' ')[2]}`
    );
  });

  it('names the default level "by type"', () => {
    render(<LogLevelBadge span={oneSpan({}, 'CHAIN').span} />);
    expect(screen.getByRole('img').getAttribute('aria-label')).toBe(
      'log level DEBUG (by type)'
    );
  });
});

describe('LogLevelFilter', () => {
  it("offers MLflow's levels, All levels first", () => {
    render(<LogLevelFilter minLevel={0} onChange={() => undefined} />);
    const select = screen.getByRole('combobox', { name: 'Minimum log level' });
    expect(
      within(select)
        .getAllByRole('option')
        .map(option => option.textContent)
    ).toEqual([
      'All levels',
      'INFO and above',
      'WARNING and above',
      'ERROR and above',
      'CRITICAL only'
    ]);
    expect((select as HTMLSelectElement).value).toBe('0');
  });

  it('reports the chosen minimum level as a number', () => {
    const onChange = jest.fn();
    render(<LogLevelFilter minLevel={0} onChange={onChange} />);
    fireEvent.change(screen.getByRole('combobox'), {
      target: { value: '30' }
    });
    expect(onChange).toHaveBeenCalledWith(30);
  });

  it('shows the chosen level, and how many spans it hides', () => {
    render(
      <LogLevelFilter minLevel={20} onChange={() => undefined} hidden={1234} />
    );
    expect((screen.getByRole('combobox') as HTMLSelectElement).value).toBe(
      '20'
    );
    expect(screen.getByText(/hidden$/).textContent).toBe('1,234 hidden');
  });

  it('says nothing when it hides nothing', () => {
    const { container } = render(
      <LogLevelFilter minLevel={20} onChange={() => undefined} hidden={0} />
    );
    expect(container.querySelector('.jp-MlflowTrace-levelHidden')).toBeNull();
  });

  it('shows All levels for a level it does not offer', () => {
    render(<LogLevelFilter minLevel={NaN} onChange={() => undefined} />);
    expect((screen.getByRole('combobox') as HTMLSelectElement).value).toBe('0');
  });
});
