/**
 * @jest-environment jsdom
 *
 * Writing from the assessments pane: what it asks its host's actions for
 * (add feedback and expectations on the trace or the selected span, edit
 * and delete one's own, override someone else's, tags), what it refuses
 * before asking (a wrong type, another kind than the name has, bad JSON),
 * and how pending writes show, with Retry.
 */
import { fireEvent, screen, within } from '@testing-library/react';
import { fakeLayout } from './view/helpers';
import {
  CHILD_ID,
  fieldValue,
  openAssessments,
  recordingActions,
  TRACE_ID
} from './assessments-helpers';

beforeAll(fakeLayout);

function setup(user: string | undefined, pending = [] as never[]) {
  const actions = recordingActions(user, pending);
  return { actions, ...openAssessments(actions) };
}

function change(form: HTMLElement, label: string, value: string): void {
  fireEvent.change(within(form).getByLabelText(label), { target: { value } });
}

/** The add form, opened by its button when it is closed. */
function addForm(pane: HTMLElement): HTMLElement {
  const open = within(pane).queryByRole('form', { name: 'Add an assessment' });
  if (open) {
    return open;
  }
  const button = within(pane).getByRole('button', {
    name: 'Add feedback or expectation'
  });
  expect(button.getAttribute('aria-expanded')).toBe('false');
  fireEvent.click(button);
  expect(button.getAttribute('aria-expanded')).toBe('true');
  return within(pane).getByRole('form', { name: 'Add an assessment' });
}

describe('adding assessments', () => {
  it('adds boolean feedback on the trace, then clears the value and keeps the name', () => {
    const { actions, pane } = setup('dave');
    const form = addForm(pane);
    change(form, 'Name', ' helpful ');
    change(form, 'Value', 'false');
    change(form, 'Rationale', 'missed the question');
    fireEvent.click(within(form).getByRole('button', { name: 'Add feedback' }));
    expect(actions.calls).toEqual([
      [
        'addFeedback',
        TRACE_ID,
        {
          name: 'helpful',
          value: false,
          rationale: 'missed the question',
          spanId: undefined
        }
      ]
    ]);
    expect(fieldValue(form, 'Name')).toBe(' helpful ');
    expect(fieldValue(form, 'Rationale')).toBe('');
  });

  it('adds number feedback on the selected span', () => {
    const { actions, pane } = setup('dave');
    const child = screen
      .getAllByRole('treeitem')
      .find(r => r.getAttribute('data-span-id') === CHILD_ID)!;
    fireEvent.click(child);
    const form = addForm(pane);
    change(form, 'On', 'span');
    change(form, 'Name', 'score');
    change(form, 'Type', 'number');
    change(form, 'Value', '0.5');
    fireEvent.submit(form);
    expect(actions.calls).toEqual([
      [
        'addFeedback',
        TRACE_ID,
        { name: 'score', value: 0.5, rationale: undefined, spanId: CHILD_ID }
      ]
    ]);
  });

  it('refuses a value of another kind than the name has, naming it, and sends nothing', () => {
    const { actions, pane } = setup('dave');
    const form = addForm(pane);
    change(form, 'Name', 'correct');
    change(form, 'Type', 'string');
    change(form, 'Value', 'yes');
    fireEvent.submit(form);
    expect(within(form).getByRole('alert').textContent).toBe(
      'Feedback "correct" has boolean values; a string value cannot be added to it.'
    );
    expect(actions.calls).toEqual([]);
  });

  it('refuses a number that is not one, and a missing name', () => {
    const { actions, pane } = setup('dave');
    const form = addForm(pane);
    change(form, 'Name', 'score');
    change(form, 'Type', 'number');
    change(form, 'Value', '0x10');
    fireEvent.submit(form);
    expect(within(form).getByRole('alert').textContent).toBe(
      '"0x10" is not a number.'
    );
    change(form, 'Name', '');
    change(form, 'Value', '1');
    fireEvent.submit(form);
    expect(within(form).getByRole('alert').textContent).toBe(
      'Feedback needs a name.'
    );
    expect(actions.calls).toEqual([]);
  });

  it('adds a JSON expectation, and refuses text that is not JSON with the parser’s reason', () => {
    const { actions, pane } = setup('dave');
    const form = addForm(pane);
    change(form, 'Add', 'expectation');
    expect(within(form).queryByLabelText('Rationale')).toBeNull();
    change(form, 'Name', 'expected_sources');
    change(form, 'Type', 'json');
    change(form, 'Value', '{"urls": [');
    fireEvent.submit(form);
    expect(within(form).getByRole('alert').textContent).toMatch(
      /^The value is not JSON: .+/
    );
    expect(actions.calls).toEqual([]);
    change(form, 'Value', '{"urls": ["https://a.example"], "n": 2}');
    fireEvent.click(
      within(form).getByRole('button', { name: 'Add expectation' })
    );
    expect(within(form).queryByRole('alert')).toBeNull();
    expect(actions.calls).toEqual([
      [
        'addExpectation',
        TRACE_ID,
        {
          name: 'expected_sources',
          value: { urls: ['https://a.example'], n: 2 },
          rationale: undefined,
          spanId: undefined
        }
      ]
    ]);
  });

  it('offers no JSON type for feedback', () => {
    const { pane } = setup('dave');
    const type = within(addForm(pane)).getByLabelText('Type');
    expect(
      within(type)
        .getAllByRole('option')
        .map(o => o.textContent)
    ).toEqual(['boolean', 'number', 'text']);
  });
});

