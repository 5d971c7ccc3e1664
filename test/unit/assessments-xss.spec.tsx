/**
 * @jest-environment jsdom
 *
 * The XSS corpus (test/fixtures/xss-payloads.json) through the assessments
 * pane: every payload as an assessment name, a feedback value, an
 * expectation value (plain and serialized JSON), a rationale, a source id,
 * a judge's error and stack trace, a note, an issue title, metadata, a tag
 * key and value and a pending write's label and error. The pane, all
 * histories and stack traces open and every form shown, must be the same
 * elements with the same attributes as with plain placeholder text in their
 * place, and inert.
 */
import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import { TraceExplorer } from '../../src/view';
import { fakeLayout } from './view/helpers';
import { PAYLOADS } from './security/hostile';
import { inertProblems } from './security/inert';
import { assessedTrace, recordingActions } from './assessments-helpers';

beforeAll(fakeLayout);

const marker = () => (window as unknown as { __xss?: number }).__xss;

afterEach(() => {
  expect(marker()).toBeUndefined();
});

/** Assessments and tags with `text(i)` everywhere content goes. */
function labels(text: (i: number) => string) {
  const assessments: unknown[] = [];
  const tags: Record<string, string> = {};
  PAYLOADS.forEach((_, i) => {
    const common = {
      trace_id: 'tr-x',
      source: { source_type: 'HUMAN', source_id: text(i) },
      rationale: text(i),
      metadata: { [text(i)]: text(i) },
      create_time: '2026-12-07T05:53:20.914Z',
      last_update_time: '2026-12-07T05:53:20.914Z'
    };
    assessments.push(
      {
        ...common,
        assessment_id: `a-f${i}`,
        assessment_name: text(i),
        feedback: { value: text(i) },
        valid: false
      },
      {
        ...common,
        assessment_id: `a-o${i}`,
        assessment_name: text(i),
        feedback: { value: text(i) },
        overrides: `a-f${i}`,
        valid: true
      },
      {
        ...common,
        assessment_id: `a-j${i}`,
        assessment_name: `judge ${text(i)}`,
        source: { source_type: 'LLM_JUDGE', source_id: text(i) },
        feedback: {
          value: null,
          error: {
            error_code: text(i),
            error_message: text(i),
            stack_trace: text(i)
          }
        }
      },
      {
        ...common,
        assessment_id: `a-e${i}`,
        assessment_name: `expected ${text(i)}`,
        expectation: {
          serialized_value: {
            serialization_format: 'JSON_FORMAT',
            value: JSON.stringify({ [text(i)]: [text(i)] })
          }
        }
      },
      {
        ...common,
        assessment_id: `a-n${i}`,
        assessment_name: 'mlflow.notes',
        feedback: { value: text(i) }
      },
      {
        ...common,
        assessment_id: `a-i${i}`,
        assessment_name: `issue ${text(i)}`,
        issue: { issue_name: text(i) }
      }
    );
    tags[`t${i} ${text(i)}`] = text(i);
  });
  const pending = PAYLOADS.map((_, i) => ({
    id: `w${i}`,
    traceId: 'tr-c33fdf03f4ba04f328ae3277ea09d40c',
    label: text(i),
    status: 'unsaved' as const,
    error: text(i)
  }));
  return { assessments, tags, pending };
}

/** Renders the pane with every disclosure and form open; returns it. */
function renderPane(text: (i: number) => string): HTMLElement {
  const { assessments, tags, pending } = labels(text);
  // The user is the first source, so the first assessments are one's own.
  const actions = recordingActions(text(0), pending);
  render(
    <TraceExplorer trace={assessedTrace(assessments, tags)} actions={actions} />
  );
  fireEvent.click(screen.getByRole('button', { name: /^Assessments \(/ }));
  const pane = screen.getByRole('complementary', { name: 'Assessments' });
  // By text, not by role: role queries over thousands of elements are slow.
  const buttons = (text: string) =>
    Array.from(pane.querySelectorAll('button')).filter(button =>
      button.textContent!.startsWith(text)
    );
  buttons('History').forEach(button => fireEvent.click(button));
  buttons('Stack trace').forEach(button => fireEvent.click(button));
  for (const label of ['Add feedback or', 'Edit', 'Override', 'Change']) {
    fireEvent.click(buttons(label)[0]);
  }
  return pane;
}

/** Element names and attribute names, in document order: the markup's shape. */
function shape(root: Element): string[] {
  return [root, ...Array.from(root.querySelectorAll('*'))].map(
    element =>
      `${element.tagName} ${Array.from(element.attributes)
        .map(attribute => attribute.name)
        .sort()
        .join(',')} ${element.getAttribute('class') ?? ''}`
  );
}

it('renders hostile assessments and tags as text: the same markup as plain text, inert', () => {
  const plain = shape(renderPane(i => `plain text ${i}`));
  document.body.innerHTML = '';
  const pane = renderPane(i => PAYLOADS[i].payload);
  expect(shape(pane)).toEqual(plain);
  expect(inertProblems(pane, ['input', 'textarea', 'form', 'select'])).toEqual(
    []
  );
  // Every payload is there, as text.
  for (const { payload } of PAYLOADS) {
    expect(pane.textContent).toContain(payload);
  }
});

it('keeps hostile content out of the header summary’s markup', () => {
  const { assessments } = labels(i => PAYLOADS[i].payload);
  render(<TraceExplorer trace={assessedTrace(assessments, {})} />);
  const summary = screen.getByLabelText('Assessments', { selector: 'div' });
  expect(summary.querySelectorAll('*')).toHaveLength(1);
  expect(inertProblems(summary)).toEqual([]);
});
