/**
 * The output contract as files (contract/): the JSON Schemas accept every
 * reference bundle and what the encoders write, reject the invalid bundles
 * (which the decoders name by field), and the fallbacks reproduce the
 * goldens byte for byte. The Python emitter is checked against the same
 * files (test/python/test_goldens.py).
 */
import fs from 'fs';
import path from 'path';
import Ajv2020, { ValidateFunction } from 'ajv/dist/2020';
import {
  decodeTraceBundle,
  decodeTraceListBundle,
  decodeTraceSummaryBundle,
  encodeTraceBundle,
  encodeTraceListBundle,
  IBundleTraceInput,
  renderTraceHtml,
  renderTraceListHtml,
  renderTraceListText,
  renderTraceSummaryHtml,
  renderTraceSummaryText,
  renderTraceText,
  TRUNCATION_MARKER_RE
} from '../../../src/bundle';
import { ITraceInfoV3 } from '../../../src/trace';
import { loadRecorded, RECORDED_LABELS } from '../recorded';

const CONTRACT = path.resolve(__dirname, '..', '..', '..', 'contract');
const KINDS = ['trace', 'trace-list', 'trace-summary'] as const;
type Kind = (typeof KINDS)[number];

function readJson(...parts: string[]): any {
  return JSON.parse(fs.readFileSync(path.join(CONTRACT, ...parts), 'utf8'));
}

const ajv = new Ajv2020({ allErrors: true, strict: true });
ajv.addSchema(readJson('mlflow-rest.schema.json'));
const validators: Record<Kind, ValidateFunction> = {
  trace: ajv.compile(readJson('trace.schema.json')),
  'trace-list': ajv.compile(readJson('trace-list.schema.json')),
  'trace-summary': ajv.compile(readJson('trace-summary.schema.json'))
};

/** Each kind's decoder. */
const decoders: Record<
  Kind,
  (data: unknown) => { errors: string[]; warnings: string[]; version: unknown }
> = {
  trace: decodeTraceBundle,
  'trace-list': decodeTraceListBundle,
  'trace-summary': decodeTraceSummaryBundle
};

/** Schema errors as one readable line each, or [] when the data is valid. */
function schemaErrors(kind: Kind, data: unknown): string[] {
  const validate = validators[kind];
  return validate(data)
    ? []
    : (validate.errors ?? []).map(e => `${e.instancePath} ${e.message}`);
}

function fallbacks(kind: Kind, data: unknown): Record<string, string> {
  if (kind === 'trace-summary') {
    return {
      'text/html': renderTraceSummaryHtml(data),
      'text/plain': renderTraceSummaryText(data)
    };
  }
  return kind === 'trace'
    ? {
        'text/html': renderTraceHtml(data as any),
        'text/plain': renderTraceText(data as any)
      }
    : {
        'text/html': renderTraceListHtml(data),
        'text/plain': renderTraceListText(data)
      };
}

const references = KINDS.flatMap(kind =>
  fs
    .readdirSync(path.join(CONTRACT, 'examples', kind))
    .sort()
    .map(file => ({ kind, file, data: readJson('examples', kind, file) }))
);

/** Kinds with invalid bundles in contract/invalid (each file is optional). */
const INVALID_KINDS = KINDS.filter(kind =>
  fs.existsSync(path.join(CONTRACT, 'invalid', `${kind}.json`))
);

/**
 * An invalid bundle names the decoder error it gets, or, for a part the
 * decoder leaves out and renders without (a bad `live`), the warning.
 */
const invalid = INVALID_KINDS.flatMap(kind =>
  (
    readJson('invalid', `${kind}.json`) as {
      name: string;
      bundle: unknown;
      error?: string;
      warning?: string;
    }[]
  ).map(item => ({ kind, ...item }))
);

/** The inputs the kernel would encode for a trace bundle's entries. */
function inputsOf(bundle: any): IBundleTraceInput[] {
  return bundle.traces.map((entry: any) => ({
    traceId: entry.trace_id,
    info: entry.info,
    spans: entry.spans,
    live: entry.live
  }));
}

describe('contract files', () => {
  it('has 6 reference bundles, among them hostile strings and a trace list', () => {
    const names = references.map(r => `${r.kind}/${r.file}`);
    expect(names.length).toBeGreaterThanOrEqual(6);
    expect(names).toContain('trace/hostile-strings.json');
    expect(names).toContain('trace-list/search-page.json');
  });

  it.each(references.map(r => [`${r.kind}/${r.file}`, r] as const))(
    'the schema accepts the reference %s',
    (_, { kind, data }) => {
      expect(schemaErrors(kind, data)).toEqual([]);
    }
  );

  it.each(references.map(r => [`${r.kind}/${r.file}`, r] as const))(
    'the TypeScript fallbacks of %s equal the goldens byte for byte',
    (_, { kind, file, data }) => {
      const golden = readJson('goldens', kind, file);
      const written = fallbacks(kind, data);
      expect(written['text/plain']).toBe(golden['text/plain']);
      expect(written['text/html']).toBe(golden['text/html']);
    }
  );

  it.each(references.map(r => [`${r.kind}/${r.file}`, r] as const))(
    'the decoder reads %s without an error',
    (_, { kind, data }) => {
      const decoded = decoders[kind](data);
      expect(decoded.errors).toEqual([]);
      expect(decoded.version).toBe(1);
    }
  );
});

