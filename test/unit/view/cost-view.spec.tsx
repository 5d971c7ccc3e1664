/**
 * @jest-environment jsdom
 *
 * Cost and model in the trace header, on the span rows, in the span details
 * and in the comparison; hostile model names stay text.
 */
import React from 'react';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { CompareView, TraceExplorer } from '../../../src/view';
import { buildTrace, ITrace, TRACE_COST_KEY } from '../../../src/trace';
import { makeInfo, makeSpan } from '../trace/factory';
import { fakeLayout } from './helpers';

beforeAll(fakeLayout);

const HOSTILE = '<img src=x onerror=alert(1)>';
const COST = { input_cost: 0.00015, output_cost: 0.0003, total_cost: 0.00045 };

function agent(
  llmCost: Record<string, number>,
  model: string,
  metadata: Record<string, string> = {}
): ITrace {
  const spans = [
    makeSpan({ id: 'root', name: 'agent', type: 'AGENT', endMs: 100 }),
    makeSpan({
      id: 'llm',
      parent: 'root',
      name: 'chat',
      type: 'CHAT_MODEL',
      startMs: 10,
      endMs: 60,
      attributes: {
        'mlflow.llm.cost': llmCost,
        'mlflow.llm.model': model,
        'mlflow.llm.provider': 'openai'
      }
    }),
    makeSpan({ id: 'tool', parent: 'root', name: 'lookup', type: 'TOOL' })
  ];
  return buildTrace(makeInfo({ trace_metadata: metadata }), spans);
}

function row(name: string): HTMLElement {
  return screen
    .getAllByRole('treeitem')
    .find(
      r => r.querySelector('.jp-MlflowTrace-spanName')!.textContent === name
    )!;
}

describe('the trace header', () => {
  it('shows the metadata cost, its parts in the tooltip, and the models', () => {
    render(
      <TraceExplorer
        trace={agent(COST, 'gpt-4o-mini', {
          [TRACE_COST_KEY]: JSON.stringify({
            input_cost: 0.001,
            output_cost: 0.0123,
            total_cost: 0.0133
          })
        })}
      />
    );
    const cost = document.querySelector('.jp-MlflowTrace-cost')!;
    expect(cost.textContent).toBe('$0.0133');
    expect(cost.getAttribute('title')).toBe(
      'Cost (USD): input $0.00100 · output $0.0123'
    );
    expect(document.querySelector('.jp-MlflowTrace-models')!.textContent).toBe(
      'gpt-4o-mini'
    );
  });

  it('sums the span costs when the metadata has none', () => {
    render(<TraceExplorer trace={agent(COST, 'gpt-4o-mini')} />);
    expect(document.querySelector('.jp-MlflowTrace-cost')!.textContent).toBe(
      '$0.000450'
    );
  });

  it('shows a note, and no cost, when the metadata cost is malformed', () => {
    render(
      <TraceExplorer
        trace={agent(COST, 'm', { [TRACE_COST_KEY]: '{"total_cost":' })}
      />
    );
    expect(document.querySelector('.jp-MlflowTrace-cost')).toBeNull();
    expect(screen.getByRole('note').textContent).toBe(
      'mlflow.trace.cost is not valid JSON, so its cost is not shown.'
    );
  });

  it('shows no cost and no models for a trace without them', () => {
    render(
      <TraceExplorer
        trace={buildTrace(makeInfo(), [makeSpan({ id: 'root' })])}
      />
    );
    expect(document.querySelector('.jp-MlflowTrace-cost')).toBeNull();
    expect(document.querySelector('.jp-MlflowTrace-models')).toBeNull();
  });
});

describe('span rows and details', () => {
  it('show model and cost on the LLM row only, and in its details', () => {
    render(<TraceExplorer trace={agent(COST, 'gpt-4o-mini')} />);
    const cell = row('chat').querySelector('.jp-MlflowTrace-spanLlm')!;
    expect(cell.textContent).toBe('gpt-4o-mini · $0.000450');
    expect(cell.getAttribute('title')).toBe(
      'model gpt-4o-mini\nprovider openai\ncost $0.000450\ninput $0.000150 · output $0.000300'
    );
    expect(row('lookup').querySelector('.jp-MlflowTrace-spanLlm')).toBeNull();
    fireEvent.click(row('chat'));
    const details = within(screen.getByLabelText('Span details'));
    expect(details.getByText('model gpt-4o-mini')).toBeTruthy();
    expect(details.getByText('provider openai')).toBeTruthy();
    expect(
      details.getByText('cost $0.000450 (input $0.000150 · output $0.000300)')
    ).toBeTruthy();
  });

  it('keep a hostile model name as text', () => {
    render(<TraceExplorer trace={agent(COST, HOSTILE)} />);
    expect(
      row('chat').querySelector('.jp-MlflowTrace-spanLlm')!.textContent
    ).toBe(`${HOSTILE} · $0.000450`);
    expect(document.querySelector('.jp-MlflowTrace-models')!.textContent).toBe(
      HOSTILE
    );
    expect(document.querySelector('img')).toBeNull();
  });

  it('mark an unreadable span cost and say why in the details', () => {
    const spans = [
      makeSpan({
        id: 'llm',
        name: 'chat',
        attributes: { 'mlflow.llm.model': 'm' }
      })
    ];
    (spans[0].attributes as Record<string, unknown>)['mlflow.llm.cost'] =
      JSON.stringify({ total_cost: 'free' });
    render(<TraceExplorer trace={buildTrace(makeInfo(), spans)} />);
    expect(
      row('chat').querySelector('.jp-MlflowTrace-spanLlm')!.textContent
    ).toBe('m · $?');
    fireEvent.click(row('chat'));
    expect(
      within(screen.getByLabelText('Span details')).getByRole('note')
        .textContent
    ).toBe('mlflow.llm.cost: total_cost is not a number.');
  });
});

describe('the comparison', () => {
  it('shows both costs, the total delta, the models and a per-span cost delta', () => {
    const left = agent(COST, 'gpt-4o-mini');
    const right = agent(
      { input_cost: 0.001, output_cost: 0.002, total_cost: 0.003 },
      'gpt-4o'
    );
    render(<CompareView left={left} right={right} />);
    expect(screen.getByLabelText('Total cost').textContent).toBe(
      'cost A $0.000450 · B $0.00300 (+$0.00255)'
    );
    expect(screen.getByLabelText('Models').textContent).toBe(
      'models A gpt-4o-mini · B gpt-4o'
    );
    expect(screen.getByRole('columnheader', { name: 'Δ cost' })).toBeTruthy();
    const chat = document.querySelector('[data-key="/chat"]')!;
    const cells = chat.querySelectorAll('[role=cell]');
    expect(cells[cells.length - 1].textContent).toBe('+$0.00255');
  });
});
