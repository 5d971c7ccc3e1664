/**
 * A trace attachment in a message: an image drawn or a recording played from
 * the bytes the host fetched (through its own server, by trace id and
 * attachment id), or, for any other type, without a server, or when the
 * fetch fails, a placeholder naming it: `attachment <id> (<type>, <size>)`.
 *
 * #### Notes
 * The host (src/lab) provides the fetch through {@link AttachmentFetchContext};
 * nothing in the reference is used as a URL: the element's source is an
 * object URL of the fetched Blob, revoked when the view goes away.
 */
import React from 'react';
import { attachmentKind, attachmentLabel, IAttachmentRef } from '../trace';

/** Fetches one attachment's bytes from the output's server. */
export type AttachmentFetch = (
  ref: IAttachmentRef,
  signal: AbortSignal
) => Promise<Blob>;

/** The host's fetch of attachments; undefined (the default) when there is no server. */
export const AttachmentFetchContext = React.createContext<
  AttachmentFetch | undefined
>(undefined);

type Loaded =
  | { state: 'loading' }
  | { state: 'shown'; url: string }
  | { state: 'failed'; reason: string };

/** Props of {@link AttachmentView}. */
export interface IAttachmentViewProps {
  attachment: IAttachmentRef;
}

/** One attachment, inline when it is an image or audio and a server serves it. */
export function AttachmentView({
  attachment
}: IAttachmentViewProps): React.ReactElement {
  const fetchAttachment = React.useContext(AttachmentFetchContext);
  const kind = attachmentKind(attachment.contentType);
  const label = attachmentLabel(attachment);
  const loaded = useAttachmentUrl(
    kind === 'named' ? undefined : fetchAttachment,
    attachment
  );
  if (kind === 'named' || !fetchAttachment || loaded.state !== 'shown') {
    const why =
      kind === 'named'
        ? undefined
        : !fetchAttachment
          ? 'no server to fetch it from'
          : loaded.state === 'failed'
            ? `not loaded: ${loaded.reason}`
            : 'loading…';
    return (
      <div
        className="jp-MlflowTrace-attachment jp-MlflowTrace-attachmentPlaceholder"
        aria-label={label}
      >
        {label}
        {why !== undefined && (
          <span className="jp-MlflowTrace-attachmentWhy"> {why}</span>
        )}
      </div>
    );
  }
  return kind === 'image' ? (
    <img
      className="jp-MlflowTrace-chatImage jp-MlflowTrace-attachment"
      src={loaded.url}
      alt={label}
      title={label}
    />
  ) : (
    <audio
      className="jp-MlflowTrace-attachment"
      src={loaded.url}
      controls
      preload="metadata"
      aria-label={label}
      title={label}
    />
  );
}

/** An object URL of the fetched attachment, revoked on unmount or change. */
function useAttachmentUrl(
  fetchAttachment: AttachmentFetch | undefined,
  attachment: IAttachmentRef
): Loaded {
  const [loaded, setLoaded] = React.useState<Loaded>({ state: 'loading' });
  const { id, traceId, contentType, size } = attachment;
  React.useEffect(() => {
    if (!fetchAttachment) {
      return;
    }
    setLoaded({ state: 'loading' });
    const controller = new AbortController();
    let url: string | undefined;
    fetchAttachment({ id, traceId, contentType, size }, controller.signal)
      .then(blob => {
        if (controller.signal.aborted) {
          return;
        }
        // Typed from the reference: the view never trusts the server's type.
        url = URL.createObjectURL(
          blob.type === contentType
            ? blob
            : new Blob([blob], { type: contentType })
        );
        setLoaded({ state: 'shown', url });
      })
      .catch((error: unknown) => {
        if (!controller.signal.aborted) {
          const reason = error instanceof Error ? error.message : String(error);
          setLoaded({ state: 'failed', reason });
        }
      });
    return () => {
      controller.abort();
      if (url !== undefined) {
        URL.revokeObjectURL(url);
      }
    };
  }, [fetchAttachment, id, traceId, contentType, size]);
  return loaded;
}
