/**
 * The XSS corpus (test/fixtures/xss-payloads.json, 71 payloads) in real
 * JupyterLab and in an nbconvert HTML export, in Chromium. Every payload sits
 * in span names, types, attribute keys and values, inputs, outputs, chat
 * messages, events, status messages, tags, previews, trace ids and the
 * trace-list query. Pass: the page-side marker `window.__xss` stays unset, no
 * dialog opens, the page does not navigate, and no request leaves for a URL
 * the payloads name.
 */
import { execFileSync } from 'child_process';
import fs from 'fs';
import path from 'path';
import { expect, test } from '@jupyterlab/galata';
import { uploadNotebook } from '../notebooks';
import {
  cellOutputArea,
  spanRows,
  traceWidget,
  trustIndicator
} from '../trace-dom';
import { hostileNotebook, PAYLOADS, watchPage, xssMarker } from './xss-helpers';

const JUPYTER = path.resolve(__dirname, '..', '..', '.venv', 'bin', 'jupyter');

test.describe('XSS corpus', () => {
  for (const trusted of [true, false]) {
    test(`${PAYLOADS.length} payloads in a ${trusted ? 'trusted' : 'untrusted'} notebook: no script, dialog, navigation or foreign request`, async ({
      page,
      request,
      tmpPath,
      baseURL
    }) => {
      test.setTimeout(180_000);
      const origin = new URL(baseURL!).origin;
      const watch = watchPage(
        page,
        url => url.origin === origin,
        url => url === 'about:blank' || url.startsWith(`${origin}/lab`)
      );
      const name = `xss-${trusted ? 'trusted' : 'untrusted'}.ipynb`;
      await uploadNotebook(
        request,
        `${tmpPath}/${name}`,
        hostileNotebook(`${name} ${Date.now()}`),
        {
          trusted
        }
      );
      await page.notebook.openByPath(`${tmpPath}/${name}`);
      await page.notebook.activate(name);
      await expect(trustIndicator(page, trusted)).toHaveCount(1);

      // The renderer took both bundles; the bare fallbacks rendered as HTML.
      const widget = traceWidget(page, 0);
      await expect(widget).toBeVisible();
      await expect(
        cellOutputArea(page, 1)
          .locator('.jp-MlflowTrace, .jp-MlflowTraceList, [class*=MlflowTrace]')
          .first()
      ).toBeVisible();
      await expect(
        cellOutputArea(page, 2).locator('.jp-MlflowTraceFallback')
      ).toHaveCount(2);
      await expect(widget).toContainText(PAYLOADS[0].payload);

      // Select rows so the details pane renders inputs, outputs, chat and events.
      // Keyboard, not clicks: the notebook's own layers may overlap rows while it scrolls.
      const rows = spanRows(widget);
      await rows.first().focus();
      for (let i = 0; i < 40; i++) {
        await page.keyboard.press('ArrowDown');
      }
      await expect(widget).toContainText(PAYLOADS[5].payload);
      // Hover over everything that could carry a mouse handler, then let timers run.
      await widget.hover();
      await page.mouse.move(10, 10);
      await page.waitForTimeout(1500);

      expect(await xssMarker(page)).toBeUndefined();
      expect(watch.dialogs).toEqual([]);
      expect(watch.navigations).toEqual([]);
      expect(watch.requests).toEqual([]);
      // Nothing from the payloads became an element of the page.
      const active = await page.evaluate(() =>
        Array.from(
          document.querySelectorAll(
            '.jp-OutputArea script, .jp-OutputArea iframe, .jp-OutputArea img, .jp-OutputArea object, .jp-OutputArea embed, .jp-OutputArea form, .jp-OutputArea math, .jp-OutputArea svg [onload], .jp-OutputArea [onerror], .jp-OutputArea [onclick], .jp-OutputArea [onmouseover], .jp-OutputArea a[href^="javascript"], .jp-OutputArea base, .jp-OutputArea meta, .jp-OutputArea link'
          )
        ).map(e => e.outerHTML.slice(0, 120))
      );
      expect(active).toEqual([]);
    });
  }

  test(`${PAYLOADS.length} payloads in the text/html fallback of an nbconvert HTML export`, async ({
    browser,
    tmpPath
  }) => {
    test.setTimeout(120_000);
    const root = process.env.JUPYTERLAB_GALATA_ROOT_DIR!;
    const dir = path.join(root, tmpPath);
    fs.mkdirSync(dir, { recursive: true });
    const nbFile = path.join(dir, 'xss-export.ipynb');
    fs.writeFileSync(nbFile, JSON.stringify(hostileNotebook()));
    execFileSync(JUPYTER, ['nbconvert', '--to', 'html', nbFile], {
      stdio: ['ignore', 'ignore', 'pipe']
    });
    const htmlFile = path.join(dir, 'xss-export.html');
    const html = fs.readFileSync(htmlFile, 'utf8');
    expect(html).toContain('jp-MlflowTraceFallback');

    const context = await browser.newContext();
    const page = await context.newPage();
    const fileUrl = `file://${htmlFile}`;
    // The export's own template may name CDN assets (require.js, MathJax);
    // they are refused offline and are not payloads. Anything else is a leak.
    const TEMPLATE_HOSTS = [
      'cdnjs.cloudflare.com',
      'cdn.jsdelivr.net',
      'unpkg.com'
    ];
    await page.route(/^https?:/, route => route.abort());
    const watch = watchPage(
      page,
      url =>
        url.href.startsWith(fileUrl) ||
        (url.protocol === 'file:' && url.pathname === htmlFile) ||
        TEMPLATE_HOSTS.includes(url.hostname),
      url => url === 'about:blank' || url === fileUrl
    );
    await page.goto(fileUrl);
    await expect(page.locator('.jp-MlflowTraceFallback').first()).toBeVisible();
    await page.mouse.move(200, 200);
    await page.mouse.wheel(0, 5000);
    await page.waitForTimeout(1500);
    expect(await xssMarker(page)).toBeUndefined();
    expect(watch.dialogs).toEqual([]);
    expect(watch.navigations).toEqual([]);
    expect(watch.requests).toEqual([]);
    // Control: the detectors do see a payload that runs (so zero above means zero).
    await page.evaluate(
      html => document.body.insertAdjacentHTML('beforeend', html),
      PAYLOADS.find(p => p.payload.startsWith('<img src=x onerror="'))!.payload
    );
    await expect.poll(() => xssMarker(page)).toBe(1);
    await expect.poll(() => watch.dialogs.length).toBe(1);
    // Every trace of the bundle is in the export (3 fallback tables/lists per bundle output).
    expect(
      await page.locator('.jp-MlflowTraceFallback').count()
    ).toBeGreaterThanOrEqual(4);
    await context.close();
  });
});
