/**
 * @jest-environment jsdom
 *
 * What the pane shows and does as MLflow's UI pane does: who gave each
 * value (source counts), a failed judge's stack trace on demand, reviewers'
 * notes (`mlflow.notes`, one's own written in a box), and "+" on a feedback
 * name to add one more of it.
 */
import { fireEvent, screen, within } from '@testing-library/react';
import { fakeLayout } from './view/helpers';
import { RECORDED_ASSESSMENTS } from './assessments-fixtures';
import {
  CHILD_ID,
  fieldValue,
  openAssessments,
  recordingActions,
  TRACE_ID
} from './assessments-helpers';

beforeAll(fakeLayout);

const NOTES = [
  {
    assessment_id: 'a-n1',
    assessment_name: 'mlflow.notes',
    source: { source_type: 'HUMAN', source_id: 'bob' },
    create_time: '2026-12-07T06:00:00.000Z',
    feedback: { value: 'Lyon is wrong;\nask for sources' },
    valid: true
  },
  {
    assessment_id: 'a-n2',
    assessment_name: 'mlflow.notes',
    source: { source_type: 'HUMAN', source_id: 'carol' },
    create_time: '2026-12-07T06:01:00.000Z',
    feedback: { value: 'fine by me' },
    valid: true
  }
];

function open(user?: string, extra: unknown[] = []) {
  const actions = user === undefined ? undefined : recordingActions(user);
  const { pane } = openAssessments(actions, [
    ...RECORDED_ASSESSMENTS,
    ...extra
  ]);
  return { actions, pane };
}

it('says who gave each value, by source type', () => {
  const { pane } = open(undefined, [
    {
      assessment_id: 'a-t2',
      assessment_name: 'tone',
      source: { source_type: 'HUMAN', source_id: 'bob' },
      feedback: { value: 'polite' }
    }
  ]);
  const tone = within(pane).getByText('polite').parentElement!;
  expect(tone.textContent).toBe('polite ×2 (1 code, 1 human)');
});

it('shows a failed judge’s stack trace on demand', () => {
  const { pane } = open();
  const toggle = within(pane).getByRole('button', { name: 'Stack trace' });
  expect(pane.textContent).not.toContain('Traceback...');
  expect(toggle.getAttribute('aria-expanded')).toBe('false');
  fireEvent.click(toggle);
  expect(toggle.getAttribute('aria-expanded')).toBe('true');
  expect(pane.querySelector('pre')!.textContent).toBe('Traceback...');
});