describe('bundles that break the schema', () => {
  const goldens: Record<string, any> = Object.fromEntries(
    INVALID_KINDS.map(kind => [
      kind,
      readJson('goldens', 'invalid', `${kind}.json`)
    ])
  );

  it.each(invalid.map(c => [`${c.kind}/${c.name}`, c] as const))(
    '%s is rejected by the schema and gets the decoder error naming the field',
    (_, { kind, name, bundle, error, warning }) => {
      expect(schemaErrors(kind, bundle).length).toBeGreaterThan(0);
      const decode = decoders[kind];
      let decoded: { errors: string[]; warnings: string[] } | undefined;
      expect(() => (decoded = decode(bundle))).not.toThrow();
      if (warning !== undefined) {
        expect(decoded?.warnings).toContain(warning);
      } else {
        expect(decoded?.errors).toContain(error);
      }
      expect(decoded?.errors).toEqual(goldens[kind][name].errors);
      expect(decoded?.warnings).toEqual(goldens[kind][name].warnings);
    }
  );

  it.each(
    invalid
      .filter(c => !Array.isArray(c.bundle))
      .map(c => [`${c.kind}/${c.name}`, c] as const)
  )('the fallbacks of %s equal the goldens', (_, { kind, name, bundle }) => {
    const golden = goldens[kind][name];
    const written = fallbacks(kind, bundle);
    expect(written['text/plain']).toBe(golden['text/plain']);
    expect(written['text/html']).toBe(golden['text/html']);
  });
});

describe('what the TypeScript encoders write', () => {
  const traceReferences = references.filter(r => r.kind === 'trace');

  it.each(traceReferences.map(r => [r.file, r] as const))(
    'encodeTraceBundle of the traces of %s validates',
    (_, { data }) => {
      const { bundle, warnings } = encodeTraceBundle(inputsOf(data), {
        trackingUri: data.tracking_uri
      });
      expect(schemaErrors('trace', bundle)).toEqual([]);
      expect(warnings.filter(w => !w.includes('trackingUri'))).toEqual([]);
    }
  );

  it('a bundle shortened to its budget validates and is marked truncated', () => {
    const recorded = RECORDED_LABELS.map(loadRecorded);
    const { bundle, sizeBytes } = encodeTraceBundle(recorded, {
      trackingUri: 'http://user:secret@127.0.0.1:5000/',
      maxBytes: 64 * 1024
    });
    expect(sizeBytes).toBeLessThanOrEqual(64 * 1024);
    expect(schemaErrors('trace', bundle)).toEqual([]);
    expect(bundle.tracking_uri).toBe('http://127.0.0.1:5000');
    const shortened = bundle.traces.filter(t => t.truncated !== undefined);
    expect(shortened.length).toBeGreaterThan(0);
    expect(JSON.stringify(bundle)).toMatch(/… \[truncated [\d,]+ chars\]/);
    expect(TRUNCATION_MARKER_RE.test('x… [truncated 1,024 chars]')).toBe(true);
  });

  it('writes the reference shortened-to-budget.json from the same traces as the Python encoder', () => {
    // contract/make_examples.py: chat, unicode and error with a 12 KiB budget
    const traces = ['chat', 'unicode', 'error'].map(loadRecorded);
    const { bundle, sizeBytes } = encodeTraceBundle(traces, {
      trackingUri: 'http://127.0.0.1:5000',
      maxBytes: 12 * 1024
    });
    expect(sizeBytes).toBeLessThanOrEqual(12 * 1024);
    // both parsed with JSON.parse: nanosecond ints round alike on both sides
    expect(JSON.parse(JSON.stringify(bundle))).toEqual(
      readJson('examples', 'trace', 'shortened-to-budget.json')
    );
    expect(bundle.traces.map(t => t.truncated)).toEqual([
      undefined,
      { max_string: 256, spans_dropped: true },
      { max_string: 256 }
    ]);
  });

  it('ids-only bundles validate', () => {
    const { bundle } = encodeTraceBundle(RECORDED_LABELS.map(loadRecorded), {
      embed: 'ids'
    });
    expect(schemaErrors('trace', bundle)).toEqual([]);
  });

  it('encodeTraceListBundle of the search page validates', () => {
    const page = references.find(r => r.kind === 'trace-list')?.data;
    const { bundle } = encodeTraceListBundle(
      {
        experimentIds: page.query.experiment_ids,
        filter: page.query.filter,
        orderBy: page.query.order_by,
        maxResults: page.query.max_results,
        traces: page.traces as ITraceInfoV3[],
        nextPageToken: page.next_page_token
      },
      { trackingUri: page.tracking_uri }
    );
    expect(schemaErrors('trace-list', bundle)).toEqual([]);
    expect(JSON.parse(JSON.stringify(bundle))).toEqual(page);
  });
});
