/* global btoa */
/**
 * Deterministic generator of realistic MLflow traces for the benchmark.
 *
 * Self-contained on purpose (no imports, browser and Node globals only): the
 * benchmark also injects this file's text into the page so that 100k-span
 * traces are generated there rather than shipped over CDP.
 *
 * Output spans are MLflow's get-trace-artifact span dicts (base64 ids, nano
 * timestamps as numbers, JSON-encoded `mlflow.*` attributes), in end-time
 * order as OpenTelemetry exporters emit them. Shapes, repeated under one
 * AGENT root until the span count is reached:
 *  - agent loop iterations: CHAIN -> LLM (chat messages, token usage) -> 1..3 TOOLs
 *  - wide retrieval fan-outs: RETRIEVER -> 20..200 overlapping EMBEDDING/TOOL fetches
 *  - deep chains: 20..80 nested CHAINs ending in an LLM
 * The first child of the root is `load_document`, a TOOL whose input holds
 * `bigInputBytes` (1 MiB by default) of text: the select-a-big-input case.
 */

/** Seeded PRNG (mulberry32). */
export function makeRng(seed) {
  let a = seed >>> 0;
  return function rng() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'the agent retrieves documents about weather forecasts and summarizes ' +
  'results for the user with citations tokens model prompt context answer ' +
  'query vector index chunk score rerank tool call function arguments ' +
  'latency budget plan step observation thought final response lyon paris'
).split(' ');

function words(rng, n) {
  const out = [];
  for (let i = 0; i < n; i++) {
    out.push(WORDS[Math.floor(rng() * WORDS.length)]);
  }
  return out.join(' ');
}

function bytesToBase64(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i++) {
    s += String.fromCharCode(bytes[i]);
  }
  return btoa(s);
}

function randomBytes(rng, n) {
  const bytes = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    bytes[i] = Math.floor(rng() * 256);
  }
  return bytes;
}

function hex(bytes) {
  return Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('');
}

const TOOLS = [
  'search_web',
  'get_weather',
  'run_sql',
  'read_file',
  'calculator'
];

/**
 * Generate one trace of exactly `spanCount` spans (>= 3).
 * Returns { traceId, info, spans } with `info` a TraceInfoV3-like object.
 */
