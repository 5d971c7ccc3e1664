/**
 * @jest-environment jsdom
 *
 * A trace output's writes, through a fake Jupyter server whose extension
 * forwards to a tracking server answering as `mlflow server` 3.17.2 does:
 * a confirmed write shows at once, is saved into the output's payload with
 * its text/html and text/plain made again, and the widget, handed its own
 * write back, keeps its view (selection included). A trace named by id
 * only keeps its payload.
 */
import './lab/luminoDom';
import { act, fireEvent } from '@testing-library/react';
import { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { renderTraceText, TRACE_MIME_TYPE } from '../../src/bundle';
import { AssessmentWriter } from '../../src/lab/assessmentWriter';
import { updateSettings } from '../../src/lab/config';
import { setServerSettings } from '../../src/lab/jupyterServer';
import { TraceOutputWidget } from '../../src/lab/widget';
import { ITraceInfoV3 } from '../../src/trace';
import { answer, fakeJupyter } from './lab/fakeJupyter';
import { recordedRaw, renderInto } from './lab/outputs';
import { fakeLayout } from './view/helpers';

beforeAll(fakeLayout);

const assessed = recordedRaw('assessed');
const assessedInfo = assessed.info as unknown as ITraceInfoV3;
const TRACE = assessedInfo.trace_id;
const NOW = '2026-12-07T06:00:00.000Z';

/** The tracking server behind the proxy: reads of the recorded trace, and the writes. */
class Tracking {
  info = JSON.parse(JSON.stringify(assessedInfo)) as ITraceInfoV3;
  writes: string[] = [];
  private _ids = 0;

  handle = async (input: string, init?: RequestInit): Promise<Response> => {
    const url = new URL(input);
    const method = init?.method ?? 'GET';
    const body = init?.body ? JSON.parse(String(init.body)) : undefined;
    if (url.pathname.endsWith('/get-trace-artifact')) {
      return answer(200, { spans: assessed.spans });
    }
    if (method === 'GET') {
      return answer(200, { trace: { trace_info: this.info } });
    }
    this.writes.push(`${method} ${url.pathname}`);
    if (url.pathname.endsWith('/tags')) {
      return answer(200, {});
    }
    if (method === 'POST') {
      return answer(200, {
        assessment: {
          assessment_id: `a-new-${++this._ids}`,
          ...body.assessment,
          // The extension records the Jupyter user, whatever the page sent.
          source: { source_type: 'HUMAN', source_id: 'alice' },
          create_time: NOW,
          last_update_time: NOW,
          valid: true
        }
      });
    }
    return answer(200, {});
  };
}

/** A mime model as the output area's: setData replaces its data and re-renders the widget. */
function outputModel(bundle: unknown): IRenderMime.IMimeModel & {
  sets: number;
} {
  const model = {
    trusted: false,
    sets: 0,
    data: {
      [TRACE_MIME_TYPE]: bundle,
      'text/plain': 'an MLflow trace output'
    } as IRenderMime.IMimeModel['data'],
    metadata: {},
    setData(options: IRenderMime.IMimeModel.ISetDataOptions) {
      model.data = options.data ?? model.data;
      model.sets += 1;
      void widget.renderModel(model);
    }
  };
  return model as never;
}

let widget: TraceOutputWidget;
let tracking: Tracking;

beforeEach(() => {
  (globalThis as { fetch?: unknown }).fetch = jest.fn(
    () => new Promise<Response>(() => {})
  );
  document.cookie = '_xsrf=xsrf-2|abc|def; path=/';
  tracking = new Tracking();
  updateSettings({});
  setServerSettings(
    fakeJupyter({
      config: {
        tracking_uri: 'http://mlflow.internal:5000',
        problem: null,
        user: 'alice'
      } as never,
      tracking: (input, init) => tracking.handle(input, init)
    }).settings
  );
  widget = new TraceOutputWidget({ mimeType: TRACE_MIME_TYPE } as never);
});

afterEach(() => {
  act(() => widget.dispose());
  updateSettings({});
});

async function settle(): Promise<void> {
  await act(async () => {
    for (let i = 0; i < 30; i++) {
      await new Promise(resolve => setTimeout(resolve, 0));
    }
  });
}

/** The widget's writer (what its pane calls). */
function writerOf(w: TraceOutputWidget): AssessmentWriter {
  const writer = (w as unknown as { _writer: AssessmentWriter | null })._writer;
  expect(writer).toBeTruthy();
  return writer!;
}

function loaderOf(w: TraceOutputWidget): unknown {
  return (w as unknown as { _loader: unknown })._loader;
}

function selectedNames(): string[] {
  return Array.from(
    widget.node.querySelectorAll(
      '[role="treeitem"][aria-selected="true"] .jp-MlflowTrace-spanName'
    )
  ).map(element => element.textContent!);
}

const embedded: {
  version: number;
  traces: { trace_id: string; info: ITraceInfoV3; spans: unknown[] }[];
} = {
  version: 1,
  traces: [{ trace_id: TRACE, info: assessedInfo, spans: assessed.spans }]
};

describe('a trace output writing labels', () => {
  it('saves a confirmed write into its payload and fallbacks, and keeps its view when given it back', async () => {
    const model = outputModel(embedded);
    await renderInto(widget, model);
    await settle();
    const writer = writerOf(widget);
    expect(writer.user).toBe('alice');
    expect(writer.disabledReason).toBeUndefined();
    const row = Array.from(
      widget.node.querySelectorAll('[role="treeitem"]')
    ).find(element => element.textContent?.includes('retrieve'))!;
    act(() => {
      fireEvent.click(row);
    });
    expect(selectedNames()).toEqual(['retrieve']);
    const loader = loaderOf(widget);

    act(() =>
      writer.addFeedback(TRACE, {
        name: 'helpful',
        value: true,
        rationale: 'a clear answer from the notebook'
      })
    );
    expect(writer.pending.map(w => w.status)).toEqual(['saving']);
    await settle();
    expect(writer.pending).toEqual([]);
    expect(tracking.writes).toEqual([
      `POST /api/3.0/mlflow/traces/${TRACE}/assessments`
    ]);
    // Saved once, with the info replaced and nothing else changed.
    expect(model.sets).toBe(1);
    const saved = model.data[TRACE_MIME_TYPE] as unknown as typeof embedded;
    expect(saved.traces[0].spans).toBe(assessed.spans);
    const names = saved.traces[0].info.assessments!.map(a => a.assessment_name);
    expect(names).toEqual([
      ...assessedInfo.assessments!.map(a => a.assessment_name),
      'helpful'
    ]);
    expect(String(model.data['text/html'])).toContain(
      'a clear answer from the notebook'
    );
    expect(model.data['text/plain']).toBe(renderTraceText(saved as never));
    // Its own write came back through renderModel: same loader, same selection.
    expect(loaderOf(widget)).toBe(loader);
    expect(selectedNames()).toEqual(['retrieve']);
    const toggle = Array.from(widget.node.querySelectorAll('button')).find(
      button => /^Assessments \(\d+\)$/.test(button.textContent ?? '')
    )!;
    expect(toggle.textContent).toBe(
      `Assessments (${assessedInfo.assessments!.length})`
    );
    act(() => {
      fireEvent.click(toggle);
    });
    expect(widget.node.textContent).toContain(
      'a clear answer from the notebook'
    );

    // The same data after a round trip through the notebook's model (a copy).
    await renderInto(widget, {
      ...model,
      data: JSON.parse(JSON.stringify(model.data))
    } as never);
    expect(loaderOf(widget)).toBe(loader);
    expect(selectedNames()).toEqual(['retrieve']);
  });

  it('applies override, delete and tags as the server does, each saved', async () => {
    const model = outputModel(embedded);
    await renderInto(widget, model);
    await settle();
    const writer = writerOf(widget);
    const judge = 'a-375cb42460ae45f0a2df90f41c1c349b';
    const own = 'a-1c5bdd960ea746cfa92665e7c0cbdad1';
    act(() => {
      writer.override(TRACE, judge, { value: false, rationale: 'no' });
      writer.remove(TRACE, own);
      writer.setTag(TRACE, 'reviewed', 'yes');
      writer.removeTag(TRACE, 'mlflow.traceName');
    });
    await settle();
    expect(model.sets).toBe(4);
    const info = (model.data[TRACE_MIME_TYPE] as unknown as typeof embedded)
      .traces[0].info;
    const byId = new Map(info.assessments!.map(a => [a.assessment_id, a]));
    expect(byId.get(judge)?.valid).toBe(false);
    expect(byId.has(own)).toBe(false);
    expect(
      info.assessments!.find(a => a.overrides === judge)?.feedback?.value
    ).toBe(false);
    expect(info.tags?.reviewed).toBe('yes');
    expect(info.tags?.['mlflow.traceName']).toBeUndefined();
  });

  it('a trace named by id only: the write shows, the payload is left as it is', async () => {
    const ids = { version: 1, traces: [{ trace_id: TRACE }] };
    const model = outputModel(ids);
    await renderInto(widget, model);
    await settle();
    act(() => writerOf(widget).setTag(TRACE, 'reviewed', 'yes'));
    await settle();
    expect(tracking.writes).toEqual([
      `PATCH /api/3.0/mlflow/traces/${TRACE}/tags`
    ]);
    expect(model.sets).toBe(0);
    expect(model.data[TRACE_MIME_TYPE]).toBe(ids);
    expect(widget.node.textContent).toContain('reviewed');
  });

  it('a refused write stays unsaved, and the payload is not touched', async () => {
    const reads = tracking.handle;
    tracking.handle = async (input, init) =>
      (init?.method ?? 'GET') === 'GET'
        ? reads(input, init)
        : answer(403, {
            error_code: 'NOT_YOUR_ASSESSMENT',
            message: 'not yours'
          });
    const model = outputModel(embedded);
    await renderInto(widget, model);
    await settle();
    const writer = writerOf(widget);
    act(() => writer.remove(TRACE, 'a-ad176740198240cbb850232b1f96deda'));
    await settle();
    expect(writer.pending).toEqual([
      expect.objectContaining({ status: 'unsaved' })
    ]);
    expect(model.sets).toBe(0);
  });
});
