/**
 * Cost, model and provider of spans and traces (src/trace/cost.ts), and the
 * one USD formatter (formatUsd).
 */
import {
  buildTrace,
  formatUsd,
  parseCost,
  summarizeTrace,
  TRACE_COST_KEY
} from '../../../src/trace';
import { makeInfo, makeSpan } from './factory';

const COST_1 = {
  input_cost: 0.00015,
  output_cost: 0.0003,
  total_cost: 0.00045
};
const COST_2 = { input_cost: 0.001, output_cost: 0.002, total_cost: 0.003 };

describe('parseCost', () => {
  it.each([
    ['an object', COST_1, { input: 0.00015, output: 0.0003, total: 0.00045 }],
    [
      'its JSON text',
      JSON.stringify(COST_2),
      { input: 0.001, output: 0.002, total: 0.003 }
    ],
    [
      'no total (input + output, as MLflow defines it)',
      { input_cost: 0.25, output_cost: 0.5 },
      { input: 0.25, output: 0.5, total: 0.75 }
    ],
    ['only a total', { total_cost: 2 }, { input: null, output: null, total: 2 }]
  ])('reads %s', (_, value, cost) => {
    expect(parseCost(value, TRACE_COST_KEY)).toEqual({ cost });
  });

  it('is null when absent', () => {
    expect(parseCost(undefined, TRACE_COST_KEY)).toBeNull();
    expect(parseCost(null, TRACE_COST_KEY)).toBeNull();
  });

  it.each([
    ['{"total_cost": 0.1', 'mlflow.trace.cost is not valid JSON'],
    ['[1, 2]', 'mlflow.trace.cost is not an object'],
    [42, 'mlflow.trace.cost is not an object'],
    ['{"total_cost": "0.1"}', 'mlflow.trace.cost: total_cost is not a number'],
    ['{"input_cost": true}', 'mlflow.trace.cost: input_cost is not a number'],
    [
      '{"currency": "USD"}',
      'mlflow.trace.cost has no input_cost, output_cost or total_cost'
    ]
  ])('gives a note, not a crash, for %p', (value, start) => {
    const reading = parseCost(value, TRACE_COST_KEY);
    expect(reading).not.toBeNull();
    expect(reading && 'note' in reading && reading.note).toMatch(
      new RegExp(`^${start.replace(/[.]/g, '\\.')}`)
    );
  });
});

describe('span cost, model and provider', () => {
  it('reads mlflow.llm.cost, mlflow.llm.model and mlflow.llm.provider', () => {
    const trace = buildTrace(undefined, [
      makeSpan({
        id: 'llm',
        type: 'LLM',
        attributes: {
          'mlflow.llm.cost': COST_1,
          'mlflow.llm.model': 'gpt-4o-mini',
          'mlflow.llm.provider': 'openai'
        }
      })
    ]);
    expect(trace.spans[0].llm).toEqual({
      model: 'gpt-4o-mini',
      provider: 'openai',
      cost: { input: 0.00015, output: 0.0003, total: 0.00045 },
      costNote: ''
    });
  });

  it('is null for a span that records none of them', () => {
    const trace = buildTrace(undefined, [makeSpan({ id: 'tool' })]);
    expect(trace.spans[0].llm).toBeNull();
  });

  it('keeps the model and notes a malformed cost', () => {
    const span = makeSpan({
      id: 'llm',
      attributes: { 'mlflow.llm.model': 'm' }
    });
    (span.attributes as Record<string, unknown>)['mlflow.llm.cost'] =
      '{not json';
    const llm = buildTrace(undefined, [span]).spans[0].llm;
    expect(llm?.model).toBe('m');
    expect(llm?.cost).toBeNull();
    expect(llm?.costNote).toBe(
      'mlflow.llm.cost is not valid JSON, so its cost is not shown.'
    );
  });
});

describe('the trace cost', () => {
  const SPANS = [
    makeSpan({ id: 'root', name: 'agent', endMs: 100 }),
    makeSpan({
      id: 'a',
      parent: 'root',
      attributes: { 'mlflow.llm.cost': COST_1, 'mlflow.llm.model': 'm-1' }
    }),
    makeSpan({
      id: 'b',
      parent: 'root',
      attributes: { 'mlflow.llm.cost': COST_2, 'mlflow.llm.model': 'm-2' }
    }),
    // Below a span with a cost: MLflow does not count it again
    makeSpan({
      id: 'b-inner',
      parent: 'b',
      attributes: { 'mlflow.llm.cost': COST_2, 'mlflow.llm.model': 'm-1' }
    })
  ];

  it('is the metadata mlflow.trace.cost when present', () => {
    const info = makeInfo({
      trace_metadata: { [TRACE_COST_KEY]: JSON.stringify({ total_cost: 9 }) }
    });
    const summary = summarizeTrace(buildTrace(info, SPANS));
    expect(summary.cost).toEqual({ input: null, output: null, total: 9 });
    expect(summary.costNote).toBe('');
  });

  it('else sums the spans as MLflow does, skipping spans under a costed span', () => {
    const summary = summarizeTrace(buildTrace(makeInfo(), SPANS));
    expect(summary.cost).toEqual({
      input: 0.00015 + 0.001,
      output: 0.0003 + 0.002,
      total: 0.00045 + 0.003
    });
    expect(summary.models).toEqual(['m-1', 'm-2']);
  });

  it('is null, with no note, when nothing records a cost', () => {
    const summary = summarizeTrace(
      buildTrace(makeInfo(), [makeSpan({ id: 'root' })])
    );
    expect(summary.cost).toBeNull();
    expect(summary.costNote).toBe('');
    expect(summary.models).toEqual([]);
  });

  it('is null with a note when the metadata is malformed (not a guess from the spans)', () => {
    const info = makeInfo({ trace_metadata: { [TRACE_COST_KEY]: 'oops' } });
    const summary = summarizeTrace(buildTrace(info, SPANS));
    expect(summary.cost).toBeNull();
    expect(summary.costNote).toBe(
      'mlflow.trace.cost is not valid JSON, so its cost is not shown.'
    );
  });
});

describe('formatUsd', () => {
  it.each([
    [0.00045, '$0.000450'],
    [0.0123456, '$0.0123'],
    [0.5, '$0.500'],
    [0.1, '$0.100'],
    [1.5e-7, '$0.000000150'],
    [0.99951, '$1.00'],
    [1, '$1.00'],
    [12.345, '$12.35'],
    [1234.5, '$1,234.50'],
    [1_000_000, '$1,000,000.00'],
    [0, '$0.00'],
    [-0.0123, '-$0.0123'],
    [-2.5, '-$2.50']
  ])('%p is %p', (usd, text) => {
    expect(formatUsd(usd)).toBe(text);
  });

  it.each([null, undefined, NaN, Infinity])('%p is a dash', usd => {
    expect(formatUsd(usd)).toBe('–');
  });
});