export function generateTrace(spanCount, options = {}) {
  const seed = options.seed ?? 42;
  const bigInputBytes = options.bigInputBytes ?? 1024 * 1024;
  const experimentId = options.experimentId ?? '0';
  const rng = makeRng(seed * 7919 + spanCount);
  const traceBytes = randomBytes(rng, 16);
  const otelTraceId = bytesToBase64(traceBytes);
  const traceId = `tr-${hex(traceBytes)}`;
  const requestIdAttr = JSON.stringify(traceId);
  const baseNs = 1795465496000000000;
  let left = spanCount;

  // Build nodes first: {name, type, startUs, endUs, children, inputs, outputs, extra}
  function node(name, type, startUs, inputs) {
    left--;
    return {
      name,
      type,
      startUs,
      endUs: startUs,
      children: [],
      inputs,
      outputs: null,
      extra: null
    };
  }
  function llm(startUs, depthTag) {
    const n = node('chat_model', 'CHAT_MODEL', startUs, {
      messages: [
        { role: 'system', content: words(rng, 30) },
        { role: 'user', content: words(rng, 15 + Math.floor(rng() * 20)) }
      ],
      model: 'gpt-bench',
      temperature: 0.2
    });
    const dur = 200000 + Math.floor(rng() * 1800000);
    n.endUs = startUs + dur;
    const input = 200 + Math.floor(rng() * 2000);
    const output = 20 + Math.floor(rng() * 400);
    n.outputs = {
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: words(rng, 20) + depthTag }
        }
      ]
    };
    n.extra = {
      'mlflow.chat.tokenUsage': JSON.stringify({
        input_tokens: input,
        output_tokens: output,
        total_tokens: input + output
      }),
      'mlflow.spanFunctionName': '"invoke"'
    };
    return n;
  }
  function tool(startUs) {
    const name = TOOLS[Math.floor(rng() * TOOLS.length)];
    const n = node(name, 'TOOL', startUs, { query: words(rng, 6) });
    n.endUs = startUs + 5000 + Math.floor(rng() * 300000);
    n.outputs = { result: words(rng, 12) };
    if (rng() < 0.01) {
      n.error = true;
    }
    return n;
  }
  function agentIteration(startUs, k) {
    const it = node(`iteration_${k}`, 'CHAIN', startUs, { step: k });
    let t = startUs + 100;
    if (left > 0) {
      const l = llm(t, '');
      it.children.push(l);
      t = l.endUs + 50;
    }
    const tools = 1 + Math.floor(rng() * 3);
    for (let i = 0; i < tools && left > 0; i++) {
      const tl = tool(t);
      it.children.push(tl);
      t = tl.endUs + 50;
    }
    it.endUs = t + 100;
    it.outputs = { observation: words(rng, 8) };
    return it;
  }
  function retrieval(startUs) {
    const r = node('retrieve', 'RETRIEVER', startUs, {
      query: words(rng, 8),
      k: 5
    });
    const fan = Math.min(left, 20 + Math.floor(rng() * 180));
    let end = startUs;
    for (let i = 0; i < fan; i++) {
      const s = startUs + 200 + Math.floor(rng() * 20000);
      const c = node(
        i % 3 === 0 ? `embed_chunk_${i}` : `fetch_doc_${i}`,
        i % 3 === 0 ? 'EMBEDDING' : 'TOOL',
        s,
        { id: `doc-${i}` }
      );
      c.endUs = s + 1000 + Math.floor(rng() * 80000);
      c.outputs =
        i % 3 === 0 ? { dims: 1536 } : { chars: Math.floor(rng() * 4000) };
      end = Math.max(end, c.endUs);
      r.children.push(c);
    }
    r.endUs = end + 300;
    r.outputs = [0, 1, 2, 3, 4].map(i => ({
      page_content: words(rng, 25),
      metadata: {
        doc_uri: `https://example.com/doc/${i}`,
        chunk_id: String(i)
      },
      id: `doc-${i}`
    }));
    return r;
  }
  function deepChain(startUs) {
    const depth = Math.min(left, 20 + Math.floor(rng() * 60));
    const chain = [];
    for (let d = 0; d < depth - 1; d++) {
      chain.push(
        node(`chain_step_${d}`, 'CHAIN', startUs + d * 10, { depth: d })
      );
    }
    const last = left > 0 ? llm(startUs + depth * 10, ' (deep)') : null;
    let inner = last;
    let end = last ? last.endUs : startUs + depth * 10 + 100;
    for (let d = chain.length - 1; d >= 0; d--) {
      const c = chain[d];
      if (inner) {
        c.children.push(inner);
      }
      end += 10;
      c.endUs = end;
      c.outputs = { depth: d };
      inner = c;
    }
    return inner;
  }

  const root = node('agent_run', 'AGENT', 0, { question: words(rng, 12) });
  let t = 1000;
  const big = node('load_document', 'TOOL', t, {
    document: words(rng, Math.ceil(bigInputBytes / 6)).slice(0, bigInputBytes)
  });
  big.endUs = t + 40000;
  big.outputs = { chars: bigInputBytes };
  root.children.push(big);
  t = big.endUs + 100;
  let k = 0;
  while (left > 0) {
    const pick = k % 10;
    let block;
    if (pick === 4 || pick === 9) {
      block = retrieval(t);
    } else if (pick === 7) {
      block = deepChain(t);
    } else {
      block = agentIteration(t, k);
    }
    root.children.push(block);
    t = block.endUs + 100;
    k++;
  }
  root.endUs = t + 500;
  root.outputs = words(rng, 20);

  // Flatten with ids; then order by end time (children end before parents).
  const flat = [];
  let counter = 0;
  function emit(n, parentId) {
    const idBytes = new Uint8Array(8);
    let x = (counter++ + 1) * 2654435761 + seed;
    for (let i = 0; i < 8; i++) {
      idBytes[i] = (x ^ (i * 31 + spanCount)) & 0xff;
      x = Math.floor(x / 256) + (i + 1) * 40503;
    }
    idBytes[0] = counter & 0xff;
    idBytes[1] = (counter >> 8) & 0xff;
    idBytes[2] = (counter >> 16) & 0xff;
    const spanId = bytesToBase64(idBytes);
    const attributes = {
      'mlflow.traceRequestId': requestIdAttr,
      'mlflow.spanType': JSON.stringify(n.type),
      'mlflow.spanInputs': JSON.stringify(n.inputs),
      'mlflow.spanOutputs': JSON.stringify(n.outputs)
    };
    if (n.extra) {
      Object.assign(attributes, n.extra);
    }
    const span = {
      trace_id: otelTraceId,
      span_id: spanId,
      parent_span_id: parentId,
      name: n.name,
      start_time_unix_nano: baseNs + n.startUs * 1000,
      end_time_unix_nano: baseNs + n.endUs * 1000,
      events: n.error
        ? [
            {
              name: 'exception',
              time_unix_nano: baseNs + n.endUs * 1000,
              attributes: {
                'exception.type': 'TimeoutError',
                'exception.message': 'tool timed out',
                'exception.stacktrace': 'Traceback (most recent call last): ...'
              }
            }
          ]
        : [],
      status: n.error
        ? { code: 'STATUS_CODE_ERROR', message: 'TimeoutError: tool timed out' }
        : { code: 'STATUS_CODE_OK', message: '' },
      attributes
    };
    flat.push(span);
    for (const c of n.children) {
      emit(c, spanId);
    }
  }
  emit(root, null);
  flat.sort((a, b) => a.end_time_unix_nano - b.end_time_unix_nano);

  const durationS = (root.endUs - root.startUs) / 1e6;
  const info = {
    trace_id: traceId,
    trace_location: {
      type: 'MLFLOW_EXPERIMENT',
      mlflow_experiment: { experiment_id: experimentId }
    },
    request_time: new Date(Math.floor(baseNs / 1e6)).toISOString(),
    execution_duration: `${durationS.toFixed(3)}s`,
    state: 'OK',
    trace_metadata: {
      'mlflow.trace_schema.version': '3',
      'mlflow.traceInputs': root.inputs ? JSON.stringify(root.inputs) : '',
      'mlflow.traceOutputs': JSON.stringify(root.outputs)
    },
    tags: { 'mlflow.traceName': 'agent_run' },
    request_preview: JSON.stringify(root.inputs),
    response_preview: JSON.stringify(root.outputs)
  };
  return { traceId, info, spans: flat, bigSpanName: 'load_document' };
}
