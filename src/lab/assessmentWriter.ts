/**
 * The writes of one output (a trace output, a trace list, a review): each
 * is sent to the tracking server, shows as `saving` until the server
 * answers, and then is either confirmed (`saved`, applied by the owner to
 * its trace info and persisted) or kept as `unsaved` with the error and
 * Retry. Nothing is retried on its own: a create is not idempotent.
 *
 * #### Notes
 * The source sent is `{HUMAN, <Jupyter user>}`: in direct mode that is what
 * MLflow records; through the server extension, the extension sets it
 * itself whatever the browser sends.
 */
import { ISignal, Signal } from '@lumino/signaling';
import { IAssessmentInput, MlflowClient } from '../client';
import { ITraceInfoV3 } from '../trace';
import {
  addAssessment,
  removeAssessment,
  removeTraceTag,
  replaceAssessment,
  setTraceTag
} from '../trace/assessmentEdits';
import {
  assessmentValueText,
  IAssessmentItem,
  parseAssessments,
  valueKindProblem
} from '../trace/assessments';
import type {
  IAssessmentActions,
  IFeedbackInput,
  IPendingWrite
} from '../view/assessments/actions';

/** A write the server confirmed: how it changes that trace's info. */
export interface IWriteSaved {
  traceId: string;
  apply(info: ITraceInfoV3): ITraceInfoV3;
}

type Edit = (info: ITraceInfoV3) => ITraceInfoV3;

/** One write: what to send, again on Retry, and its state. */
interface IWrite extends IPendingWrite {
  /** Sends the write; resolves with its edit of the info, or rejects. */
  send(client: MlflowClient): Promise<Edit>;
  /** Why it cannot be sent (checked before each send). */
  problem?: () => string | undefined;
}

/** The write model of one output; the assessments pane's {@link IAssessmentActions}. */
export class AssessmentWriter implements IAssessmentActions {
  constructor(options: AssessmentWriter.IOptions) {
    this._client = options.client;
    this.user = options.user;
    this.disabledReason = options.disabledReason;
    this._infoOf = options.infoOf;
  }

  readonly user: string | undefined;
  readonly disabledReason: string | undefined;

  /** The writes not yet confirmed, oldest first. */
  get pending(): readonly IPendingWrite[] {
    return this._pending;
  }

  /** Emitted when `pending` changes. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** Emitted when the server confirmed a write: the owner applies it and persists. */
  get saved(): ISignal<this, IWriteSaved> {
    return this._saved;
  }

  addFeedback(traceId: string, input: IFeedbackInput): void {
    this._addAssessment(traceId, 'feedback', input);
  }

  addExpectation(traceId: string, input: IFeedbackInput): void {
    this._addAssessment(traceId, 'expectation', input);
  }

  edit(
    traceId: string,
    assessmentId: string,
    input: { value: unknown; rationale?: string }
  ): void {
    const target = this._item(traceId, assessmentId);
    const kind = target?.kind === 'expectation' ? 'expectation' : 'feedback';
    this._start({
      traceId,
      assessmentId,
      label: `edit ${kind} "${target?.name ?? assessmentId}" = ${Private.valueText(input.value)}`,
      problem: () =>
        target?.kind === 'issue'
          ? 'An issue cannot be edited here.'
          : this._kindProblem(traceId, target, kind, input.value),
      send: async client => {
        // MLflow keeps no rationale on an expectation (the client refuses one).
        const answer = await client.updateAssessment(traceId, assessmentId, {
          kind,
          value: input.value,
          ...(kind === 'feedback' ? { rationale: input.rationale } : {})
        });
        return info => replaceAssessment(info, answer);
      }
    });
  }

  override(
    traceId: string,
    assessmentId: string,
    input: { value: unknown; rationale?: string }
  ): void {
    const target = this._item(traceId, assessmentId);
    this._start({
      traceId,
      assessmentId,
      label: `override "${target?.name ?? assessmentId}" = ${Private.valueText(input.value)}`,
      problem: () =>
        !target
          ? `Assessment ${assessmentId} is not on trace ${traceId}.`
          : target.kind !== 'feedback'
            ? `Only feedback can be overridden; "${target.name}" is an ${target.kind}.`
            : this._kindProblem(traceId, target, 'feedback', input.value),
      send: async client => {
        const answer = await client.overrideFeedback(traceId, assessmentId, {
          ...this._input(target!.name, input.value, input.rationale),
          spanId: target!.spanId
        });
        return info => addAssessment(info, answer);
      }
    });
  }

  remove(traceId: string, assessmentId: string): void {
    const target = this._item(traceId, assessmentId);
    this._start({
      traceId,
      assessmentId,
      label: `delete "${target?.name ?? assessmentId}"`,
      send: async client => {
        await client.deleteAssessment(traceId, assessmentId);
        return info => removeAssessment(info, assessmentId);
      }
    });
  }

  setTag(traceId: string, key: string, value: string): void {
    this._start({
      traceId,
      tagKey: key,
      label: `tag ${key} = ${value}`,
      problem: () => (key.trim() ? undefined : 'A tag needs a key.'),
      send: async client => {
        await client.setTraceTag(traceId, key, value);
        return info => setTraceTag(info, key, value);
      }
    });
  }

  removeTag(traceId: string, key: string): void {
    this._start({
      traceId,
      tagKey: key,
      label: `remove tag ${key}`,
      send: async client => {
        await client.deleteTraceTag(traceId, key);
        return info => removeTraceTag(info, key);
      }
    });
  }