describe('editing, deleting and overriding', () => {
  it('edits one’s own feedback: value typed as it was, rationale kept', () => {
    const { actions, pane } = setup('carol');
    fireEvent.click(within(pane).getByRole('button', { name: 'Edit correct' }));
    const form = within(pane).getByRole('form', { name: 'Save correct' });
    expect(fieldValue(form, 'Type')).toBe('boolean');
    expect(fieldValue(form, 'Value')).toBe('true');
    const rationale = within(form).getByLabelText(
      'Rationale'
    ) as HTMLTextAreaElement;
    expect(rationale.value).toBe('right after all');
    change(form, 'Value', 'false');
    change(form, 'Rationale', 'no: Lyon');
    fireEvent.click(within(form).getByRole('button', { name: 'Save' }));
    expect(actions.calls).toEqual([
      [
        'edit',
        TRACE_ID,
        'a-7e085534de83482da81a9b26be661693',
        { value: false, rationale: 'no: Lyon' }
      ]
    ]);
    expect(
      within(pane).queryByRole('form', { name: 'Save correct' })
    ).toBeNull();
  });

  it('clears one’s own rationale: an emptied box is sent as empty, not left out', () => {
    const { actions, pane } = setup('carol');
    fireEvent.click(within(pane).getByRole('button', { name: 'Edit correct' }));
    const form = within(pane).getByRole('form', { name: 'Save correct' });
    change(form, 'Rationale', '  ');
    fireEvent.click(within(form).getByRole('button', { name: 'Save' }));
    expect(actions.calls).toEqual([
      [
        'edit',
        TRACE_ID,
        'a-7e085534de83482da81a9b26be661693',
        { value: true, rationale: '' }
      ]
    ]);
  });

  it('overrides with no rationale when the box is empty', () => {
    const { actions, pane } = setup('dave');
    fireEvent.click(
      within(pane).getByRole('button', { name: 'Override correct' })
    );
    const form = within(pane).getByRole('form', { name: 'Override correct' });
    fireEvent.submit(form);
    expect(actions.calls).toEqual([
      [
        'override',
        TRACE_ID,
        'a-7e085534de83482da81a9b26be661693',
        { value: true, rationale: undefined }
      ]
    ]);
  });

  it('edits one’s own expectation, which has no rationale in MLflow', () => {
    const { actions, pane } = setup('alice');
    fireEvent.click(
      within(pane).getByRole('button', { name: 'Edit expected_num' })
    );
    const form = within(pane).getByRole('form', { name: 'Save expected_num' });
    expect(fieldValue(form, 'Type')).toBe('number');
    expect(fieldValue(form, 'Value')).toBe('3');
    expect(within(form).queryByLabelText('Rationale')).toBeNull();
    change(form, 'Value', '4');
    fireEvent.click(within(form).getByRole('button', { name: 'Save' }));
    expect(actions.calls).toEqual([
      [
        'edit',
        TRACE_ID,
        'a-4e2d13d2c6534afe9c0c79e6755b8226',
        { value: 4, rationale: undefined }
      ]
    ]);
  });

  it('edits a JSON expectation as indented JSON', () => {
    const { actions, pane } = setup('alice');
    fireEvent.click(
      within(pane).getByRole('button', { name: 'Edit expected_obj' })
    );
    const form = within(pane).getByRole('form', { name: 'Save expected_obj' });
    const value = within(form).getByLabelText('Value') as HTMLTextAreaElement;
    expect(value.value).toBe('{\n  "k": 1,\n  "n": null\n}');
    change(form, 'Value', '{"k": 2}');
    fireEvent.submit(form);
    expect(actions.calls).toEqual([
      [
        'edit',
        TRACE_ID,
        'a-68545c8dbd4342bca58152882eaee6ca',
        { value: { k: 2 }, rationale: undefined }
      ]
    ]);
  });

  it('lets an edit change the kind of a name only it holds', () => {
    const { actions, pane } = setup('alice');
    fireEvent.click(
      within(pane).getByRole('button', { name: 'Edit expected_num' })
    );
    const form = within(pane).getByRole('form', { name: 'Save expected_num' });
    change(form, 'Type', 'string');
    change(form, 'Value', 'three');
    fireEvent.submit(form);
    expect(actions.calls.map(call => call[0])).toEqual(['edit']);
  });

  it('deletes one’s own assessment after a confirmation', () => {
    const { actions, pane } = setup('alice');
    fireEvent.click(
      within(pane).getByRole('button', { name: 'Delete expected_response' })
    );
    const confirm = within(pane).getByRole('group', { name: 'Confirm delete' });
    expect(actions.calls).toEqual([]);
    fireEvent.click(
      within(confirm).getByRole('button', { name: 'Delete expected_response' })
    );
    expect(actions.calls).toEqual([
      ['remove', TRACE_ID, 'a-755f01ff0a614b3ea67c455b9c9f5563']
    ]);
  });

  it('cancels a delete', () => {
    const { actions, pane } = setup('alice');
    fireEvent.click(
      within(pane).getByRole('button', { name: 'Delete expected_response' })
    );
    fireEvent.click(within(pane).getByRole('button', { name: 'Cancel' }));
    expect(
      within(pane).queryByRole('group', { name: 'Confirm delete' })
    ).toBeNull();
    expect(actions.calls).toEqual([]);
  });

  it('overrides someone else’s feedback with a new value; offers no edit or delete of it', () => {
    const { actions, pane } = setup('dave');
    expect(
      within(pane).queryByRole('button', { name: 'Edit correct' })
    ).toBeNull();
    expect(
      within(pane).queryByRole('button', { name: 'Delete correct' })
    ).toBeNull();
    fireEvent.click(
      within(pane).getByRole('button', { name: 'Override correct' })
    );
    const form = within(pane).getByRole('form', { name: 'Override correct' });
    expect(fieldValue(form, 'Rationale')).toBe('');
    change(form, 'Value', 'false');
    change(form, 'Rationale', 'wrong city');
    fireEvent.click(within(form).getByRole('button', { name: 'Override' }));
    expect(actions.calls).toEqual([
      [
        'override',
        TRACE_ID,
        'a-7e085534de83482da81a9b26be661693',
        { value: false, rationale: 'wrong city' }
      ]
    ]);
  });

  it('refuses an override of another kind (on the selected span)', () => {
    const { actions, pane } = setup('dave');
    fireEvent.click(
      screen
        .getAllByRole('treeitem')
        .find(r => r.getAttribute('data-span-id') === CHILD_ID)!
    );
    fireEvent.click(
      within(pane).getByRole('button', { name: 'Override score' })
    );
    const form = within(pane).getByRole('form', { name: 'Override score' });
    change(form, 'Type', 'boolean');
    fireEvent.submit(form);
    expect(within(form).getByRole('alert').textContent).toBe(
      'Feedback "score" has number values; a boolean value cannot be added to it.'
    );
    expect(actions.calls).toEqual([]);
  });

  it('overrides a failed judge with a value', () => {
    const { actions, pane } = setup('dave');
    fireEvent.click(
      within(pane).getByRole('button', { name: 'Override judge_fail' })
    );
    fireEvent.submit(
      within(pane).getByRole('form', { name: 'Override judge_fail' })
    );
    expect(actions.calls).toEqual([
      [
        'override',
        TRACE_ID,
        'a-16e1c6497acf459492fb8e1697910917',
        { value: true, rationale: undefined }
      ]
    ]);
  });

  it('offers no write on an unknown user’s view of others’ expectations and issues', () => {
    const { pane } = setup(undefined);
    expect(
      within(pane).queryByRole('button', { name: /^(Edit|Delete) / })
    ).toBeNull();
    expect(
      within(pane).queryByRole('button', { name: 'Override expected_response' })
    ).toBeNull();
    expect(
      within(pane).queryByRole('button', { name: 'Override iss-123' })
    ).toBeNull();
    // Feedback can still be overridden: an override is a new assessment.
    expect(
      within(pane).getByRole('button', { name: 'Override tone' })
    ).toBeTruthy();
  });
});

