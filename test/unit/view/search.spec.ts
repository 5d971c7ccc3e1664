import { buildTrace } from '../../../src/trace';
import { searchTrace } from '../../../src/view/search';

const SPAN_ID = 'AAAAAAAAAAE=';

/** A one-span trace whose attributes are stored as given. */
function traceWith(name: string, attributes: unknown) {
  return buildTrace(undefined, [
    {
      span_id: SPAN_ID,
      name,
      start_time_unix_nano: 1,
      end_time_unix_nano: 2,
      attributes
    }
  ]);
}

const found = (trace: ReturnType<typeof traceWith>, query: string) =>
  searchTrace(trace, query).length === 1;

describe('searchTrace', () => {
  it('finds text with quotes and backslashes inside JSON-encoded inputs', () => {
    const trace = traceWith('step', {
      'mlflow.spanInputs': JSON.stringify({ q: 'he said "hi" in C:\\temp' })
    });
    expect(found(trace, 'said "hi"')).toBe(true);
    expect(found(trace, 'c:\\temp')).toBe(true);
    expect(found(trace, 'said "bye"')).toBe(false);
  });

  it('finds accented text that Python wrote as \\u escapes', () => {
    // json.dumps' default (ensure_ascii) as a Python writer would store it
    const trace = traceWith('step', {
      'mlflow.spanOutputs': '"caf\\u00e9 cr\\u00e8me \\ud83d\\ude00"'
    });
    expect(found(trace, 'café crème')).toBe(true);
    expect(found(trace, '😀')).toBe(true);
    expect(found(trace, 'crêpe')).toBe(false);
  });

  it('finds accented text stored as it is, case-insensitively', () => {
    const trace = traceWith('Étape', {
      'mlflow.spanOutputs': JSON.stringify('Crème brûlée')
    });
    expect(found(trace, 'crème BRÛLÉE')).toBe(true);
    expect(found(trace, 'étape')).toBe(true);
  });

  it('searches OTLP key/value attributes and non-string values', () => {
    const trace = traceWith('step', [
      { key: 'retries', value: { int_value: '31337' } },
      { key: 'flag', value: { bool_value: true } }
    ]);
    expect(found(trace, '31337')).toBe(true);
    expect(found(trace, 'true')).toBe(true);
    expect(found(trace, '4242')).toBe(false);
  });

  it('matches the span type and ignores attribute keys', () => {
    const trace = traceWith('step', {
      'mlflow.spanType': '"RETRIEVER"',
      'secret.key.name': '"value"'
    });
    expect(found(trace, 'retriever')).toBe(true);
    expect(found(trace, 'secret.key')).toBe(false);
  });

  it('returns nothing for a blank query', () => {
    expect(searchTrace(traceWith('step', {}), '   ')).toEqual([]);
  });
});
