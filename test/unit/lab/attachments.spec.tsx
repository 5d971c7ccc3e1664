/**
 * @jest-environment jsdom
 *
 * A trace output holding a chat span whose image and recording MLflow's SDK
 * stored as attachments (test/fixtures/attachments.trace.json): each is
 * fetched through the Jupyter server's proxy by trace id and attachment id
 * alone, and shown inline; with no server extension, named placeholders.
 */
import './luminoDom';
import fs from 'fs';
import path from 'path';
import { act, fireEvent } from '@testing-library/react';
import { TRACE_MIME_TYPE, TRACE_SUMMARY_MIME_TYPE } from '../../../src/bundle';
import { updateSettings } from '../../../src/lab/config';
import { setServerSettings } from '../../../src/lab/jupyterServer';
import { TraceSummaryWidget } from '../../../src/lab/summaryWidget';
import { TraceOutputWidget } from '../../../src/lab/widget';
import { fakeLayout } from '../view/helpers';
import {
  answer,
  BASE_URL,
  fakeJupyter,
  ISeenRequest,
  PROXY
} from './fakeJupyter';
import { mimeModel, renderInto } from './outputs';

beforeAll(fakeLayout);

const FIXTURE = JSON.parse(
  fs.readFileSync(
    path.resolve(__dirname, '..', '..', 'fixtures', 'attachments.trace.json'),
    'utf8'
  )
) as {
  info: { trace_id: string };
  spans: unknown[];
  attachments: Record<string, string>;
};
const TRACE_ID = FIXTURE.info.trace_id;
const STORED = new Map(
  Object.entries(FIXTURE.attachments).map(([id, b64]) => [
    id,
    Uint8Array.from(Buffer.from(b64, 'base64'))
  ])
);

let widget: TraceOutputWidget | TraceSummaryWidget | undefined;
let requests: ISeenRequest[];
let created: Blob[];
const globalFetch = jest.fn(() => new Promise<Response>(() => {}));

/**
 * The tracking server behind the fake proxy: MLflow's attachment route, and
 * (for a list under a summary) its search, trace info and spans of the fixture.
 */
async function tracking(input: string): Promise<Response> {
  const url = new URL(input);
  if (url.pathname === '/api/3.0/mlflow/traces/search') {
    return answer(200, { traces: [FIXTURE.info] });
  }
  if (url.pathname === `/api/3.0/mlflow/traces/${TRACE_ID}`) {
    return answer(200, { trace: { trace_info: FIXTURE.info } });
  }
  const id = url.searchParams.get('path');
  if (
    url.pathname === '/ajax-api/3.0/mlflow/get-trace-artifact' &&
    id === null
  ) {
    return answer(200, { spans: FIXTURE.spans });
  }
  const bytes = id === null ? undefined : STORED.get(id);
  if (
    url.pathname !== '/ajax-api/3.0/mlflow/get-trace-artifact' ||
    url.searchParams.get('request_id') !== TRACE_ID ||
    bytes === undefined
  ) {
    return answer(404, { error_code: 'RESOURCE_DOES_NOT_EXIST' });
  }
  return {
    status: 200,
    ok: true,
    statusText: 'OK',
    headers: { get: () => null },
    text: async () => '',
    arrayBuffer: async () => bytes.slice().buffer
  } as unknown as Response;
}

beforeEach(() => {
  (globalThis as { fetch?: unknown }).fetch = globalFetch;
  globalFetch.mockClear();
  document.cookie = '_xsrf=xsrf-1; path=/';
  created = [];
  URL.createObjectURL = jest.fn((blob: Blob) => {
    created.push(blob);
    return `blob:lab/${created.length}`;
  });
  URL.revokeObjectURL = jest.fn();
  updateSettings({});
});

afterEach(() => {
  act(() => widget?.dispose());
  widget = undefined;
  updateSettings({});
});

/** A Blob's bytes (jsdom's Blob has no arrayBuffer()). */
function bytesOf(blob: Blob): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(new Uint8Array(reader.result as ArrayBuffer));
    reader.onerror = () => reject(reader.error);
    reader.readAsArrayBuffer(blob);
  });
}

async function settle(): Promise<void> {
  await act(async () => {
    for (let i = 0; i < 30; i++) {
      await new Promise(resolve => setTimeout(resolve, 0));
    }
  });
}

