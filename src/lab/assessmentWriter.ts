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
import { MlflowClient } from '../client';
import { ITraceInfoV3 } from '../trace';
import type {
  IAssessmentActions,
  IFeedbackInput,
  IPendingWrite
} from '../view/assessments/actions';
import {
  addWrite,
  Edit,
  editWrite,
  IWriteContext,
  IWriteSpec,
  overrideWrite,
  removeTagWrite,
  removeWrite,
  setTagWrite
} from './writes';

/** A write the server confirmed: how it changes that trace's info. */
export interface IWriteSaved {
  traceId: string;
  apply(info: ITraceInfoV3): ITraceInfoV3;
}

/** One write: what to send, again on Retry, and its state. */
type IWrite = IPendingWrite & IWriteSpec;

/** The write model of one output; the assessments pane's {@link IAssessmentActions}. */
export class AssessmentWriter implements IAssessmentActions {
  constructor(options: AssessmentWriter.IOptions) {
    this._client = options.client;
    this.user = options.user;
    this.disabledReason = options.disabledReason;
    this._ctx = { user: options.user, infoOf: options.infoOf };
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
    this._start(addWrite(this._ctx, traceId, 'feedback', input));
  }

  addExpectation(traceId: string, input: IFeedbackInput): void {
    this._start(addWrite(this._ctx, traceId, 'expectation', input));
  }

  edit(
    traceId: string,
    assessmentId: string,
    input: { value: unknown; rationale?: string }
  ): void {
    this._start(editWrite(this._ctx, traceId, assessmentId, input));
  }

  override(
    traceId: string,
    assessmentId: string,
    input: { value: unknown; rationale?: string }
  ): void {
    this._start(overrideWrite(this._ctx, traceId, assessmentId, input));
  }

  remove(traceId: string, assessmentId: string): void {
    this._start(removeWrite(this._ctx, traceId, assessmentId));
  }

  setTag(traceId: string, key: string, value: string): void {
    this._start(setTagWrite(traceId, key, value));
  }

  removeTag(traceId: string, key: string): void {
    this._start(removeTagWrite(traceId, key));
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

  private _start(spec: IWriteSpec): void {
    const write: IWrite = {
      ...spec,
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
  private _ctx: IWriteContext;
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
  /** What failed, as the client says it (it names the server and the status). */
  export function errorText(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
  }
}
