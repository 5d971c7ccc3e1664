/**
 * @jest-environment jsdom
 *
 * MLflow attachments in the chat view: an image drawn and a recording played
 * from the Blob the host fetched by (trace id, attachment id), through an
 * object URL revoked on unmount; any other type, no host fetch, or a failed
 * fetch: a placeholder naming the attachment. Nothing in a reference is
 * ever loaded as a URL.
 */
import React from 'react';
import { act, render, waitFor } from '@testing-library/react';
import { IAttachmentRef, readConversation } from '../../../src/trace';
import {
  AttachmentFetch,
  AttachmentFetchContext,
  AttachmentView
} from '../../../src/view/AttachmentView';
import { ChatView } from '../../../src/view/ChatView';

const TRACE = 'tr-12863ead281f73392fb5dcc8deb644cf';
const IMAGE_ID = '98133eb8-271a-41a7-bbfd-c331731f487d';
const AUDIO_ID = 'c303b13d-cd06-43b6-ae07-7ed0ad81940b';
const ref = (id: string, type: string, size = 70) =>
  `mlflow-attachment://${id}?content_type=${encodeURIComponent(type)}&trace_id=${TRACE}&size=${size}`;

/** A user message as MLflow's SDK stores it: an image_url and an input_audio holding references. */
const MESSAGES = readConversation({
  messages: [
    {
      role: 'user',
      content: [
        { type: 'text', text: 'what is this?' },
        { type: 'image_url', image_url: { url: ref(IMAGE_ID, 'image/png') } },
        {
          type: 'input_audio',
          input_audio: { data: ref(AUDIO_ID, 'audio/wav', 12), format: 'wav' }
        }
      ]
    }
  ]
})!.messages;

let created: Blob[];
let revoked: string[];
const globalFetch = jest.fn();

beforeEach(() => {
  created = [];
  revoked = [];
  globalFetch.mockReset();
  (globalThis as { fetch?: unknown }).fetch = globalFetch;
  URL.createObjectURL = jest.fn((blob: Blob) => {
    created.push(blob);
    return `blob:test/${created.length}`;
  });
  URL.revokeObjectURL = jest.fn((url: string) => {
    revoked.push(url);
  });
});

function withFetch(
  fetchAttachment: AttachmentFetch | undefined,
  node: React.ReactElement
) {
  return render(
    <AttachmentFetchContext.Provider value={fetchAttachment}>
      {node}
    </AttachmentFetchContext.Provider>
  );
}

/** A host fetch answering every attachment with bytes of the server's own type. */
function hostFetch(): jest.Mock<Promise<Blob>, [IAttachmentRef, AbortSignal]> {
  return jest.fn(
    async (_ref: IAttachmentRef, _signal: AbortSignal) =>
      new Blob([new Uint8Array([1, 2, 3])], {
        type: 'application/octet-stream'
      })
  );
}

describe('attachments in the chat view', () => {
  it('draws the image and plays the recording the host fetched by id', async () => {
    const fetchAttachment = hostFetch();
    const { container } = withFetch(
      fetchAttachment,
      <ChatView messages={MESSAGES} />
    );
    await waitFor(() => expect(container.querySelector('img')).not.toBeNull());
    await waitFor(() =>
      expect(container.querySelector('audio')).not.toBeNull()
    );
    const img = container.querySelector('img')!;
    const audio = container.querySelector('audio')!;
    expect(img.getAttribute('src')).toMatch(/^blob:test\//);
    expect(img.getAttribute('alt')).toBe(
      `attachment ${IMAGE_ID} (image/png, 70 B)`
    );
    expect(audio.getAttribute('src')).toMatch(/^blob:test\//);
    expect(audio.hasAttribute('controls')).toBe(true);
    expect(
      fetchAttachment.mock.calls.map(([r]) => [r.traceId, r.id, r.contentType])
    ).toEqual([
      [TRACE, IMAGE_ID, 'image/png'],
      [TRACE, AUDIO_ID, 'audio/wav']
    ]);
    // typed from the reference, not from the server's answer
    expect(created.map(blob => blob.type).sort()).toEqual([
      'audio/wav',
      'image/png'
    ]);
    // nothing loaded from the trace: no element names the reference, no fetch of its own
    expect(container.innerHTML).not.toContain('mlflow-attachment://');
    expect(globalFetch).not.toHaveBeenCalled();
    expect(container.textContent).toContain('what is this?');
  });

  it('names each attachment when there is no server', () => {
    const { container } = withFetch(
      undefined,
      <ChatView messages={MESSAGES} />
    );
    expect(container.querySelector('img, audio')).toBeNull();
    const placeholders = Array.from(
      container.querySelectorAll('.jp-MlflowTrace-attachmentPlaceholder')
    ).map(p => p.textContent);
    expect(placeholders).toEqual([
      `attachment ${IMAGE_ID} (image/png, 70 B) no server to fetch it from`,
      `attachment ${AUDIO_ID} (audio/wav, 12 B) no server to fetch it from`
    ]);
    expect(globalFetch).not.toHaveBeenCalled();
    expect(created).toEqual([]);
  });
});

describe('AttachmentView', () => {
  const attachment = (contentType: string): IAttachmentRef => ({
    id: IMAGE_ID,
    traceId: TRACE,
    contentType,
    size: 2048
  });

  it.each(['image/svg+xml', 'text/html', 'application/pdf', 'video/mp4'])(
    'only names a %s attachment, and never fetches it',
    contentType => {
      const fetchAttachment = hostFetch();
      const { container } = withFetch(
        fetchAttachment,
        <AttachmentView attachment={attachment(contentType)} />
      );
      expect(container.textContent).toBe(
        `attachment ${IMAGE_ID} (${contentType}, 2.0 KB)`
      );
      expect(
        container.querySelector('img, audio, iframe, object, embed')
      ).toBeNull();
      expect(fetchAttachment).not.toHaveBeenCalled();
    }
  );

  it('says why when the fetch fails, and shows nothing drawn', async () => {
    const failing: AttachmentFetch = async () => {
      throw new Error('HTTP 404');
    };
    const { container } = withFetch(
      failing,
      <AttachmentView attachment={attachment('image/png')} />
    );
    await waitFor(() =>
      expect(container.textContent).toContain('not loaded: HTTP 404')
    );
    expect(container.textContent).toContain(
      `attachment ${IMAGE_ID} (image/png, 2.0 KB)`
    );
    expect(container.querySelector('img')).toBeNull();
  });

  it('revokes its object URL when it goes away, and aborts a fetch under way', async () => {
    const fetchAttachment = hostFetch();
    const view = withFetch(
      fetchAttachment,
      <AttachmentView attachment={attachment('image/png')} />
    );
    await waitFor(() =>
      expect(view.container.querySelector('img')).not.toBeNull()
    );
    const src = view.container.querySelector('img')!.getAttribute('src');
    act(() => view.unmount());
    expect(revoked).toEqual([src]);

    let signal: AbortSignal | undefined;
    const pending: AttachmentFetch = (_, s) => {
      signal = s;
      return new Promise<Blob>(() => undefined);
    };
    const second = withFetch(
      pending,
      <AttachmentView attachment={attachment('audio/wav')} />
    );
    expect(second.container.textContent).toContain('loading…');
    act(() => second.unmount());
    expect(signal?.aborted).toBe(true);
  });
});