async function showFixture(
  config: 404 | { tracking_uri: string; problem: null }
) {
  const jupyter = fakeJupyter({ config, tracking });
  requests = jupyter.requests;
  setServerSettings(jupyter.settings);
  widget = new TraceOutputWidget({ mimeType: TRACE_MIME_TYPE } as never);
  await renderInto(
    widget,
    mimeModel(TRACE_MIME_TYPE, {
      version: 1,
      traces: [{ trace_id: TRACE_ID, info: FIXTURE.info, spans: FIXTURE.spans }]
    })
  );
  await settle();
  return widget.node;
}

describe('attachments in a trace output', () => {
  it('fetches each through the proxy by trace id and attachment id, and shows it inline', async () => {
    const node = await showFixture({
      tracking_uri: 'http://mlflow.internal:5000',
      problem: null
    });
    const img = node.querySelector('img.jp-MlflowTrace-attachment');
    const audio = node.querySelector('audio.jp-MlflowTrace-attachment');
    expect(img?.getAttribute('src')).toMatch(/^blob:lab\//);
    expect(audio?.getAttribute('src')).toMatch(/^blob:lab\//);
    const [imageId, audioId] = [img, audio].map(
      element =>
        /attachment ([0-9a-f-]{36})/.exec(element!.getAttribute('title')!)![1]
    );
    expect(new Set([imageId, audioId])).toEqual(new Set(STORED.keys()));
    const asked = requests
      .filter(r => r.url.startsWith(PROXY))
      .map(r => r.url.slice(PROXY.length));
    expect(asked.sort()).toEqual(
      [imageId, audioId]
        .map(
          id =>
            `ajax-api/3.0/mlflow/get-trace-artifact?request_id=${TRACE_ID}&path=${id}`
        )
        .sort()
    );
    expect(requests.every(r => r.url.startsWith(BASE_URL))).toBe(true);
    expect(globalFetch).not.toHaveBeenCalled();
    const bytes = await Promise.all(
      created.map(async blob => [blob.type, await bytesOf(blob)])
    );
    expect(bytes).toEqual(
      expect.arrayContaining([
        ['image/png', STORED.get(imageId)],
        ['audio/wav', STORED.get(audioId)]
      ])
    );
    expect(node.innerHTML).not.toContain('mlflow-attachment://');
  });

  it('names each attachment when there is no server extension', async () => {
    const node = await showFixture(404);
    expect(
      node.querySelector('img.jp-MlflowTrace-attachment, audio')
    ).toBeNull();
    const placeholders = Array.from(
      node.querySelectorAll('.jp-MlflowTrace-attachmentPlaceholder')
    ).map(p => p.textContent);
    expect(placeholders).toHaveLength(2);
    for (const text of placeholders) {
      expect(text).toMatch(
        /^attachment [0-9a-f-]{36} \((image\/png|audio\/wav), \d+ B\) no server to fetch it from$/
      );
    }
    expect(requests.some(r => r.url.includes('get-trace-artifact'))).toBe(
      false
    );
    expect(globalFetch).not.toHaveBeenCalled();
  });

  it('fetches them for a trace opened from the list under a summary', async () => {
    const jupyter = fakeJupyter({
      config: { tracking_uri: 'http://mlflow.internal:5000', problem: null },
      tracking
    });
    requests = jupyter.requests;
    setServerSettings(jupyter.settings);
    const summary = JSON.parse(
      fs.readFileSync(
        path.resolve(
          __dirname,
          '../../../contract/examples/trace-summary/full.json'
        ),
        'utf8'
      )
    );
    const output = new TraceSummaryWidget({
      mimeType: TRACE_SUMMARY_MIME_TYPE
    } as never);
    widget = output;
    await renderInto(output, mimeModel(TRACE_SUMMARY_MIME_TYPE, summary));
    fireEvent.click(output.node.querySelector('figure [data-bucket="1"]')!);
    await settle();
    const row = output.node.querySelector(
      `[role="row"][data-trace-id="${TRACE_ID}"]`
    );
    expect(row).not.toBeNull();
    fireEvent.click(row!);
    await settle();
    const img = output.node.querySelector('img.jp-MlflowTrace-attachment');
    expect(img?.getAttribute('src')).toMatch(/^blob:lab\//);
    const imageId = /attachment ([0-9a-f-]{36})/.exec(
      img!.getAttribute('title')!
    )![1];
    expect(
      requests.some(r =>
        r.url.endsWith(
          `get-trace-artifact?request_id=${TRACE_ID}&path=${imageId}`
        )
      )
    ).toBe(true);
    expect(globalFetch).not.toHaveBeenCalled();
    expect(
      output.node.querySelector('.jp-MlflowTrace-attachmentPlaceholder')
    ).toBeNull();
  });
});
