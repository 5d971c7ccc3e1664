/**
 * @jest-environment jsdom
 *
 * A live trace output updated in place (update_display_data: JupyterLab
 * calls renderModel again on the same widget): the view is not rebuilt, and
 * the selection, collapsed rows, search and its current match, zoom and the
 * scroll position of the rows survive each update.
 */
import './luminoDom';
import { act, fireEvent } from '@testing-library/react';
import { TRACE_MIME_TYPE } from '../../../src/bundle';
import { updateSettings } from '../../../src/lab/config';
import { TraceOutputWidget } from '../../../src/lab/widget';
import { fakeLayout } from '../view/helpers';
import {
  agentSpans,
  BROWSER_MS,
  ILiveSpanSpec,
  livePayload,
  runningLive
} from '../view/live-fixtures';
import { mimeModel, renderInto } from './outputs';

beforeAll(fakeLayout);

let widget: TraceOutputWidget;
const fetchMock = jest.fn(() => new Promise<Response>(() => {}));

beforeEach(() => {
  (globalThis as { fetch?: unknown }).fetch = fetchMock;
  fetchMock.mockClear();
  // The browser's clock near the kernel's: the updates are fresh.
  jest.spyOn(Date, 'now').mockReturnValue(BROWSER_MS);
  widget = new TraceOutputWidget({ mimeType: TRACE_MIME_TYPE } as never);
});

afterEach(() => {
  act(() => widget.dispose());
  updateSettings({});
  jest.restoreAllMocks();
});

/** The agent at step `step`: `step` sub-steps under retrieve, then generate. */
function agentAt(step: number): ILiveSpanSpec[] {
  const lookups: ILiveSpanSpec[] = Array.from({ length: step }, (_, i) => ({
    id: `b0000000000000${String(i + 10).padStart(2, '0')}`,
    parent: 'a000000000000003',
    name: `lookup ${i}`,
    fromMs: 1300 + i * 50,
    toMs: 1340 + i * 50
  }));
  return agentSpans([
    ...lookups,
    {
      id: 'a000000000000009',
      parent: 'a000000000000001',
      name: 'generate',
      fromMs: 1300 + step * 50,
      toMs: null
    }
  ]);
}

const update = (step: number) =>
  renderInto(
    widget,
    mimeModel(
      TRACE_MIME_TYPE,
      livePayload(agentAt(step), runningLive(1400 + step * 50, step + 1))
    )
  );

const q = <T extends Element = HTMLElement>(selector: string) =>
  widget.node.querySelector<T>(selector);

function row(name: string): HTMLElement | undefined {
  return Array.from(
    widget.node.querySelectorAll<HTMLElement>('[role="treeitem"]')
  ).find(
    r => r.querySelector('.jp-MlflowTrace-spanName')!.textContent === name
  );
}

describe('A live trace output updated in place', () => {
  it('keeps the view and its state across updates', async () => {
    await update(2);
    const explorer = q('.jp-MlflowTrace-explorer');
    expect(explorer?.getAttribute('data-live-sequence')).toBe('3');

    // Select plan, collapse retrieve, search, zoom, scroll.
    fireEvent.click(row('plan')!);
    fireEvent.click(row('retrieve')!.querySelector('.jp-MlflowTrace-toggle')!);
    expect(row('lookup 0')).toBeUndefined();
    const search = q<HTMLInputElement>('input[type="search"]')!;
    fireEvent.change(search, { target: { value: 'lookup 1' } });
    const count = () => q('.jp-MlflowTrace-searchCount')!.textContent;
    expect(count()).toBe('1 of 1');
    const axis = q('svg.jp-MlflowTrace-axis')!;
    const wheel = new WheelEvent('wheel', { deltaY: -Math.log(2) / 0.002 });
    Object.defineProperty(wheel, 'offsetX', { value: 0 });
    act(() => {
      axis.dispatchEvent(wheel);
    });
    const planBar = () =>
      row('plan')!.querySelector<HTMLElement>('.jp-MlflowTrace-bar')!.style
        .cssText;
    const zoomedPlan = planBar();
    const scroller = q('.jp-MlflowTrace-scroller')!;
    scroller.scrollTop = 48;
    fireEvent.scroll(scroller);

    // Searching revealed lookup 1 (expanding retrieve); collapse it again.
    fireEvent.click(row('retrieve')!.querySelector('.jp-MlflowTrace-toggle')!);
    fireEvent.click(row('plan')!);

    for (const step of [3, 4, 5]) {
      await update(step);
      expect(q('.jp-MlflowTrace-explorer')).toBe(explorer);
      expect(explorer!.getAttribute('data-live-sequence')).toBe(
        String(step + 1)
      );
      expect(row('plan')!.getAttribute('aria-selected')).toBe('true');
      expect(q('.jp-MlflowTrace-detailsTitle')!.textContent).toBe('plan');
      expect(row('retrieve')!.getAttribute('aria-expanded')).toBe('false');
      expect(row(`lookup ${step - 1}`)).toBeUndefined();
      expect(search.value).toBe('lookup 1');
      expect(count()).toBe('1 of 1');
      expect(planBar()).toBe(zoomedPlan);
      expect(scroller.scrollTop).toBe(48);
    }
    // The newest step is there, and running.
    expect(row('generate')!.classList).toContain('jp-MlflowTrace-mod-running');
    expect(fetchMock).not.toHaveBeenCalled();
  });
});
