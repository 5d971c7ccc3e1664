/**
 * Review mode over a trace list, as a model (no DOM): the order of the
 * traces (unreviewed first, then the list's order), the current one,
 * progress, thumbs and rationale written through the output's assessment
 * writer, and, for a queue review, items marked complete once labelled.
 */
import { ISignal, Signal } from '@lumino/signaling';
import { IAssessmentItem, isOwnAssessment, ITraceInfoV3 } from '../trace';
import type { IPendingWrite } from '../view/assessments/actions';
import {
  DEFAULT_REVIEW_FEEDBACK,
  humanFeedback,
  isReviewed,
  progressText,
  ReviewAction,
  REVIEW_KEYS
} from '../view/review';
import type { AssessmentWriter } from './assessmentWriter';

/** What a review needs of the output's writer. */
export type IReviewWriter = Pick<
  AssessmentWriter,
  'user' | 'pending' | 'changed' | 'addFeedback' | 'edit' | 'retry' | 'retryAll'
>;

/** The state and actions of one review. */
export class ReviewModel {
  constructor(options: ReviewModel.IOptions) {
    this._traceIds = [...new Set(options.traceIds)];
    this._infoOf = options.infoOf;
    this._writer = options.writer;
    this._open = options.open;
    this.queue = options.queue;
    this._name = options.feedbackName ?? DEFAULT_REVIEW_FEEDBACK;
    this._order = this._ordered();
    this._writer.changed.connect(this._emit, this);
    this._goTo(0);
  }

  /** The queue the review walks, if any. */
  readonly queue: ReviewModel.IQueue | undefined;

  /** Emitted after every change of the state below (and of the writer's pending writes). */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** False once the reviewer left. */
  get active(): boolean {
    return this._active;
  }

  /** The trace ids in review order. */
  get order(): readonly string[] {
    return this._order;
  }

  /** The index of the current trace in {@link order}. */
  get index(): number {
    return this._index;
  }

  /** The current trace's id; undefined for an empty review. */
  get currentId(): string | undefined {
    return this._order[this._index];
  }

  /** The feedback name the review writes. */
  get feedbackName(): string {
    return this._name;
  }

  /** How many traces of the review are reviewed. */
  get reviewedCount(): number {
    return this._order.filter(id => isReviewed(this._infoOf(id), this._name))
      .length;
  }

  /** `12 of 50 reviewed`. */
  get progress(): string {
    return progressText(this.reviewedCount, this._order.length);
  }

  /** `Trace 3 of 50: <id>`. */
  get position(): string {
    const id = this.currentId;
    return id === undefined
      ? 'No traces to review'
      : `Trace ${this._index + 1} of ${this._order.length}: ${id}`;
  }

  /** The current trace's value of the feedback (own first), or of a thumb not saved yet. */
  get value(): boolean | undefined {
    const id = this.currentId;
    const queued = id === undefined ? undefined : this._queued.get(id);
    if (queued) {
      return queued.value;
    }
    const value = this._feedback(id)[0]?.value;
    return typeof value === 'boolean' ? value : undefined;
  }

  /** The rationale box's text. */
  get rationale(): string {
    return this._rationale;
  }

  /** Bumped when the rationale box should take focus. */
  get rationaleFocus(): number {
    return this._rationaleFocus;
  }

  /** The writer's writes not saved yet. */
  get pending(): readonly IPendingWrite[] {
    return this._writer.pending;
  }

  /** Problems to show (a queue item not marked, a rationale with no thumb). */
  get notices(): readonly string[] {
    return this._notices;
  }

  /** Queue items marked complete by this review. */
  get completed(): ReadonlySet<string> {
    return this._completed;
  }

  /** Perform what a review key does. */
  perform(action: ReviewAction): void {
    switch (action) {
      case 'next':
        return this._goTo(this._index + 1);
      case 'previous':
        return this._goTo(this._index - 1);
      case 'thumbsUp':
        return this.thumbs(true);
      case 'thumbsDown':
        return this.thumbs(false);
      case 'rationale':
        this._rationaleFocus++;
        return this._emit();
      case 'exit':
        return this.exit();
    }
  }

  /** Perform the action of a key (`j`, `k`, `u`, `d`, `r`, `Escape`); false for another key. */
  handleKey(key: string): boolean {
    const action = Object.prototype.hasOwnProperty.call(REVIEW_KEYS, key)
      ? REVIEW_KEYS[key]
      : undefined;
    if (!action || !this._active) {
      return false;
    }
    this.perform(action);
    return true;
  }

  /** Go to the trace at `index` of the order (clamped). */
  goTo(index: number): void {
    this._goTo(index);
  }

  /**
   * Label the current trace: an edit of the reviewer's own feedback when
   * there is one, else a new feedback; the rationale box goes with it. While
   * a label of the trace is saving, the newest one waits for its answer.
   */
  thumbs(value: boolean): void {
    const id = this.currentId;
    if (id === undefined || !this._active) {
      return;
    }
    const rationale = this._rationale.trim() || undefined;
    const saving = this._writer.pending.some(
      write => write.traceId === id && write.status === 'saving'
    );
    if (saving) {
      this._queued.set(id, { value, rationale });
      return this._emit();
    }
    this._queued.delete(id);
    this._write(id, value, rationale);
    this._emit();
  }

