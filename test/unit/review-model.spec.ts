/**
 * ReviewModel: the order (unreviewed first, then the list's), progress,
 * keys to actions, thumbs and rationale as writes (a new feedback, then an
 * edit of one's own), a thumb while the last one is saving, and a queue
 * review marking each labelled item complete.
 *
 * The writer here is a recorder of the calls the review makes; the answers
 * are MLflow's own shapes applied with the pure edits the lab applies
 * (src/trace/assessmentEdits.ts). The writer against a real server is tested
 * in writer-*.spec.ts and ui-tests/tests/review.spec.ts.
 */
import { Signal } from '@lumino/signaling';
import { ReviewModel } from '../../src/lab/reviewModel';
import {
  addAssessment,
  replaceAssessment
} from '../../src/trace/assessmentEdits';
import { IAssessment, ITraceInfoV3 } from '../../src/trace';
import type { IPendingWrite } from '../../src/view/assessments/actions';

const USER = 'alice';

function feedback(
  traceId: string,
  name: string,
  value: unknown,
  source: { source_type: string; source_id: string },
  extra: Partial<IAssessment> = {}
): IAssessment {
  return {
    assessment_id: `a-${traceId}-${name}-${source.source_id}`,
    assessment_name: name,
    trace_id: traceId,
    source,
    create_time: '2026-12-07T05:53:27.501Z',
    last_update_time: '2026-12-07T05:53:27.501Z',
    feedback: { value },
    valid: true,
    ...extra
  };
}

const human = (id: string) => ({ source_type: 'HUMAN', source_id: id });

/** Five traces: only `tr-a` has a valid HUMAN thumbs_up. */
function infos(): Map<string, ITraceInfoV3> {
  const list: ITraceInfoV3[] = [
    {
      trace_id: 'tr-a',
      assessments: [feedback('tr-a', 'thumbs_up', true, human('bob'))]
    },
    { trace_id: 'tr-b', assessments: [] },
    {
      trace_id: 'tr-c',
      assessments: [
        feedback('tr-c', 'thumbs_up', false, {
          source_type: 'LLM_JUDGE',
          source_id: 'openai:/gpt-4o-mini'
        })
      ]
    },
    {
      trace_id: 'tr-d',
      assessments: [
        feedback('tr-d', 'thumbs_up', true, human('bob'), { valid: false })
      ]
    },
    {
      trace_id: 'tr-e',
      assessments: [feedback('tr-e', 'correct', true, human('bob'))]
    }
  ];
  return new Map(list.map(info => [info.trace_id, info]));
}

/** Records the review's writes; `answer` confirms the oldest as the server would. */
class RecordingWriter {
  constructor(private readonly _infos: Map<string, ITraceInfoV3>) {}
  readonly user = USER;
  pending: IPendingWrite[] = [];
  calls: { kind: 'add' | 'edit'; traceId: string; args: unknown[] }[] = [];
  readonly changed = new Signal<this, void>(this);

  addFeedback(traceId: string, input: unknown): void {
    this._record('add', traceId, [input]);
  }

  edit(traceId: string, assessmentId: string, input: unknown): void {
    this._record('edit', traceId, [assessmentId, input]);
  }

  retry(): void {}
  retryAll(): void {}

  /** The server's answer to the oldest write: applied to the info, then the review told. */
  answer(review: ReviewModel): void {
    const write = this.pending.shift()!;
    const call = this.calls[Number(write.id)];
    const info = this._infos.get(call.traceId)!;
    if (call.kind === 'add') {
      const input = call.args[0] as {
        name: string;
        value: unknown;
        rationale?: string;
      };
      const created = feedback(
        call.traceId,
        input.name,
        input.value,
        human(USER),
        {
          rationale: input.rationale
        }
      );
      this._infos.set(call.traceId, addAssessment(info, created));
    } else {
      const [id, input] = call.args as [
        string,
        { value: unknown; rationale?: string }
      ];
      const old = info.assessments!.find(a => a.assessment_id === id)!;
      this._infos.set(
        call.traceId,
        replaceAssessment(info, {
          ...old,
          feedback: { value: input.value },
          rationale: input.rationale
        })
      );
    }
    this.changed.emit();
    review.afterSaved(call.traceId);
  }

  private _record(kind: 'add' | 'edit', traceId: string, args: unknown[]) {
    this.pending.push({
      id: String(this.calls.length),
      traceId,
      label: kind,
      status: 'saving'
    });
    this.calls.push({ kind, traceId, args });
    this.changed.emit();
  }
}

function setUp(options: Partial<ReviewModel.IOptions> = {}) {
  const store = infos();
  const writer = new RecordingWriter(store);
  const opened: string[] = [];
  const review = new ReviewModel({
    traceIds: ['tr-a', 'tr-b', 'tr-c', 'tr-d', 'tr-e'],
    infoOf: id => store.get(id),
    writer: writer as never,
    open: id => opened.push(id),
    ...options
  });
  return { store, writer, opened, review };
}