describe('tags', () => {
  it('adds, changes and removes a tag; refuses an empty or mlflow.* key', () => {
    const { actions, pane } = setup('dave');
    const tags = within(pane).getByRole('region', { name: 'Tags' });
    const add = within(tags).getByRole('form', { name: 'Add a tag' });
    change(add, 'Key', 'mlflow.user');
    fireEvent.submit(add);
    expect(within(add).getByRole('alert').textContent).toBe(
      'Tag "mlflow.user": keys starting with "mlflow." are MLflow\'s own.'
    );
    change(add, 'Key', ' ');
    fireEvent.submit(add);
    expect(within(add).getByRole('alert').textContent).toBe(
      'A tag needs a key.'
    );
    change(add, 'Key', 'reviewed');
    change(add, 'Value', 'yes');
    fireEvent.click(within(add).getByRole('button', { name: 'Add tag' }));
    fireEvent.click(
      within(tags).getByRole('button', { name: 'Change tag topic' })
    );
    const edit = within(tags).getByRole('form', { name: 'Change tag topic' });
    expect(fieldValue(edit, 'Value')).toBe('weather');
    change(edit, 'Value', 'travel');
    fireEvent.click(within(edit).getByRole('button', { name: 'Save' }));
    fireEvent.click(
      within(tags).getByRole('button', { name: 'Remove tag topic' })
    );
    expect(actions.calls).toEqual([
      ['setTag', TRACE_ID, 'reviewed', 'yes'],
      ['setTag', TRACE_ID, 'topic', 'travel'],
      ['removeTag', TRACE_ID, 'topic']
    ]);
  });
});

