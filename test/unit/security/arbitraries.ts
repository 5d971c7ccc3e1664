/**
 * fast-check generators of hostile span lists, trace infos and mutated
 * recorded traces, shared by the fuzz tests.
 */
import fc from 'fast-check';
import fs from 'fs';
import path from 'path';
import { PAYLOADS } from './hostile';

const RECORDED = path.resolve(__dirname, '..', '..', 'fixtures', 'recorded');
const LABELS = ['nested', 'chat', 'error', 'unicode'];
export const recorded = LABELS.map(label => ({
  info: JSON.parse(
    fs.readFileSync(path.join(RECORDED, `${label}.info.json`), 'utf8')
  ).trace.trace_info,
  spans: JSON.parse(
    fs.readFileSync(path.join(RECORDED, `${label}.spans.json`), 'utf8')
  ).spans as any[]
}));

export const isRecord = (v: unknown): v is Record<string, any> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

// --- generators ---------------------------------------------------------

export const ids = fc.constantFrom(
  'a',
  'b',
  'c',
  'd',
  'AAAAAAAAAAA=',
  'rnVQf66+0nM=',
  '',
  ' ',
  '0',
  '__proto__',
  'constructor'
);
export const weird = fc.oneof(
  fc.anything({ maxDepth: 2 }),
  fc.constantFrom(
    NaN,
    Infinity,
    -Infinity,
    -1,
    0,
    2 ** 64,
    '1e400',
    '-0',
    'NaN',
    '',
    null,
    undefined,
    [],
    {}
  ),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(...PAYLOADS.map(p => p.payload))
);
export const time = fc.oneof(
  fc.integer({ min: 0, max: 2 ** 53 - 1 }),
  fc.bigInt({ min: 0n, max: 2n ** 64n }).map(b => b.toString()),
  fc.date({ noInvalidDate: true }).map(d => d.toISOString()),
  weird
);
export const attrValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }).map(v => JSON.stringify(v)),
  fc.string({ maxLength: 30 }),
  weird
);
export const attributes = fc.oneof(
  fc.dictionary(
    fc.oneof(
      fc.constantFrom(
        'mlflow.spanType',
        'mlflow.spanInputs',
        'mlflow.spanOutputs',
        'mlflow.chat.tokenUsage',
        'mlflow.traceRequestId',
        '__proto__'
      ),
      fc.string({ maxLength: 10 })
    ),
    attrValue,
    { maxKeys: 6 }
  ),
  weird
);
export const event = fc.oneof(
  fc.record(
    { name: fc.oneof(fc.string(), weird), time_unix_nano: time, attributes },
    { requiredKeys: [] }
  ),
  weird
);
export const span = fc.record(
  {
    span_id: fc.oneof(ids, weird),
    parent_span_id: fc.oneof(ids, fc.constant(null), weird),
    trace_id: fc.oneof(ids, weird),
    name: fc.oneof(fc.string({ maxLength: 20 }), weird),
    start_time_unix_nano: time,
    end_time_unix_nano: time,
    status: fc.oneof(
      fc.record(
        {
          code: fc.oneof(
            fc.constantFrom(
              'STATUS_CODE_OK',
              'STATUS_CODE_ERROR',
              'STATUS_CODE_UNSET',
              'OK',
              'ERROR',
              2
            ),
            weird
          ),
          message: weird
        },
        { requiredKeys: [] }
      ),
      weird
    ),
    attributes,
    events: fc.oneof(fc.array(event, { maxLength: 3 }), weird),
    context: fc.oneof(
      fc.record({ span_id: ids, trace_id: ids }, { requiredKeys: [] }),
      weird
    )
  },
  { requiredKeys: [] }
);
export const spanList = fc.array(
  fc.oneof({ weight: 8, arbitrary: span }, { weight: 1, arbitrary: weird }),
  { maxLength: 25 }
);
export const info = fc.oneof(
  fc.constant(undefined),
  fc.record(
    {
      trace_id: fc.oneof(ids, weird),
      state: fc.oneof(
        fc.constantFrom('OK', 'ERROR', 'IN_PROGRESS', 'STATE_UNSPECIFIED'),
        weird
      ),
      request_time: fc.oneof(
        fc.date({ noInvalidDate: true }).map(d => d.toISOString()),
        weird
      ),
      execution_duration: fc.oneof(
        fc.constantFrom('0.1s', '12s', '-1s', 's'),
        weird
      ),
      tags: fc.oneof(
        fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 })),
        weird
      ),
      trace_metadata: fc.oneof(
        fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 })),
        weird
      ),
      request_preview: weird,
      response_preview: weird,
      trace_location: weird
    },
    { requiredKeys: [] }
  )
);

/** A recorded span list, mutated: fields deleted or replaced, spans duplicated, reordered or replaced, parents rewired. */
export const mutatedRecorded = fc
  .tuple(
    fc.integer({ min: 0, max: recorded.length - 1 }),
    fc.array(
      fc.tuple(
        fc.constantFrom(
          'delete',
          'replace',
          'duplicate',
          'swap',
          'reparent',
          'not-a-span',
          'self-parent',
          'cycle'
        ),
        fc.nat(),
        fc.constantFrom(
          'span_id',
          'parent_span_id',
          'name',
          'start_time_unix_nano',
          'end_time_unix_nano',
          'status',
          'attributes',
          'events',
          'trace_id'
        ),
        weird
      ),
      { maxLength: 8 }
    )
  )
  .map(([which, ops]) => {
    const { info: baseInfo, spans } = recorded[which];
    const out: any[] = spans.map(s => ({
      ...s,
      attributes: { ...s.attributes }
    }));
    for (const [op, at, field, value] of ops) {
      if (out.length === 0) {
        break;
      }
      const i = at % out.length;
      const j = (at * 7 + 3) % out.length;
      const target = out[i];
      switch (op) {
        case 'delete':
          if (isRecord(target)) {
            delete target[field];
          }
          break;
        case 'replace':
          if (isRecord(target)) {
            target[field] = value;
          }
          break;
        case 'duplicate':
          out.push(isRecord(target) ? { ...target } : target);
          break;
        case 'swap':
          [out[i], out[j]] = [out[j], out[i]];
          break;
        case 'reparent':
          if (isRecord(target) && isRecord(out[j])) {
            target.parent_span_id = out[j].span_id;
          }
          break;
        case 'not-a-span':
          out[i] = value;
          break;
        case 'self-parent':
          if (isRecord(target)) {
            target.parent_span_id = target.span_id;
          }
          break;
        case 'cycle':
          if (isRecord(target) && isRecord(out[j])) {
            target.parent_span_id = out[j].span_id;
            out[j].parent_span_id = target.span_id;
          }
          break;
      }
    }
    return { info: baseInfo, spans: out };
  });