describe('notes', () => {
  it('lists reviewers’ notes apart from feedback, read-only without actions', () => {
    const { pane } = open(undefined, NOTES);
    const trace = within(pane).getByRole('region', { name: 'Trace' });
    expect(trace.textContent).not.toContain('mlflow.notes');
    const notes = within(pane).getByRole('region', { name: 'Notes' });
    expect(
      within(notes)
        .getAllByRole('listitem')
        .map(li => li.textContent)
    ).toEqual([
      'Lyon is wrong;\nask for sources' + 'human · bob · 2026-12-07 06:00 UTC',
      'fine by me' + 'human · carol · 2026-12-07 06:01 UTC'
    ]);
    expect(within(notes).queryByRole('form')).toBeNull();
  });

  it('edits one’s own note', () => {
    const { pane, actions } = open('bob', NOTES);
    const form = within(pane).getByRole('form', { name: 'Your notes' });
    const box = within(form).getByLabelText(
      'Your notes'
    ) as HTMLTextAreaElement;
    expect(box.value).toBe('Lyon is wrong;\nask for sources');
    const save = within(form).getByRole('button', { name: 'Save notes' });
    expect((save as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(box, { target: { value: 'Lyon is wrong' } });
    fireEvent.click(save);
    expect(actions!.calls).toEqual([
      ['edit', TRACE_ID, 'a-n1', { value: 'Lyon is wrong' }]
    ]);
  });

  it('writes a first note as feedback named mlflow.notes', () => {
    const { pane, actions } = open('dave', NOTES);
    const form = within(pane).getByRole('form', { name: 'Your notes' });
    fireEvent.change(within(form).getByLabelText('Your notes'), {
      target: { value: 'checked' }
    });
    fireEvent.submit(form);
    expect(actions!.calls).toEqual([
      ['addFeedback', TRACE_ID, { name: 'mlflow.notes', value: 'checked' }]
    ]);
  });
});

describe('"+" on a feedback name', () => {
  it('starts the add form on that name, typed as its values, value focused', () => {
    const { pane, actions } = open('dave');
    fireEvent.click(
      within(pane).getByRole('button', { name: 'Add feedback correct' })
    );
    const form = within(pane).getByRole('form', { name: 'Add an assessment' });
    expect(fieldValue(form, 'Name')).toBe('correct');
    expect(fieldValue(form, 'Type')).toBe('boolean');
    expect(document.activeElement).toBe(within(form).getByLabelText('Value'));
    fireEvent.submit(form);
    expect(actions!.calls).toEqual([
      [
        'addFeedback',
        TRACE_ID,
        {
          name: 'correct',
          value: true,
          rationale: undefined,
          spanId: undefined
        }
      ]
    ]);
  });

  it('on a span’s feedback, targets that span', () => {
    const { pane, actions } = open('dave');
    fireEvent.click(
      screen
        .getAllByRole('treeitem')
        .find(r => r.getAttribute('data-span-id') === CHILD_ID)!
    );
    fireEvent.click(
      within(pane).getByRole('button', { name: 'Add feedback score' })
    );
    const form = within(pane).getByRole('form', { name: 'Add an assessment' });
    expect(fieldValue(form, 'On')).toBe('span');
    expect(fieldValue(form, 'Type')).toBe('number');
    fireEvent.change(within(form).getByLabelText('Value'), {
      target: { value: '1' }
    });
    fireEvent.submit(form);
    expect(actions!.calls).toEqual([
      [
        'addFeedback',
        TRACE_ID,
        { name: 'score', value: 1, rationale: undefined, spanId: CHILD_ID }
      ]
    ]);
  });

  it('is not offered read-only', () => {
    const { pane } = open();
    expect(
      within(pane).queryByRole('button', { name: /^Add feedback / })
    ).toBeNull();
  });
});

it('suggests the names the trace already has, of the kind being added', () => {
  const { pane } = open('dave', NOTES);
  fireEvent.click(
    within(pane).getByRole('button', { name: 'Add feedback or expectation' })
  );
  const form = within(pane).getByRole('form', { name: 'Add an assessment' });
  const name = within(form).getByLabelText('Name');
  const suggestions = () =>
    Array.from(
      document
        .getElementById(name.getAttribute('list')!)!
        .querySelectorAll('option')
    ).map(option => option.value);
  expect(suggestions()).toEqual([
    'correct',
    'score',
    'tone',
    'judge_fail',
    'dict_fb',
    'list_fb'
  ]);
  fireEvent.change(within(form).getByLabelText('Add'), {
    target: { value: 'expectation' }
  });
  expect(suggestions()).toEqual([
    'expected_response',
    'expected_facts',
    'expected_obj',
    'expected_num'
  ]);
});

it('clips a long value or rationale, with a toggle to show it all', () => {
  const long = 'x'.repeat(1000);
  const { pane } = open(undefined, [
    {
      assessment_id: 'a-long',
      assessment_name: 'expected_essay',
      expectation: { value: long },
      rationale: long
    }
  ]);
  const card = within(pane).getByText('expected_essay').closest('li')!;
  const toggles = within(card).getAllByRole('button', {
    name: 'Show all (1,000 characters)'
  });
  expect(toggles).toHaveLength(2);
  const [toggle] = toggles;
  expect(card.textContent).not.toContain(long);
  expect(card.textContent).toContain('x'.repeat(400) + '…');
  fireEvent.click(toggle);
  expect(toggle.getAttribute('aria-expanded')).toBe('true');
  expect(toggle.textContent).toBe('Show less');
  expect(card.textContent).toContain(long);
});

it('never cuts an emoji in half when clipping', () => {
  const long = '😀'.repeat(500);
  const { pane } = open(undefined, [
    {
      assessment_id: 'a-emoji',
      assessment_name: 'emoji',
      expectation: { value: long }
    }
  ]);
  const value = within(pane)
    .getByText('emoji')
    .closest('li')!
    .querySelector('.jp-MlflowTrace-assessmentValue')!;
  const shown = value.firstChild!.textContent!;
  expect(shown).toBe('😀'.repeat(400) + '…');
});

it('does not clip 400 emoji (800 UTF-16 units)', () => {
  const { pane } = open(undefined, [
    {
      assessment_id: 'a-e4',
      assessment_name: 'emoji',
      expectation: { value: '😀'.repeat(400) }
    }
  ]);
  const card = within(pane).getByText('emoji').closest('li')!;
  expect(within(card).queryByRole('button', { name: /^Show all/ })).toBeNull();
});

it("writes MLflow's judge metadata in words, the judge's cost in dollars", () => {
  const { pane } = open(undefined, [
    {
      assessment_id: 'a-judged',
      assessment_name: 'groundedness',
      source: { source_type: 'LLM_JUDGE', source_id: 'openai:/gpt-4o-mini' },
      feedback: { value: 'yes' },
      metadata: {
        'mlflow.assessment.judgeCost': '0.000153',
        'mlflow.assessment.judgeInputTokens': '812',
        'mlflow.assessment.scorerTraceId': 'tr-0123',
        'mlflow.assessment.sourceRunId': 'run-9',
        custom: 'kept'
      }
    }
  ]);
  const card = within(pane)
    .getByText('openai:/gpt-4o-mini', { exact: false })
    .closest('li')!;
  expect(card.textContent).toContain(
    "judge cost: $0.000153 · judge input tokens: 812 · judge's trace: tr-0123 · run: run-9 · custom: kept"
  );
});
