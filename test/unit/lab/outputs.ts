/**
 * Outputs for the widget tests: mime models as the output area hands them
 * over, holding traces recorded from a real `mlflow server`.
 */
import fs from 'fs';
import path from 'path';
import { act } from '@testing-library/react';
import { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { Widget } from '@lumino/widgets';

const RECORDED = path.resolve(__dirname, '..', '..', 'fixtures', 'recorded');

/** The info and span dicts of a recorded trace. */
export function recordedRaw(label: string): {
  info: Record<string, unknown>;
  spans: unknown[];
} {
  const info = JSON.parse(
    fs.readFileSync(path.join(RECORDED, `${label}.info.json`), 'utf8')
  );
  const data = JSON.parse(
    fs.readFileSync(path.join(RECORDED, `${label}.spans.json`), 'utf8')
  );
  return { info: info.trace.trace_info, spans: data.spans };
}

/** A mime model holding `data` under `mimeType`, with a text/plain line. */
export function mimeModel(
  mimeType: string,
  data: unknown,
  options: { trusted?: boolean; text?: string } = {}
): IRenderMime.IMimeModel {
  return {
    trusted: options.trusted ?? false,
    data: {
      [mimeType]: data,
      'text/plain': options.text ?? 'an MLflow trace output'
    },
    metadata: {},
    setData: () => {}
  } as unknown as IRenderMime.IMimeModel;
}

/** Attach `widget`, render `model` into it and let React commit. */
export async function renderInto(
  widget: Widget & IRenderMime.IRenderer,
  model: IRenderMime.IMimeModel
): Promise<void> {
  if (!widget.isAttached) {
    Widget.attach(widget, document.body);
  }
  await act(async () => {
    await widget.renderModel(model);
  });
}
