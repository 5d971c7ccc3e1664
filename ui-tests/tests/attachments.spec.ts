/**
 * Attachments in real JupyterLab: a chat span whose image and recording
 * MLflow's Python SDK stored as trace attachments
 * (test/fixtures/write_attachments.py, written to the live server). The
 * output names the trace only; the renderer fetches it and each attachment
 * through the Jupyter server's proxy, and the image shows inline (decoded:
 * its 2 x 2 pixels), the recording as a player. No request leaves for the
 * tracking server from the page.
 */
import { execFileSync } from 'child_process';
import path from 'path';
import { expect, test } from '@jupyterlab/galata';
import {
  codeCell,
  idsOnlyBundle,
  liveServer,
  notebook,
  traceOutput,
  uploadNotebook
} from '../notebooks';
import { traceWidget } from '../trace-dom';

const ROOT = path.resolve(__dirname, '..', '..');
const { url } = liveServer();

test.setTimeout(180_000);

test("an image attachment written by MLflow's SDK shows inline", async ({
  page,
  request,
  tmpPath
}) => {
  const written = JSON.parse(
    execFileSync(
      path.join(ROOT, '.venv', 'bin', 'python'),
      [
        path.join(ROOT, 'test', 'fixtures', 'write_attachments.py'),
        `ui-attachments-${Date.now()}-${process.pid}`
      ],
      { encoding: 'utf8', env: { ...process.env, MLFLOW_TRACKING_URI: url } }
    )
      .trim()
      .split('\n')
      .pop() as string
  ) as { trace_id: string; attachment_ids: string[] };
  expect(written.attachment_ids).toHaveLength(2);

  const pageRequests: string[] = [];
  page.on('request', r => pageRequests.push(r.url()));

  const nb = notebook([
    codeCell('mlflow.get_trace(trace_id)', [
      traceOutput(idsOnlyBundle([written.trace_id]))
    ])
  ]);
  const nbPath = `${tmpPath}/attachments.ipynb`;
  await uploadNotebook(request, nbPath, nb, { trusted: false });
  await page.notebook.openByPath(nbPath);
  await page.notebook.activate('attachments.ipynb');

  const widget = traceWidget(page);
  const image = widget.locator('img.jp-MlflowTrace-attachment');
  await expect(image).toBeVisible({ timeout: 60_000 });
  await expect(image).toHaveAttribute('src', /^blob:/);
  await expect(image).toHaveAttribute(
    'alt',
    /^attachment [0-9a-f-]{36} \(image\/png, \d+ B\)$/
  );
  await expect
    .poll(() =>
      image.evaluate((img: HTMLImageElement) => [
        img.complete,
        img.naturalWidth,
        img.naturalHeight
      ])
    )
    .toEqual([true, 2, 2]);
  const audio = widget.locator('audio.jp-MlflowTrace-attachment');
  await expect(audio).toHaveAttribute('src', /^blob:/);
  await expect(audio).toHaveAttribute('aria-label', /\(audio\/wav, \d+ B\)$/);

  const artifactRequests = pageRequests.filter(u =>
    u.includes('get-trace-artifact')
  );
  for (const id of written.attachment_ids) {
    expect(
      artifactRequests.some(
        u =>
          u.includes(
            '/mlflow-traces/proxy/ajax-api/3.0/mlflow/get-trace-artifact?'
          ) &&
          u.includes(`path=${id}`) &&
          u.includes(`request_id=${written.trace_id}`)
      )
    ).toBe(true);
  }
  expect(pageRequests.filter(u => u.startsWith(url))).toEqual([]);
  expect(pageRequests.some(u => u.includes('mlflow-attachment'))).toBe(false);
});
