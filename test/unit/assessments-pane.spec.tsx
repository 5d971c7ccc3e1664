/**
 * @jest-environment jsdom
 *
 * The assessments pane in the explorer, read-only, on the recorded server
 * answer: the toggle and its count, the header's summary, trace and span
 * sections, feedback grouped by name then value, expectations, issues,
 * failed judges, history, the tree's marks, warnings and tags.
 */
import React from 'react';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { TraceExplorer } from '../../src/view';
import { fakeLayout } from './view/helpers';
import { assessedTrace, recordingActions } from './assessments-helpers';

beforeAll(fakeLayout);

function openPane(): HTMLElement {
  fireEvent.click(screen.getByRole('button', { name: 'Assessments (11)' }));
  return screen.getByRole('complementary', { name: 'Assessments' });
}

function row(name: string): HTMLElement {
  return screen
    .getAllByRole('treeitem')
    .find(
      r => r.querySelector('.jp-MlflowTrace-spanName')!.textContent === name
    )!;
}

describe('the assessments pane', () => {
  it('is closed at first; the toolbar toggle counts current assessments and opens and closes it', () => {
    render(<TraceExplorer trace={assessedTrace()} />);
    expect(
      screen.queryByRole('complementary', { name: 'Assessments' })
    ).toBeNull();
    const toggle = screen.getByRole('button', { name: 'Assessments (11)' });
    expect(toggle.getAttribute('aria-pressed')).toBe('false');
    fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-pressed')).toBe('true');
    expect(
      screen.getByRole('complementary', { name: 'Assessments' })
    ).toBeTruthy();
    fireEvent.click(toggle);
    expect(
      screen.queryByRole('complementary', { name: 'Assessments' })
    ).toBeNull();
  });

  it('follows an open state its host holds (a review keeps it from trace to trace)', () => {
    const onChange = jest.fn();
    const { rerender } = render(
      <TraceExplorer
        trace={assessedTrace()}
        paneOpen={{ open: true, onChange }}
      />
    );
    expect(
      screen.getByRole('complementary', { name: 'Assessments' })
    ).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Assessments (11)' }));
    expect(onChange).toHaveBeenCalledWith(false);
    expect(
      screen.getByRole('complementary', { name: 'Assessments' })
    ).toBeTruthy();
    rerender(
      <TraceExplorer
        trace={assessedTrace()}
        paneOpen={{ open: false, onChange }}
      />
    );
    expect(
      screen.queryByRole('complementary', { name: 'Assessments' })
    ).toBeNull();
  });

  it('opens from the header summary, which names the first ones and how many more', () => {
    render(<TraceExplorer trace={assessedTrace()} />);
    const summary = within(
      screen.getByLabelText('Assessments', { selector: 'div' })
    ).getByRole('button');
    expect(summary.textContent).toBe(
      '11 assessments: score: 0.75 · tone: polite · judge_fail: Judge failed: RATE_LIMIT: 4… · +8 more'
    );
    fireEvent.click(summary);
    expect(
      screen.getByRole('complementary', { name: 'Assessments' })
    ).toBeTruthy();
  });

  it('groups the trace feedback by name then value, with sources in words, times and rationales', () => {
    render(<TraceExplorer trace={assessedTrace()} />);
    const trace = within(openPane()).getByRole('region', { name: 'Trace' });
    expect(within(trace).getByRole('heading', { level: 4 }).textContent).toBe(
      'Trace (10)'
    );
    const groups = Array.from(
      trace.querySelectorAll('.jp-MlflowTrace-assessmentGroup')
    );
    expect(groups.map(g => g.firstElementChild!.textContent)).toEqual([
      'tone (1)',
      'judge_fail (1)',
      'dict_fb (1)',
      'list_fb (1)',
      'correct (1)'
    ]);
    const correct = groups[4] as HTMLElement;
    expect(correct.textContent).toContain('true ×1');
    expect(correct.textContent).toContain(
      'human · carol · 2026-12-07 05:53:21.831 UTC'
    );
    expect(correct.textContent).toContain('right after all');
    expect(groups[0].textContent).toContain('code · my_scorer');
    expect(groups[2].textContent).toContain('{"a":[1,2]}');
  });

  it('shows a failed judge as such, with its error', () => {
    render(<TraceExplorer trace={assessedTrace()} />);
    const pane = openPane();
    const failed = within(pane)
      .getByText('Judge failed')
      .closest('.jp-MlflowTrace-assessmentGroup')!;
    expect(failed.textContent).toContain(
      'Judge failed: RATE_LIMIT: 429 too many'
    );
    expect(failed.textContent).toContain('LLM judge · gpt-4o');
  });

  it('lists expectations with their values and issues with their titles', () => {
    render(<TraceExplorer trace={assessedTrace()} />);
    const trace = within(openPane()).getByRole('region', { name: 'Trace' });
    const text = trace.textContent!;
    expect(text).toContain('Expectations');
    expect(text).toContain('expected_response: Paris');
    expect(text).toContain('expected_facts: ["a","b"]');
    expect(text).toContain('expected_obj: {"k":1,"n":null}');
    expect(text).toContain('m: v');
    expect(text).toContain('expected_num: 3');
    expect(text).toContain('Issues');
    expect(text).toContain('iss-123 · Hallucinated city');
    expect(text).toContain('mentions Lyon');
  });

  it('hides superseded assessments behind the history of the one that superseded them', () => {
    render(<TraceExplorer trace={assessedTrace()} />);
    const pane = openPane();
    expect(pane.textContent).not.toContain('actually wrong');
    const history = within(pane).getByRole('button', { name: 'History (2)' });
    expect(history.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(history);
    expect(history.getAttribute('aria-expanded')).toBe('true');
    const list = within(pane).getByRole('list', { name: 'History of correct' });
    const items = within(list).getAllByRole('listitem');
    expect(items.map(item => item.textContent)).toEqual([
      'correct: falsehuman · bob · 2026-12-07 05:53:21.707 UTC · supersededactually wrong',
      'correct: truehuman · alice · 2026-12-07 05:53:20.914 UTC · supersededlooks right'
    ]);
  });

  it('marks the spans that have assessments in the tree, and shows the selected span’s', () => {
    render(<TraceExplorer trace={assessedTrace()} />);
    expect(
      within(row('child')).getByRole('img', { name: 'has assessments' })
    ).toBeTruthy();
    expect(
      within(row('root')).queryByRole('img', { name: 'has assessments' })
    ).toBeNull();
    const pane = openPane();
    expect(
      within(pane).getByRole('region', { name: 'Span root' }).textContent
    ).toContain('None.');
    fireEvent.click(row('child'));
    const span = within(pane).getByRole('region', { name: 'Span child' });
    expect(span.textContent).toContain('score (1)');
    expect(span.textContent).toContain('0.75 ×1');
    expect(span.textContent).toContain('LLM judge · gpt-4o');
    expect(span.textContent).toContain('partly');
  });

  it('lists the spans with assessments, and selects one from there', () => {
    render(<TraceExplorer trace={assessedTrace()} />);
    const pane = openPane();
    const spans = within(pane).getByRole('region', {
      name: 'Spans with assessments'
    });
    fireEvent.click(within(spans).getByRole('button', { name: 'child (1)' }));
    expect(row('child').getAttribute('aria-selected')).toBe('true');
    expect(
      within(pane).getByRole('region', { name: 'Span child' })
    ).toBeTruthy();
  });

  it('shows assessments on spans the trace does not hold, and says which', () => {
    const trace = assessedTrace([
      {
        assessment_id: 'a-1',
        assessment_name: 'lost',
        span_id: 'ffffffffffffffff',
        feedback: { value: 1 }
      }
    ]);
    render(<TraceExplorer trace={trace} />);
    fireEvent.click(screen.getByRole('button', { name: 'Assessments (1)' }));
    const section = screen.getByRole('region', {
      name: 'Span ffffffffffffffff (not in this trace)'
    });
    expect(section.textContent).toContain('lost (1)');
  });

  it('shows what could not be read as warnings, and the rest', () => {
    render(
      <TraceExplorer
        trace={assessedTrace([
          7,
          { assessment_name: 'ok', feedback: { value: 'fine' } }
        ])}
      />
    );
    fireEvent.click(screen.getByRole('button', { name: 'Assessments (1)' }));
    const pane = screen.getByRole('complementary', { name: 'Assessments' });
    expect(
      within(pane)
        .getAllByRole('note')
        .map(n => n.textContent)
    ).toContain('Assessment 1 is not an object: not shown.');
    expect(pane.textContent).toContain('fine ×1');
  });

  it('shows the user tags, not MLflow’s own', () => {
    render(<TraceExplorer trace={assessedTrace()} />);
    const tags = within(openPane()).getByRole('region', { name: 'Tags' });
    expect(tags.textContent).toBe('Tags (1)topic: weather');
  });

  it('writes nothing without actions: no form, no write button', () => {
    render(<TraceExplorer trace={assessedTrace()} />);
    const pane = openPane();
    expect(within(pane).queryByRole('form')).toBeNull();
    const labels = within(pane)
      .getAllByRole('button')
      .map(b => b.textContent);
    expect(
      labels.filter(l => /Edit|Delete|Override|Add|Change|Remove/.test(l!))
    ).toEqual([]);
  });

  it('is read-only with the host’s reason when it cannot write', () => {
    const actions = recordingActions(
      'alice',
      [],
      'no MLflow server is configured'
    );
    render(<TraceExplorer trace={assessedTrace()} actions={actions} />);
    const pane = openPane();
    expect(
      within(pane).getByText('Read-only: no MLflow server is configured')
    ).toBeTruthy();
    expect(within(pane).queryByRole('form')).toBeNull();
    expect(
      within(pane).queryByRole('button', {
        name: /^(Edit|Override|Remove tag)/
      })
    ).toBeNull();
  });
});