describe('tag keys', () => {
  it('refuses an mlflow.* key behind spaces, and sends a key trimmed', () => {
    const { actions, pane } = setup('dave');
    const tags = within(pane).getByRole('region', { name: 'Tags' });
    const add = within(tags).getByRole('form', { name: 'Add a tag' });
    change(add, 'Key', ' mlflow.traceName');
    change(add, 'Value', 'renamed');
    fireEvent.submit(add);
    expect(within(add).getByRole('alert').textContent).toBe(
      'Tag "mlflow.traceName": keys starting with "mlflow." are MLflow\'s own.'
    );
    expect(actions.calls).toEqual([]);
    change(add, 'Key', ' reviewed ');
    fireEvent.submit(add);
    expect(actions.calls).toEqual([
      ['setTag', TRACE_ID, 'reviewed', 'renamed']
    ]);
  });
});

describe('pending writes', () => {
  const pending = [
    {
      id: 'w1',
      traceId: TRACE_ID,
      label: 'feedback helpful = true',
      status: 'saving'
    },
    {
      id: 'w2',
      traceId: TRACE_ID,
      label: 'override correct',
      assessmentId: 'a-7e085534de83482da81a9b26be661693',
      status: 'unsaved',
      error: 'server refused (403)'
    },
    {
      id: 'w3',
      traceId: TRACE_ID,
      label: 'tag topic = travel',
      tagKey: 'topic',
      status: 'saving'
    },
    {
      id: 'w4',
      traceId: 'tr-other',
      label: 'feedback elsewhere',
      status: 'saving'
    }
  ];

  it('shows each where it applies: saving…, or unsaved with its error and Retry', () => {
    const { actions, pane } = setup('dave', pending as never[]);
    const lists = within(pane).getAllByRole('list', {
      name: 'Writes not saved yet'
    });
    expect(lists.map(list => list.textContent)).toEqual([
      'feedback helpful = true: saving…',
      'override correct: unsaved: server refused (403)Retry',
      'tag topic = travel: saving…'
    ]);
    const correct = within(pane).getByText('right after all').closest('li')!;
    expect(within(correct).getByRole('alert').textContent).toContain(
      'unsaved: server refused (403)'
    );
    const tags = within(pane).getByRole('region', { name: 'Tags' });
    expect(within(tags).getByRole('status').textContent).toBe(
      'tag topic = travel: saving…'
    );
    fireEvent.click(
      within(pane).getByRole('button', { name: 'Retry: override correct' })
    );
    expect(actions.calls).toEqual([['retry', 'w2']]);
    expect(pane.textContent).not.toContain('feedback elsewhere');
  });
});

