/**
 * MLflow attachment references (`mlflow-attachment://<uuid>?content_type=…&
 * trace_id=…&size=…`): read strictly, never a URL; which may be drawn or
 * played; the placeholder's name; and how the chat reader leaves them (an
 * `image_url` holding one is a note, an input_audio's a text part).
 */
import {
  attachmentKind,
  attachmentLabel,
  attachmentOfNote,
  formatByteSize,
  parseAttachmentRef,
  readConversation
} from '../../../src/trace';

const TRACE = 'tr-12863ead281f73392fb5dcc8deb644cf';
const ID = '98133eb8-271a-41a7-bbfd-c331731f487d';
/** As MLflow 3.17.2's SDK wrote it (Span._store_attachment, Attachment.ref). */
const IMAGE_REF = `mlflow-attachment://${ID}?content_type=image%2Fpng&trace_id=${TRACE}&size=70`;
const AUDIO_REF = `mlflow-attachment://c303b13d-cd06-43b6-ae07-7ed0ad81940b?content_type=audio%2Fwav&trace_id=${TRACE}&size=12`;

describe('parseAttachmentRef', () => {
  it('reads the reference the SDK writes', () => {
    expect(parseAttachmentRef(IMAGE_REF)).toEqual({
      id: ID,
      traceId: TRACE,
      contentType: 'image/png',
      size: 70
    });
    expect(parseAttachmentRef(AUDIO_REF)?.contentType).toBe('audio/wav');
  });

  it('reads an MLflow 2 request id, and no size or a bad one as unknown', () => {
    const ref = `mlflow-attachment://${ID}?content_type=image%2Fpng&trace_id=0123456789abcdef0123456789abcdef`;
    expect(parseAttachmentRef(ref)?.size).toBeUndefined();
    expect(parseAttachmentRef(`${ref}&size=-3`)?.size).toBeUndefined();
    expect(parseAttachmentRef(`${ref}&size=0`)?.size).toBeUndefined();
    expect(parseAttachmentRef(`${ref}&size=1e3`)?.size).toBeUndefined();
  });

  it.each([
    ['another scheme', IMAGE_REF.replace('mlflow-attachment', 'https')],
    ['a data URL', 'data:image/png;base64,iVBORw0KGgo='],
    ['an http URL in place of the id', IMAGE_REF.replace(ID, 'evil.example')],
    ['a path in the id', IMAGE_REF.replace(ID, `../${ID}`)],
    ['a short id', IMAGE_REF.replace(ID, ID.slice(1))],
    ['no query', `mlflow-attachment://${ID}`],
    ['no trace id', IMAGE_REF.replace(`&trace_id=${TRACE}`, '')],
    ['a trace id that is a URL', IMAGE_REF.replace(TRACE, 'http%3A%2F%2Fevil')],
    ['no content type', IMAGE_REF.replace('content_type=image%2Fpng&', '')],
    [
      'a content type with parameters',
      IMAGE_REF.replace('image%2Fpng', 'text%2Fhtml%3B%20x%3D1')
    ],
    [
      'a content type that is not type/subtype',
      IMAGE_REF.replace('image%2Fpng', 'png')
    ],
    ['text around it', `see ${IMAGE_REF}`],
    ['a number', 42],
    ['nothing', undefined]
  ])('is null for %s', (_, value) => {
    expect(parseAttachmentRef(value)).toBeNull();
  });

  it('reads an upper-case id as the lower-case file MLflow wrote', () => {
    expect(
      parseAttachmentRef(IMAGE_REF.replace(ID, ID.toUpperCase()))?.id
    ).toBe(ID);
  });
});

describe('attachmentKind', () => {
  it.each([
    ['image/png', 'image'],
    ['image/jpeg', 'image'],
    ['image/webp', 'image'],
    ['image/gif', 'image'],
    ['audio/wav', 'audio'],
    ['audio/mpeg', 'audio'],
    ['image/svg+xml', 'named'],
    ['text/html', 'named'],
    ['application/pdf', 'named'],
    ['application/octet-stream', 'named'],
    ['video/mp4', 'named']
  ])('%s is %s', (type, kind) => {
    expect(attachmentKind(type)).toBe(kind);
  });
});

describe('the placeholder', () => {
  it('names the attachment, its type and its size', () => {
    expect(attachmentLabel(parseAttachmentRef(IMAGE_REF)!)).toBe(
      `attachment ${ID} (image/png, 70 B)`
    );
    const unsized = parseAttachmentRef(IMAGE_REF.replace('&size=70', ''))!;
    expect(attachmentLabel(unsized)).toBe(`attachment ${ID} (image/png)`);
  });

  it('says sizes as people read them', () => {
    expect(formatByteSize(999)).toBe('999 B');
    expect(formatByteSize(1000)).toBe('1.0 KB');
    expect(formatByteSize(12_345)).toBe('12.3 KB');
    expect(formatByteSize(4_100_000)).toBe('4.1 MB');
    expect(formatByteSize(999_999)).toBe('1.0 MB');
  });
});

describe('references in chat content, as the SDK stores them', () => {
  const inputs = {
    messages: [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'what is this?' },
          { type: 'image_url', image_url: { url: IMAGE_REF } },
          {
            type: 'input_audio',
            input_audio: { data: AUDIO_REF, format: 'wav' }
          }
        ]
      }
    ]
  };

  it('keeps each reference where the chat view finds it', () => {
    const parts = readConversation(inputs)!.messages[0].parts;
    const found = parts
      .map(part =>
        part.kind === 'note'
          ? attachmentOfNote(part.text)
          : part.kind === 'text'
            ? parseAttachmentRef(part.text)
            : null
      )
      .filter(ref => ref !== null)
      .map(ref => ref!.contentType);
    expect(found).toEqual(['image/png', 'audio/wav']);
    // the image is never an image part with the reference as its URL
    expect(parts.some(part => part.kind === 'image')).toBe(false);
  });

  it('finds no attachment in a note about another image', () => {
    expect(attachmentOfNote('image not shown: javascript:alert(1)')).toBeNull();
    expect(attachmentOfNote(`image shown: ${IMAGE_REF}`)).toBeNull();
  });
});