  /** Send an unsaved write again, as it was. */
  retry(writeId: string): void {
    const write = this._writes.get(writeId);
    if (write && write.status === 'unsaved') {
      void this._send(write);
    }
  }

  /** Send every unsaved write again. */
  retryAll(): void {
    for (const write of [...this._writes.values()]) {
      this.retry(write.id);
    }
  }

  /** Stop signalling; answers still under way are dropped. */
  dispose(): void {
    this._disposed = true;
    Signal.clearData(this);
  }

  private _addAssessment(
    traceId: string,
    kind: 'feedback' | 'expectation',
    input: IFeedbackInput
  ): void {
    this._start({
      traceId,
      label: `${kind} ${input.name} = ${Private.valueText(input.value)}`,
      problem: () =>
        this._kindProblem(traceId, undefined, kind, input.value, input.name),
      send: async client => {
        const body = {
          ...this._input(input.name, input.value, input.rationale),
          spanId: input.spanId
        };
        const answer =
          kind === 'feedback'
            ? await client.logFeedback(traceId, body)
            : await client.logExpectation(traceId, body);
        return info => addAssessment(info, answer);
      }
    });
  }

  private _input(
    name: string,
    value: unknown,
    rationale: string | undefined
  ): IAssessmentInput {
    return {
      name,
      value,
      ...(rationale ? { rationale } : {}),
      source: { type: 'HUMAN', ...(this.user ? { id: this.user } : {}) }
    };
  }

  /** The value-kind rule, over the trace's other assessments (an edited one's old value does not count). */
  private _kindProblem(
    traceId: string,
    target: IAssessmentItem | undefined,
    kind: 'feedback' | 'expectation',
    value: unknown,
    name = target?.name ?? ''
  ): string | undefined {
    const others = this._items(traceId).filter(
      item => target === undefined || item.id !== target.id
    );
    return valueKindProblem(others, name, kind, value);
  }

  private _items(traceId: string): IAssessmentItem[] {
    return parseAssessments(this._infoOf(traceId)?.assessments).items;
  }

  private _item(
    traceId: string,
    assessmentId: string
  ): IAssessmentItem | undefined {
    return this._items(traceId).find(item => item.id === assessmentId);
  }

  private _start(options: Omit<IWrite, 'id' | 'status'>): void {
    const write: IWrite = {
      ...options,
      id: `w${++this._count}`,
      status: 'saving'
    };
    this._writes.set(write.id, write);
    void this._send(write);
  }

  private async _send(write: IWrite): Promise<void> {
    const client = this._client();
    const problem =
      this.disabledReason ??
      (client ? write.problem?.() : 'No tracking server is known.');
    if (problem || !client) {
      this._set(write, 'unsaved', problem);
      return;
    }
    this._set(write, 'saving', undefined);
    let edit: Edit;
    try {
      edit = await write.send(client);
    } catch (error) {
      if (!this._disposed && this._writes.get(write.id) === write) {
        this._set(write, 'unsaved', Private.errorText(error));
      }
      return;
    }
    if (this._disposed) {
      return;
    }
    this._writes.delete(write.id);
    this._publish();
    this._saved.emit({ traceId: write.traceId, apply: edit });
  }

  private _set(
    write: IWrite,
    status: IPendingWrite['status'],
    error: string | undefined
  ): void {
    write.status = status;
    write.error = error;
    this._publish();
  }

  /** A new `pending` (the pane compares by identity), then `changed`. */
  private _publish(): void {
    this._pending = [...this._writes.values()].map(
      ({ id, traceId, label, assessmentId, tagKey, status, error }) => ({
        id,
        traceId,
        label,
        status,
        ...(assessmentId !== undefined ? { assessmentId } : {}),
        ...(tagKey !== undefined ? { tagKey } : {}),
        ...(error !== undefined ? { error } : {})
      })
    );
    if (!this._disposed) {
      this._changed.emit();
    }
  }

  private _client: () => MlflowClient | undefined;
  private _infoOf: (traceId: string) => ITraceInfoV3 | undefined;
  private _writes = new Map<string, IWrite>();
  private _pending: readonly IPendingWrite[] = [];
  private _count = 0;
  private _disposed = false;
  private _changed = new Signal<this, void>(this);
  private _saved = new Signal<this, IWriteSaved>(this);
}

/** Companion namespace of {@link AssessmentWriter}. */
export namespace AssessmentWriter {
  /** Options of a writer. */
  export interface IOptions {
    /** The client of the output's server, asked at each send (undefined: none yet). */
    client: () => MlflowClient | undefined;
    /** The Jupyter user, recorded as the human source. */
    user: string | undefined;
    /** Set when nothing can be written: every write stays unsaved with it. */
    disabledReason?: string;
    /** The trace's current info, for the value-kind rule and the targets of edits. */
    infoOf: (traceId: string) => ITraceInfoV3 | undefined;
  }
}

namespace Private {
  const MAX_LABEL_VALUE = 40;

  /** A value as the label of a write shows it (the pane's rule), shortened. */
  export function valueText(value: unknown): string {
    const text = assessmentValueText(value);
    return text.length > MAX_LABEL_VALUE
      ? `${text.slice(0, MAX_LABEL_VALUE - 1)}…`
      : text;
  }

  /** What failed, as the client says it (it names the server and the status). */
  export function errorText(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
  }
}
