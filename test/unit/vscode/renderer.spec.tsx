/**
 * @jest-environment jsdom
 *
 * The VS Code renderer's entry (src/vscode/renderer/index.tsx) as VS Code
 * calls it: activate once, renderOutputItem per output item (again for an
 * update), disposeOutputItem. Traces recorded from a real `mlflow server`.
 */
import { act } from '@testing-library/react';
import type { OutputItem, RendererApi } from 'vscode-notebook-renderer';
import {
  DATABRICKS_TRACE_MIME_TYPE,
  TRACE_LIST_MIME_TYPE,
  TRACE_MIME_TYPE
} from '../../../src/bundle';
import { activate } from '../../../src/vscode/renderer';
import { recordedRaw } from '../lab/recordedServer';
import { fakeLayout } from '../view/helpers';

const nested = recordedRaw('nested');
const embedded = {
  version: 1,
  traces: [
    { trace_id: nested.info.trace_id, info: nested.info, spans: nested.spans }
  ]
};
const ID_ONLY = 'tr-0123456789abcdef0123456789abcdef';

function item(
  id: string,
  mime: string,
  value: unknown,
  raw?: string
): OutputItem {
  const text = raw ?? JSON.stringify(value);
  return {
    id,
    mime,
    metadata: {},
    text: () => text,
    json: () => JSON.parse(text),
    data: () => new TextEncoder().encode(text),
    blob: () => new Blob([text])
  } as OutputItem;
}

let api: RendererApi;
let element: HTMLElement;

async function render(output: OutputItem): Promise<void> {
  await act(async () => {
    await api.renderOutputItem(output, element, new AbortController().signal);
  });
}

const spanNames = () =>
  Array.from(
    element.querySelectorAll('[role="treeitem"] .jp-MlflowTrace-spanName')
  ).map(node => node.textContent);

beforeAll(async () => {
  fakeLayout();
  // No messaging: VS Code gave this renderer no extension host.
  api = (await activate({
    getState: () => undefined,
    setState: () => undefined,
    getRenderer: async () => undefined,
    workspace: { isTrusted: true },
    settings: {}
  } as never))!;
});

beforeEach(() => {
  element = document.createElement('div');
  document.body.appendChild(element);
});

afterEach(() => {
  act(() => api.disposeOutputItem?.(undefined));
  element.remove();
});

describe('the VS Code renderer', () => {
  it('injects our styles once and mirrors the theme into data-jp-theme-*', async () => {
    expect(document.head.querySelectorAll('style')).toHaveLength(1);
    expect(document.body.getAttribute('data-jp-theme-light')).toBe('false');
    document.body.className = 'vscode-light';
    document.body.dataset.vscodeThemeId = 'Default Light Modern';
    await act(async () => await new Promise(resolve => setTimeout(resolve, 0)));
    expect(document.body.getAttribute('data-jp-theme-light')).toBe('true');
    expect(document.body.getAttribute('data-jp-theme-name')).toBe(
      'Default Light Modern'
    );
  });

  it('renders an embedded trace as the explorer, and an update in place', async () => {
    await render(item('out-1', TRACE_MIME_TYPE, embedded));
    const names = spanNames();
    expect(names.length).toBe(nested.spans.length);
    const root = element.querySelector('.jp-MlflowTrace');
    await render(item('out-1', TRACE_MIME_TYPE, embedded));
    expect(element.querySelector('.jp-MlflowTrace')).toBe(root);
    expect(spanNames()).toEqual(names);
  });

  it('a trace given by id, with no extension host, says what is missing', async () => {
    await render(
      item('out-2', TRACE_MIME_TYPE, {
        version: 1,
        traces: [{ trace_id: ID_ONLY }]
      })
    );
    await act(async () => await new Promise(resolve => setTimeout(resolve, 0)));
    expect(element.textContent).toMatch(/no extension host to fetch through/);
    expect(element.textContent).toContain(ID_ONLY);
  });

  it('a bad payload names what is wrong', async () => {
    await render(item('out-3', TRACE_MIME_TYPE, { version: 7, traces: 'no' }));
    expect(element.querySelector('[role="alert"]')?.textContent).toMatch(
      /version|traces/
    );
  });

  it("reads Databricks trace ids from VS Code's text", async () => {
    const other = 'tr-fedcba9876543210fedcba9876543210';
    const raw = JSON.stringify([{ trace_id: ID_ONLY }, { trace_id: other }]);
    await render(item('out-4', DATABRICKS_TRACE_MIME_TYPE, undefined, raw));
    await act(async () => await new Promise(resolve => setTimeout(resolve, 0)));
    expect(element.textContent).toContain(ID_ONLY);
    expect(element.textContent).toContain(other);
    expect(element.textContent).toMatch(/no extension host to fetch through/);
  });

  it('renders a trace list and unmounts it on dispose', async () => {
    await render(
      item('out-5', TRACE_LIST_MIME_TYPE, {
        version: 1,
        query: {
          experiment_ids: ['1'],
          filter: null,
          order_by: [],
          max_results: 10
        },
        traces: [{ trace_id: nested.info.trace_id, info: nested.info }]
      })
    );
    expect(element.textContent).toContain('1 traces from experiment 1');
    act(() => api.disposeOutputItem?.('out-5'));
    expect(
      element.querySelector('.jp-MlflowTraceList')?.childElementCount
    ).toBe(0);
  });
});
