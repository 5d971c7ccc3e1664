/**
 * A trace output in VS Code: the bundle's traces through a TraceLoader,
 * those given by id fetched through the extension host. A newer payload of
 * the same traces (a live trace's update) updates the loader in place, so
 * the view keeps its selection and search.
 */
import React, { useEffect, useReducer } from 'react';
import {
  DATABRICKS_TRACE_MIME_TYPE,
  decodeDatabricksBundle,
  decodeTraceBundle,
  IDecodedBundle
} from '../../bundle';
import {
  bundleNotices,
  SEE_NOTICE_ABOVE,
  TraceLoader
} from '../../output/loader';
import { attachmentFetchOf } from '../../output/listModel';
import { AttachmentFetchContext, TraceOutput } from '../../view';
import type { HostBridge } from './bridge';

/** The state of one trace output; `changed` after each change. */
export class TraceOutputModel {
  constructor(private readonly _bridge: HostBridge) {}

  /** Show `data` (of `mime`), in place when it holds the same traces. */
  setData(mime: string, data: unknown): void {
    const receivedAtMs = Date.now();
    const bundle =
      mime === DATABRICKS_TRACE_MIME_TYPE
        ? decodeDatabricksBundle(data)
        : decodeTraceBundle(data);
    this._setNotices(bundle);
    if (this.loader?.update(bundle, receivedAtMs)) {
      this._changed();
      return;
    }
    const generation = ++this._generation;
    const needsServer = bundle.traces.some(t => !t.embedded && !t.error);
    this._use(
      new TraceLoader({
        bundle,
        trackingUri: undefined,
        awaitingServer: needsServer,
        receivedAtMs
      })
    );
    void this._bridge.server.then(server => {
      if (generation !== this._generation || this._disposed) {
        return;
      }
      if (server.problem !== undefined) {
        if (needsServer) {
          this.notices = [...this.notices, server.problem];
          this._use(
            new TraceLoader({
              bundle,
              trackingUri: undefined,
              serverProblem: SEE_NOTICE_ABOVE,
              receivedAtMs
            })
          );
        }
        return;
      }
      const options = this._bridge.clientOptions(server.trackingUri);
      if (needsServer) {
        this._use(new TraceLoader({ bundle, receivedAtMs, ...options }));
      } else {
        // Everything is embedded: the host serves Refresh and running traces' polls.
        this.loader?.connect(options);
        this._changed();
      }
    });
  }

  /** Call `listener` after each change; returns how to stop. */
  onChange(listener: () => void): () => void {
    this._listeners.add(listener);
    return () => this._listeners.delete(listener);
  }

  dispose(): void {
    this._disposed = true;
    this.loader?.dispose();
    this._listeners.clear();
  }

  loader: TraceLoader | null = null;
  notices: string[] = [];
  warnings: readonly string[] = [];
  compare = false;

  private _use(loader: TraceLoader): void {
    this.loader?.dispose();
    this.loader = loader;
    loader.stateChanged.connect(this._changed, this);
    this._changed();
    loader.start();
  }

  private _setNotices(bundle: IDecodedBundle): void {
    this.notices = bundleNotices(bundle);
    this.warnings = bundle.warnings;
    this.compare = bundle.compare;
  }

  private _changed(): void {
    this._listeners.forEach(listener => listener());
  }

  private _generation = 0;
  private _disposed = false;
  private _listeners = new Set<() => void>();
}

/** The view of a TraceOutputModel, rendered again on each change. */
export function TraceOutputView({
  model,
  bridge,
  fallbackText
}: {
  model: TraceOutputModel;
  bridge: HostBridge;
  fallbackText?: string;
}): React.ReactElement | null {
  const [, changed] = useReducer((n: number) => n + 1, 0);
  useEffect(() => model.onChange(changed), [model]);
  const loader = model.loader;
  if (!loader) {
    return null;
  }
  return (
    <AttachmentFetchContext.Provider value={attachmentFetchOfBridge(bridge)}>
      <TraceOutput
        entries={loader.entries}
        notices={model.notices}
        warnings={model.warnings}
        fallbackText={fallbackText}
        onRefresh={
          loader.canFetch ? index => void loader.refresh(index) : undefined
        }
        compare={model.compare}
      />
    </AttachmentFetchContext.Provider>
  );
}

// One attachment fetch per bridge, so the views keep what they loaded.
const fetches = new WeakMap<HostBridge, ReturnType<typeof attachmentFetchOf>>();

/** How views fetch attachments: by trace and attachment id, through the host. */
export function attachmentFetchOfBridge(
  bridge: HostBridge
): ReturnType<typeof attachmentFetchOf> {
  let fetch = fetches.get(bridge);
  if (!fetch) {
    fetch = attachmentFetchOf(() => bridge.connect());
    fetches.set(bridge, fetch);
  }
  return fetch;
}
