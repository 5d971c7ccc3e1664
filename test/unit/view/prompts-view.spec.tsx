/**
 * @jest-environment jsdom
 *
 * Linked prompts in the span details: name and version, a link into MLflow's
 * UI when the trace's page is known, hostile names as text.
 */
import React from 'react';
import { render, screen, within } from '@testing-library/react';
import { buildTrace, ISpanNode, ITrace } from '../../../src/trace';
import { LinkedPromptList } from '../../../src/view/LinkedPrompts';
import { SpanDetails } from '../../../src/view/SpanDetails';
import { PAYLOADS } from '../security/hostile';
import { makeSpan } from '../trace/factory';
import { logLevelPromptsTrace } from '../recorded';

const UI_URL =
  'http://127.0.0.1:5000/#/experiments/1/traces?selectedEvaluationId=tr-1';

function node(trace: ITrace, name: string): ISpanNode {
  return trace.nodesInOrder.find(n => n.span.name === name)!;
}

function promptsSection(): HTMLElement {
  const summary = screen.getByText(/^Prompts \(/);
  return summary.closest('details')!;
}

describe('linked prompts in the span details', () => {
  const trace = logLevelPromptsTrace();

  it('lists the prompt versions the span loaded, linked into MLflow', () => {
    render(<SpanDetails node={node(trace, 'llm')} uiUrl={UI_URL} />);
    const section = promptsSection();
    expect(within(section).getByText('Prompts (2)')).toBeTruthy();
    const links = within(section).getAllByRole('link');
    expect(links.map(a => [a.textContent, a.getAttribute('href')])).toEqual([
      [
        'qa-prompt v2',
        'http://127.0.0.1:5000/#/experiments/1/prompts/qa-prompt?promptVersion=2'
      ],
      [
        'summarize v1',
        'http://127.0.0.1:5000/#/experiments/1/prompts/summarize?promptVersion=1'
      ]
    ]);
    for (const link of links) {
      expect(link.getAttribute('target')).toBe('_blank');
      expect(link.getAttribute('rel')).toBe('noopener noreferrer');
    }
  });

  it("names them without links when MLflow's UI is not known", () => {
    render(<SpanDetails node={node(trace, 'llm')} />);
    const section = promptsSection();
    expect(within(section).queryAllByRole('link')).toEqual([]);
    expect(
      within(section)
        .getAllByRole('listitem')
        .map(li => li.textContent)
    ).toEqual(['qa-prompt v2', 'summarize v1']);
  });

  it('has no Prompts section for a span that loaded none', () => {
    render(<SpanDetails node={node(trace, 'retrieve')} uiUrl={UI_URL} />);
    expect(screen.queryByText(/^Prompts \(/)).toBeNull();
  });

  it('links nothing for a trace page that is not http(s)', () => {
    render(
      <SpanDetails
        node={node(trace, 'llm')}
        uiUrl="javascript:alert(1)//#/experiments/1/traces?x"
      />
    );
    expect(within(promptsSection()).queryAllByRole('link')).toEqual([]);
  });
});

describe('hostile linked prompts', () => {
  it('shows every payload as text, never as markup', () => {
    const prompts = PAYLOADS.map((p, index) => ({
      name: p.payload,
      version: `${index}"><img src=x>`
    }));
    const span = buildTrace(undefined, [
      makeSpan({
        id: 'a',
        attributes: { 'mlflow.linkedPrompts': prompts }
      })
    ]).nodesInOrder[0];
    const { container } = render(<SpanDetails node={span} uiUrl={UI_URL} />);
    const list = screen.getByRole('list', { name: 'Linked prompts' });
    expect(
      list.querySelectorAll('img, script, iframe, svg, style')
    ).toHaveLength(0);
    for (const link of within(list).queryAllByRole('link')) {
      expect(link.getAttribute('href')).toMatch(
        /^http:\/\/127\.0\.0\.1:5000\/#\/experiments\/1\/prompts\/[^#\s]+\?promptVersion=[^#\s&]+$/
      );
    }
    const shown = within(list)
      .getAllByRole('listitem')
      .map(li => li.textContent);
    const usable = PAYLOADS.map((p, index) => ({
      name: p.payload.trim(),
      version: `${index}"><img src=x>`
    })).filter(p => p.name !== '' && p.name.length <= 1000);
    expect(shown.slice(0, 3)).toEqual(
      usable.slice(0, 3).map(p => `${p.name} v${p.version}`)
    );
    expect(
      container.querySelector('.jp-MlflowTrace-details script')
    ).toBeNull();
  });

  it('lists at most 50 and counts the rest', () => {
    const prompts = Array.from({ length: 1234 }, (_, i) => ({
      name: `p${i}`,
      version: '1'
    }));
    render(<LinkedPromptList prompts={prompts} />);
    const items = screen.getAllByRole('listitem');
    expect(items).toHaveLength(51);
    expect(items[49].textContent).toBe('p49 v1');
    expect(items[50].textContent).toBe('and 1,184 more');
  });
});
