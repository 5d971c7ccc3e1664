/**
 * Outputs for the widget tests: mime models as the output area hands them
 * over, holding traces recorded from a real `mlflow server`.
 */
import { act } from '@testing-library/react';
import { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { Widget } from '@lumino/widgets';

export { recordedRaw } from './recordedServer';

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