  /** Set the rationale box's text (not sent until saved). */
  setRationale(text: string): void {
    this._rationale = text;
    this._emit();
  }

  /** Save the rationale with the current trace's thumb (Enter in the box). */
  saveRationale(): void {
    const value = this.value;
    if (value === undefined) {
      this._notices = ['Press u or d: the rationale is saved with a thumb.'];
      return this._emit();
    }
    this.thumbs(value);
  }

  /** Review another feedback name: progress and order follow it, the current trace stays. */
  setFeedbackName(name: string): void {
    const trimmed = name.trim();
    if (!trimmed || trimmed === this._name) {
      return;
    }
    const current = this.currentId;
    this._name = trimmed;
    this._order = this._ordered();
    this._index = Math.max(0, current ? this._order.indexOf(current) : 0);
    this._rationale = this._ownRationale(this.currentId);
    this._emit();
  }

  /**
   * The owner applied a saved write of `traceId` to its info: send a thumb
   * that waited for it, and mark the trace's queue item complete once the
   * trace is reviewed.
   */
  afterSaved(traceId: string): void {
    const queued = this._queued.get(traceId);
    if (queued && this._active) {
      this._queued.delete(traceId);
      this._write(traceId, queued.value, queued.rationale);
    }
    if (
      this.queue &&
      this._order.includes(traceId) &&
      !this._completed.has(traceId) &&
      isReviewed(this._infoOf(traceId), this._name)
    ) {
      this._completed.add(traceId);
      this.queue.markComplete(traceId).catch(error => {
        this._completed.delete(traceId);
        const message = error instanceof Error ? error.message : String(error);
        this._notices = [
          `Queue item ${traceId} not marked complete: ${message}`
        ];
        this._emit();
      });
    }
    this._emit();
  }

  /** Retry one unsaved write. */
  retry(writeId: string): void {
    this._writer.retry(writeId);
  }

  /** Retry every unsaved write. */
  retryAll(): void {
    this._writer.retryAll();
  }

  /** Leave the review (pending writes go on). */
  exit(): void {
    if (!this._active) {
      return;
    }
    this._active = false;
    this._emit();
  }

  /** Stop signalling. */
  dispose(): void {
    this._active = false;
    Signal.clearData(this);
  }

  private _write(id: string, value: boolean, rationale?: string): void {
    this._notices = [];
    const own = this._feedback(id).find(item =>
      isOwnAssessment(item, this._writer.user)
    );
    if (own?.id) {
      this._writer.edit(id, own.id, {
        value,
        rationale: rationale ?? own.rationale
      });
    } else {
      this._writer.addFeedback(id, { name: this._name, value, rationale });
    }
  }

  private _feedback(id: string | undefined): IAssessmentItem[] {
    return id === undefined
      ? []
      : humanFeedback(this._infoOf(id), this._name, this._writer.user);
  }

  private _ownRationale(id: string | undefined): string {
    const own = this._feedback(id).find(item =>
      isOwnAssessment(item, this._writer.user)
    );
    return own?.rationale ?? '';
  }

  /** Unreviewed first, then reviewed, each in the list's order. */
  private _ordered(): string[] {
    const reviewed = (id: string) => isReviewed(this._infoOf(id), this._name);
    return [
      ...this._traceIds.filter(id => !reviewed(id)),
      ...this._traceIds.filter(reviewed)
    ];
  }

  private _goTo(index: number): void {
    if (!this._active || this._order.length === 0) {
      return this._emit();
    }
    const clamped = Math.min(Math.max(index, 0), this._order.length - 1);
    if (clamped === this._index && this._opened) {
      return;
    }
    this._index = clamped;
    this._opened = true;
    this._notices = [];
    this._rationale = this._ownRationale(this.currentId);
    this._open(this._order[clamped]);
    this._emit();
  }

  private _emit(): void {
    this._changed.emit();
  }

  private _traceIds: string[];
  private _infoOf: (traceId: string) => ITraceInfoV3 | undefined;
  private _writer: IReviewWriter;
  private _open: (traceId: string) => void;
  private _name: string;
  private _order: string[];
  private _index = 0;
  private _opened = false;
  private _active = true;
  private _rationale = '';
  private _rationaleFocus = 0;
  private _notices: string[] = [];
  private _queued = new Map<string, { value: boolean; rationale?: string }>();
  private _completed = new Set<string>();
  private _changed = new Signal<this, void>(this);
}

/** Companion namespace of {@link ReviewModel}. */
export namespace ReviewModel {
  /** A review queue the review records to. */
  export interface IQueue {
    id: string;
    name: string;
    /** Mark the queue's item of `traceId` complete on the server. */
    markComplete(traceId: string): Promise<void>;
  }

  /** Options of a review. */
  export interface IOptions {
    /** The traces to review, in the list's (or the queue's) order. */
    traceIds: readonly string[];
    /** The freshest info of a trace (its assessments decide what is reviewed). */
    infoOf: (traceId: string) => ITraceInfoV3 | undefined;
    writer: IReviewWriter;
    /** Show a trace (the list's open: fetched through its client). */
    open: (traceId: string) => void;
    feedbackName?: string;
    queue?: IQueue;
  }
}