describe('ReviewModel', () => {
  it('puts unreviewed traces first, then the list order, and counts valid HUMAN feedback only', () => {
    const { review, opened } = setUp();
    // tr-c: a judge's; tr-d: superseded; tr-e: another name: none counts.
    expect(review.order).toEqual(['tr-b', 'tr-c', 'tr-d', 'tr-e', 'tr-a']);
    expect(review.progress).toBe('1 of 5 reviewed');
    expect(review.feedbackName).toBe('thumbs_up');
    expect(review.currentId).toBe('tr-b');
    expect(review.position).toBe('Trace 1 of 5: tr-b');
    expect(opened).toEqual(['tr-b']);
  });

  it('maps j, k, u, d, r and Escape to their actions, and no other key', () => {
    const { review, writer, opened } = setUp();
    expect(review.handleKey('x')).toBe(false);
    expect(review.handleKey('J')).toBe(false);
    expect(review.handleKey('k')).toBe(true); // at the first: stays
    expect(review.index).toBe(0);
    review.handleKey('j');
    review.handleKey('j');
    expect(review.currentId).toBe('tr-d');
    review.handleKey('k');
    expect(review.currentId).toBe('tr-c');
    expect(opened).toEqual(['tr-b', 'tr-c', 'tr-d', 'tr-c']);
    review.handleKey('u');
    expect(writer.calls).toEqual([
      {
        kind: 'add',
        traceId: 'tr-c',
        args: [{ name: 'thumbs_up', value: true, rationale: undefined }]
      }
    ]);
    const focus = review.rationaleFocus;
    review.handleKey('r');
    expect(review.rationaleFocus).toBe(focus + 1);
    review.handleKey('Escape');
    expect(review.active).toBe(false);
    expect(review.handleKey('j')).toBe(false);
  });

  it('labels with a new feedback, then edits its own, and progress follows the saved labels', () => {
    const { review, writer } = setUp();
    review.handleKey('u');
    expect(review.progress).toBe('1 of 5 reviewed'); // not yet saved
    writer.answer(review);
    expect(review.progress).toBe('2 of 5 reviewed');
    expect(review.value).toBe(true);
    review.handleKey('d');
    expect(writer.calls[1]).toEqual({
      kind: 'edit',
      traceId: 'tr-b',
      args: ['a-tr-b-thumbs_up-alice', { value: false, rationale: undefined }]
    });
    writer.answer(review);
    expect(review.value).toBe(false);
    expect(review.progress).toBe('2 of 5 reviewed');
  });

  it('does not write a second feedback for a thumb pressed while the first is saving', () => {
    const { review, writer } = setUp();
    review.handleKey('u');
    review.handleKey('d');
    expect(writer.calls).toHaveLength(1);
    expect(review.value).toBe(false); // the waiting thumb shows
    writer.answer(review);
    expect(writer.calls[1].kind).toBe('edit');
    expect((writer.calls[1].args[1] as { value: unknown }).value).toBe(false);
  });

  it('saves the rationale with the thumb, and asks for a thumb first', () => {
    const { review, writer } = setUp();
    review.setRationale('Cites the document.');
    review.saveRationale();
    expect(writer.calls).toHaveLength(0);
    expect(review.notices[0]).toMatch(/Press u or d/);
    review.handleKey('u');
    expect(writer.calls[0].args[0]).toEqual({
      name: 'thumbs_up',
      value: true,
      rationale: 'Cites the document.'
    });
    writer.answer(review);
    review.setRationale('On second thought: no source.');
    review.saveRationale();
    expect(writer.calls[1]).toEqual({
      kind: 'edit',
      traceId: 'tr-b',
      args: [
        'a-tr-b-thumbs_up-alice',
        { value: true, rationale: 'On second thought: no source.' }
      ]
    });
    // Moving away and back shows the saved rationale.
    writer.answer(review);
    review.handleKey('j');
    expect(review.rationale).toBe('');
    review.handleKey('k');
    expect(review.rationale).toBe('On second thought: no source.');
  });

  it('follows another feedback name: order and progress by it, the current trace kept', () => {
    const { review } = setUp();
    review.handleKey('j');
    review.handleKey('j');
    review.handleKey('j'); // tr-e
    review.setFeedbackName('correct');
    expect(review.feedbackName).toBe('correct');
    expect(review.order).toEqual(['tr-a', 'tr-b', 'tr-c', 'tr-d', 'tr-e']);
    expect(review.currentId).toBe('tr-e');
    expect(review.progress).toBe('1 of 5 reviewed');
  });

  it('marks a queue item complete once its trace is labelled, once, and says when it cannot', async () => {
    const marked: string[] = [];
    let refuse = false;
    const { review, writer } = setUp({
      traceIds: ['tr-b', 'tr-c'],
      queue: {
        id: 'q-1',
        name: 'alice',
        markComplete: async traceId => {
          marked.push(traceId);
          if (refuse) {
            throw new Error('403 PERMISSION_DENIED');
          }
        }
      }
    });
    expect(review.progress).toBe('0 of 2 reviewed');
    review.handleKey('u');
    writer.answer(review);
    expect(marked).toEqual(['tr-b']);
    review.handleKey('d');
    writer.answer(review);
    expect(marked).toEqual(['tr-b']); // already complete
    review.handleKey('j');
    refuse = true;
    review.handleKey('u');
    writer.answer(review);
    await new Promise(resolve => setTimeout(resolve, 0));
    expect(marked).toEqual(['tr-b', 'tr-c']);
    expect(review.notices).toEqual([
      'Queue item tr-c not marked complete: 403 PERMISSION_DENIED'
    ]);
    expect([...review.completed]).toEqual(['tr-b']);
  });
});
