/**
 * Secrets in the browser, with the "direct" connection (the browser calls the
 * tracking server; tests/server-extension.spec.ts covers the default, through
 * the Jupyter server): an untrusted output whose bundle names a tracking
 * server makes Chromium send no request at all to any server but JupyterLab's
 * (checked on the wire with a request listener); the same bundle, trusted,
 * does fetch from the server it names (so the listener would see it), and
 * without credentials, because credentials come only from the settings.
 */
import { expect, galata, test } from '@jupyterlab/galata';
import type { Page } from '@playwright/test';
import {
  codeCell,
  idsOnlyBundle,
  liveServer,
  notebook,
  traceOutput,
  uploadNotebook
} from '../notebooks';
import { traceWidget, trustIndicator } from '../trace-dom';

/** Every request the page sends off `origin`, with its Authorization header, as it goes. */
function requestsLeaving(
  page: Page,
  origin: string
): { url: string; authorization?: string }[] {
  const foreign: { url: string; authorization?: string }[] = [];
  page.on('request', r => {
    if (new URL(r.url()).origin !== origin) {
      foreign.push({
        url: r.url(),
        authorization: r.headers()['authorization']
      });
    }
  });
  return foreign;
}

test.describe('no request leaves for a server an output names', () => {
  test.use({
    mockSettings: {
      ...galata.DEFAULT_SETTINGS,
      'jupyterlab-mlflow-traces:plugin': { connection: 'direct' }
    }
  });

  for (const trusted of [false, true]) {
    test(`${trusted ? 'trusted' : 'untrusted'} ids-only output naming the live tracking server`, async ({
      page,
      request,
      tmpPath,
      baseURL
    }) => {
      const { url, expected } = liveServer();
      const origin = new URL(baseURL!).origin;
      const foreign = requestsLeaving(page, origin);
      const traceId = expected.traces.nested.trace_id;
      // Two servers named: the live one and one that does not exist.
      const nb = notebook([
        codeCell(`# ids only, ${trusted} ${Date.now()}`, [
          traceOutput(idsOnlyBundle([traceId], url)),
          traceOutput(idsOnlyBundle([traceId], 'http://127.0.0.1:9/attacker'))
        ])
      ]);
      const name = `secrets-${trusted}.ipynb`;
      await uploadNotebook(request, `${tmpPath}/${name}`, nb, { trusted });
      await page.notebook.openByPath(`${tmpPath}/${name}`);
      await page.notebook.activate(name);
      await expect(trustIndicator(page, trusted)).toHaveCount(1);
      const widget = traceWidget(page, 0);
      if (trusted) {
        await expect(widget.getByRole('treeitem').first()).toBeVisible({
          timeout: 30_000
        });
        expect(foreign.some(r => r.url.startsWith(url))).toBe(true);
        expect(foreign.every(r => r.authorization === undefined)).toBe(true);
      } else {
        await expect(widget).toContainText('not embedded in this output');
        await expect(widget).toContainText('trust the notebook');
        // Give any late fetch a chance to show up.
        await page.waitForTimeout(3000);
        expect(foreign).toEqual([]);
      }
    });
  }
});

test.describe('renderer credentials from the settings', () => {
  const { url } = liveServer();
  const TOKEN = `tok-${Date.now().toString(36)}-SECRET`;
  test.use({
    mockSettings: {
      ...galata.DEFAULT_SETTINGS,
      'jupyterlab-mlflow-traces:plugin': {
        trackingUri: url,
        trackingToken: TOKEN
      }
    }
  });

  test('go only to the settings origin, even when outputs name other servers', async ({
    page,
    request,
    tmpPath,
    baseURL
  }) => {
    const { expected } = liveServer();
    const origin = new URL(baseURL!).origin;
    const settingsOrigin = new URL(url).origin;
    const foreign = requestsLeaving(page, origin);
    const traceId = expected.traces.nested.trace_id;
    const nb = notebook([
      codeCell(`# credentials ${Date.now()}`, [
        traceOutput(idsOnlyBundle([traceId])),
        traceOutput(idsOnlyBundle([traceId], 'http://127.0.0.1:9/attacker'))
      ])
    ]);
    await uploadNotebook(request, `${tmpPath}/credentials.ipynb`, nb, {
      trusted: true
    });
    await page.notebook.openByPath(`${tmpPath}/credentials.ipynb`);
    await page.notebook.activate('credentials.ipynb');
    await expect
      .poll(() => foreign.length, { timeout: 30_000 })
      .toBeGreaterThan(0);
    await page.waitForTimeout(2000);
    // Every request off JupyterLab went to the settings server, with the token.
    expect(
      foreign.filter(r => new URL(r.url).origin !== settingsOrigin)
    ).toEqual([]);
    expect(foreign.every(r => r.authorization === `Bearer ${TOKEN}`)).toBe(
      true
    );
  });
});
