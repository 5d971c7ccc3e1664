/**
 * Hostile traces built from the XSS corpus (test/fixtures/xss-payloads.json)
 * on top of a trace recorded from the real server: every payload lands in a
 * span name, a span type, an attribute key and value, inputs and outputs,
 * chat messages, an event, a status message, a tag, the previews and (for
 * some) the trace id. Shared by the unit tests and the UI tests.
 */
import fs from 'fs';
import path from 'path';

const FIXTURES = path.resolve(__dirname, '..', '..', 'fixtures');

export interface IPayload {
  id: string;
  category: string;
  payload: string;
}

/** The corpus. */
export const PAYLOADS: IPayload[] = JSON.parse(
  fs.readFileSync(path.join(FIXTURES, 'xss-payloads.json'), 'utf8')
).payloads;

function recorded(label: string): { info: any; spans: any[] } {
  const read = (suffix: string) =>
    JSON.parse(
      fs.readFileSync(
        path.join(FIXTURES, 'recorded', `${label}.${suffix}.json`),
        'utf8'
      )
    );
  return {
    info: read('info').trace.trace_info,
    spans: read('spans').spans
  };
}

const enc = (value: unknown) => JSON.stringify(value);

/** One span per payload, children of the recorded root, payloads everywhere. */
function payloadSpans(base: any[], payloads: IPayload[]): any[] {
  const root = base[0];
  const start = Number(root.start_time_unix_nano);
  return payloads.map((p, i) => ({
    trace_id: root.trace_id,
    span_id: `hostile${String(i).padStart(4, '0')}`,
    parent_span_id: root.span_id,
    name: p.payload,
    start_time_unix_nano: start + i * 1000,
    end_time_unix_nano: start + i * 1000 + 500,
    events: [
      {
        name: p.payload,
        time_unix_nano: start + i * 1000 + 100,
        attributes: { [p.payload]: p.payload, 'exception.message': p.payload }
      }
    ],
    status: {
      code: i % 3 === 0 ? 'STATUS_CODE_ERROR' : 'STATUS_CODE_OK',
      message: p.payload
    },
    attributes: {
      'mlflow.traceRequestId': root.attributes['mlflow.traceRequestId'],
      'mlflow.spanType': enc(i % 2 === 0 ? 'CHAT_MODEL' : p.payload),
      'mlflow.spanInputs': enc({
        messages: [
          { role: 'system', content: p.payload },
          { role: p.payload, content: [{ type: 'text', text: p.payload }] },
          { role: 'user', content: p.payload, name: p.payload }
        ],
        [p.payload]: p.payload,
        url: p.payload
      }),
      'mlflow.spanOutputs': enc({
        choices: [
          { index: 0, message: { role: 'assistant', content: p.payload } }
        ]
      }),
      [p.payload]: enc(p.payload),
      'raw.not.json': p.payload,
      'link.href': p.payload
    },
    links: []
  }));
}

/** A bundle entry `{trace_id, info, spans}`: the recorded chat trace plus one span per payload. */
export function hostileTrace(payloads: IPayload[] = PAYLOADS): {
  trace_id: string;
  info: any;
  spans: any[];
} {
  const { info, spans } = recorded('chat');
  const tags: Record<string, string> = { ...info.tags };
  const metadata: Record<string, string> = { ...info.trace_metadata };
  for (const p of payloads) {
    tags[p.payload] = p.payload;
    metadata[`x.${p.id}`] = p.payload;
  }
  tags['mlflow.traceName'] = payloads.map(p => p.payload).join(' ');
  const all = payloads.map(p => p.payload).join('\n');
  return {
    trace_id: info.trace_id,
    info: {
      ...info,
      tags,
      trace_metadata: metadata,
      request_preview: all,
      response_preview: all,
      assessments: payloads.slice(0, 10).map((p, i) => ({
        assessment_id: `a-${i}`,
        assessment_name: p.payload,
        trace_id: info.trace_id,
        feedback: { value: p.payload },
        rationale: p.payload,
        source: { source_type: 'HUMAN', source_id: p.payload }
      }))
    },
    spans: [...spans, ...payloadSpans(spans, payloads)]
  };
}

/** Traces whose trace id (and only that) is a payload: the id shows in tabs and headers. */
export function hostileIdTraces(payloads: IPayload[] = PAYLOADS): {
  trace_id: string;
  info: any;
  spans: any[];
}[] {
  const { info, spans } = recorded('nested');
  return payloads.map(p => ({
    trace_id: p.payload,
    info: { ...info, trace_id: p.payload, request_preview: p.payload },
    spans: spans.map(s => ({ ...s, name: `${s.name} ${p.id}` }))
  }));
}