describe('keyboard focus', () => {
  it('moves into an edit form and back to Edit after Cancel, Save or Escape', () => {
    const { pane } = setup('carol');
    const edit = () =>
      within(pane).getByRole('button', { name: 'Edit correct' });
    const form = () => within(pane).getByRole('form', { name: 'Save correct' });
    fireEvent.click(edit());
    expect(document.activeElement).toBe(within(form()).getByLabelText('Value'));
    fireEvent.click(within(form()).getByRole('button', { name: 'Cancel' }));
    expect(document.activeElement).toBe(edit());
    fireEvent.click(edit());
    fireEvent.click(within(form()).getByRole('button', { name: 'Save' }));
    expect(document.activeElement).toBe(edit());
    fireEvent.click(edit());
    fireEvent.keyDown(within(form()).getByLabelText('Value'), {
      key: 'Escape'
    });
    expect(document.activeElement).toBe(edit());
  });

  it('moves to the confirm group’s Delete, and back to Delete after Cancel', () => {
    const { pane } = setup('alice');
    const name = { name: 'Delete expected_response' };
    fireEvent.click(within(pane).getByRole('button', name));
    const confirm = within(pane).getByRole('group', { name: 'Confirm delete' });
    expect(document.activeElement).toBe(
      within(confirm).getByRole('button', name)
    );
    fireEvent.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(document.activeElement).toBe(within(pane).getByRole('button', name));
  });

  it('returns to Override after an override is sent', () => {
    const { pane } = setup('dave');
    const override = () =>
      within(pane).getByRole('button', { name: 'Override correct' });
    fireEvent.click(override());
    const form = within(pane).getByRole('form', { name: 'Override correct' });
    expect(document.activeElement).toBe(within(form).getByLabelText('Value'));
    fireEvent.submit(form);
    expect(document.activeElement).toBe(override());
  });
});

describe('keyboard', () => {
  it('types / into a rationale instead of jumping to the search box', () => {
    const { pane } = setup('dave');
    const rationale = within(addForm(pane)).getByLabelText('Rationale');
    rationale.focus();
    const event = fireEvent.keyDown(rationale, { key: '/' });
    expect(event).toBe(true);
    expect(document.activeElement).toBe(rationale);
  });
});
