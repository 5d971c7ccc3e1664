/**
 * A trace-list output in VS Code: the result table, "Load more" through the
 * server's page token, and the opened or compared traces, all fetched
 * through the extension host. Labels and reviews are JupyterLab's for now.
 */
import React, { useEffect, useReducer } from 'react';
import { decodeTraceListBundle } from '../../bundle';
import { listCaption, TraceListModel } from '../../output/listModel';
import {
  AttachmentFetchContext,
  sessionCaption,
  TraceListOutput
} from '../../view';
import type { HostBridge } from './bridge';
import { attachmentFetchOfBridge } from './traceOutput';

/** The list model of `data`, its requests going through `bridge`. */
export function listModelOf(data: unknown, bridge: HostBridge): TraceListModel {
  return new TraceListModel({
    list: decodeTraceListBundle(data),
    connect: () => bridge.connect()
  });
}

export function TraceListView({
  model,
  bridge
}: {
  model: TraceListModel;
  bridge: HostBridge;
}): React.ReactElement {
  const [, changed] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    model.stateChanged.connect(changed);
    return () => void model.stateChanged.disconnect(changed);
  }, [model]);
  const query = model.list.query;
  const caption =
    query.sessionId !== undefined
      ? sessionCaption(query.sessionId, model.items, query.experimentIds)
      : listCaption(model.items.length, query);
  return (
    <AttachmentFetchContext.Provider value={attachmentFetchOfBridge(bridge)}>
      <TraceListOutput
        caption={caption}
        sessionId={query.sessionId}
        notices={model.list.errors}
        warnings={model.list.warnings}
        items={model.items}
        onLoadMore={
          model.nextPageToken ? () => void model.loadMore() : undefined
        }
        loadingMore={model.loadingMore}
        openedId={model.openedId}
        detail={model.detail}
        onOpen={traceId => void model.open(traceId)}
        onCompare={(left, right) => void model.compare(left, right)}
        onOpenSession={sessionId => model.openSession(sessionId)}
      />
    </AttachmentFetchContext.Provider>
  );
}
