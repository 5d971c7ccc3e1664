/**
 * Shared by the XSS and secrets UI tests: the hostile notebook (the XSS
 * corpus in a trace bundle, a trace-list bundle and their text/html
 * fallbacks) and a watcher that records script execution, dialogs,
 * navigations and unexpected requests of a page.
 */
import type { Page, Request } from '@playwright/test';
import {
  renderTraceHtml,
  renderTraceListHtml,
  renderTraceText,
  TRACE_LIST_MIME_TYPE,
  TRACE_MIME_TYPE
} from '../../src/bundle';
import {
  hostileIdTraces,
  hostileTrace,
  PAYLOADS
} from '../../test/unit/security/hostile';
import { codeCell, INotebook, IOutput, notebook } from '../notebooks';

export { PAYLOADS };

/** What a page did that it must not. */
export interface IWatch {
  dialogs: string[];
  navigations: string[];
  requests: string[];
  /** Page errors (uncaught exceptions), kept for the report. */
  errors: string[];
}

/**
 * Records dialogs (dismissed), main-frame navigations away from `allowedPage`,
 * and requests that `allowed` refuses.
 */
export function watchPage(
  page: Page,
  allowed: (url: URL) => boolean,
  allowedPage: (url: string) => boolean
): IWatch {
  const watch: IWatch = {
    dialogs: [],
    navigations: [],
    requests: [],
    errors: []
  };
  page.on('dialog', dialog => {
    watch.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss().catch(() => undefined);
  });
  page.on('framenavigated', frame => {
    if (!allowedPage(frame.url())) {
      watch.navigations.push(frame.url());
    }
  });
  page.on('request', (request: Request) => {
    let url: URL;
    try {
      url = new URL(request.url());
    } catch {
      watch.requests.push(request.url());
      return;
    }
    if (!allowed(url)) {
      watch.requests.push(request.url());
    }
  });
  page.on('pageerror', error => watch.errors.push(error.message));
  return watch;
}

/** The page-side marker every script payload sets. */
export async function xssMarker(page: Page): Promise<unknown> {
  return page.evaluate(() => {
    const w = window as any;
    const inFrames = Array.from(document.querySelectorAll('iframe')).map(f => {
      try {
        return (f.contentWindow as any)?.__xss;
      } catch {
        return undefined;
      }
    });
    return w.__xss ?? inFrames.find(v => v !== undefined);
  });
}

/** The hostile trace bundle: one trace with every payload in every field, plus 20 with payload ids. */
export function hostileTraceOutput(): IOutput {
  const traces = [hostileTrace(), ...hostileIdTraces(PAYLOADS.slice(0, 20))];
  const bundle = {
    version: 1,
    tracking_uri: 'javascript:window.__xss=1//',
    traces
  };
  const inputs = traces.map(t => ({
    traceId: t.trace_id,
    info: t.info,
    spans: t.spans
  }));
  return {
    output_type: 'display_data',
    data: {
      [TRACE_MIME_TYPE]: bundle,
      'text/html': renderTraceHtml(inputs, { maxRowsPerTrace: 10_000 }),
      'text/plain': renderTraceText(inputs)
    },
    metadata: {}
  };
}

/** The hostile trace-list bundle: payloads in the query and in every info field. */
export function hostileListOutput(): IOutput {
  const infos = [hostileTrace().info, ...hostileIdTraces().map(t => t.info)];
  const bundle = {
    version: 1,
    query: {
      experiment_ids: ['1'],
      filter: PAYLOADS[0].payload,
      order_by: [PAYLOADS[7].payload],
      max_results: 100
    },
    traces: infos
  };
  return {
    output_type: 'display_data',
    data: {
      [TRACE_LIST_MIME_TYPE]: bundle,
      'text/html': renderTraceListHtml(bundle),
      'text/plain': `MLflow traces: ${infos.length}`
    },
    metadata: {}
  };
}

/** Only the text/html fallbacks, as a viewer without the renderer gets them. */
export function fallbackOnly(output: IOutput): IOutput {
  return {
    ...output,
    data: {
      'text/html': output.data['text/html'],
      'text/plain': output.data['text/plain']
    }
  };
}

/** The hostile notebook: both bundles, then their bare text/html fallbacks. */
export function hostileNotebook(label = ''): INotebook {
  const trace = hostileTraceOutput();
  const list = hostileListOutput();
  return notebook([
    // The label keeps notebooks apart: the notary trusts any content it signed before.
    codeCell(`# hostile trace bundle ${label}`, [trace]),
    codeCell('# hostile trace-list bundle', [list]),
    codeCell('# text/html fallbacks only', [
      fallbackOnly(trace),
      fallbackOnly(list)
    ])
  ]);
}
