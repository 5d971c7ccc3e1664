/**
 * Linked prompts (`mlflow.linkedPrompts`) of traces and spans, on a trace
 * written by MLflow's own SDK (test/fixtures/write_loglevel_prompts.py) and on
 * hostile values; their links into MLflow's UI.
 */
import fs from 'fs';
import path from 'path';
import {
  buildTrace,
  linkedPromptText,
  mlflowPromptUiUrl,
  mlflowTraceUiUrl,
  parseLinkedPrompts,
  spanLinkedPrompts,
  traceLinkedPrompts
} from '../../../src/trace';
import { PAYLOADS } from '../security/hostile';
import { makeInfo, makeSpan } from './factory';

const FIXTURE = path.resolve(
  __dirname,
  '..',
  '..',
  'fixtures',
  'loglevel-prompts.trace.json'
);

describe('linked prompts written by MLflow 3.17.2', () => {
  const { info, spans } = JSON.parse(fs.readFileSync(FIXTURE, 'utf8'));
  const trace = buildTrace(info, spans);
  const expected = [
    { name: 'qa-prompt', version: '2' },
    { name: 'summarize', version: '1' }
  ];

  it('reads the trace tag', () => {
    expect(traceLinkedPrompts(trace.info)).toEqual(expected);
  });

  it('reads the attribute of the span that loaded them, and no other', () => {
    const bySpan = trace.nodesInOrder.map(node => [
      node.span.name,
      spanLinkedPrompts(node.span).length
    ]);
    expect(bySpan).toEqual([
      ['pipeline', 0],
      ['retrieve', 0],
      ['glue', 0],
      ['warn-step', 0],
      ['crit-step', 0],
      ['boom', 0],
      ['llm', 2]
    ]);
    const llm = trace.nodesInOrder.find(n => n.span.name === 'llm')!;
    expect(spanLinkedPrompts(llm.span)).toEqual(expected);
  });

  it('names a prompt as MLflow does', () => {
    expect(linkedPromptText(expected[0])).toBe('qa-prompt v2');
  });
});

describe('parseLinkedPrompts on hostile values', () => {
  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a number', 42],
    ['an object', { name: 'a', version: '1' }],
    ['not JSON', '[{"name": "a"'],
    ['a JSON object', '{"name": "a", "version": "1"}'],
    ['an empty string', ''],
    [
      'three times encoded',
      JSON.stringify(
        JSON.stringify(JSON.stringify([{ name: 'a', version: '1' }]))
      )
    ]
  ])('%s names no prompt', (_label, value) => {
    expect(parseLinkedPrompts(value)).toEqual([]);
  });

  it('reads a list, its JSON, and its JSON encoded once more', () => {
    const list = [{ name: 'a', version: '1' }];
    expect(parseLinkedPrompts(list)).toEqual(list);
    expect(parseLinkedPrompts(JSON.stringify(list))).toEqual(list);
    expect(parseLinkedPrompts(JSON.stringify(JSON.stringify(list)))).toEqual(
      list
    );
  });

  it('skips entries without a usable name or version, keeps the rest in order', () => {
    expect(
      parseLinkedPrompts([
        null,
        'qa',
        [],
        { name: 'no-version' },
        { version: '1' },
        { name: '', version: '1' },
        { name: '  ', version: '1' },
        { name: { x: 1 }, version: '1' },
        { name: 'nan', version: NaN },
        { name: 'float', version: 1.5 },
        { name: 'long', version: 'v'.repeat(1001) },
        { name: 'b', version: 3 },
        { name: ' a ', version: '1' },
        { name: 'a', version: '1' }
      ])
    ).toEqual([
      { name: 'b', version: '3' },
      { name: 'a', version: '1' }
    ]);
  });

  it('takes a __proto__ key as data, not as a prototype', () => {
    const prompts = parseLinkedPrompts(
      '[{"__proto__": {"name": "x", "version": "1"}, "name": "p", "version": "2"}]'
    );
    expect(prompts).toEqual([{ name: 'p', version: '2' }]);
    expect(Object.getPrototypeOf(prompts[0])).toBe(Object.prototype);
  });

  it('keeps hostile text as text (the view escapes it)', () => {
    const list = PAYLOADS.slice(0, 20).map((p, index) => ({
      name: p.payload,
      version: String(index)
    }));
    const usable = list.filter(p => p.name.trim() !== '');
    expect(parseLinkedPrompts(JSON.stringify(list))).toEqual(
      usable.map(p => ({ name: p.name.trim(), version: p.version }))
    );
  });

  it('ignores a tag on an info that is not an object', () => {
    expect(traceLinkedPrompts(undefined)).toEqual([]);
    expect(traceLinkedPrompts({ tags: 'x' })).toEqual([]);
  });

  it('reads a span attribute set by another writer as a raw list', () => {
    const raw = makeSpan({ id: 'a' });
    raw.attributes = {
      'mlflow.linkedPrompts': [{ name: 'p', version: '4' }]
    };
    const span = buildTrace(undefined, [raw]).nodesInOrder[0].span;
    expect(spanLinkedPrompts(span)).toEqual([{ name: 'p', version: '4' }]);
  });
});

describe('mlflowPromptUiUrl', () => {
  const info = makeInfo({
    trace_location: {
      type: 'MLFLOW_EXPERIMENT',
      mlflow_experiment: { experiment_id: '7' }
    }
  } as never);
  const traceUrl = mlflowTraceUiUrl('http://127.0.0.1:5000', 'tr-1', info);

  it('links the version in the trace experiment, as MLflow 3.17.2 does', () => {
    expect(traceUrl).toBe(
      'http://127.0.0.1:5000/#/experiments/7/traces?selectedEvaluationId=tr-1'
    );
    expect(
      mlflowPromptUiUrl(traceUrl, { name: 'qa-prompt', version: '2' })
    ).toBe(
      'http://127.0.0.1:5000/#/experiments/7/prompts/qa-prompt?promptVersion=2'
    );
  });

  it('keeps a path prefix of the server', () => {
    const prefixed = mlflowTraceUiUrl(
      'https://h.example/mlflow/',
      'tr-1',
      info
    );
    expect(mlflowPromptUiUrl(prefixed, { name: 'p', version: '1' })).toBe(
      'https://h.example/mlflow/#/experiments/7/prompts/p?promptVersion=1'
    );
  });

  it('encodes the name and the version', () => {
    const url = mlflowPromptUiUrl(traceUrl, {
      name: 'a/b?c#d <script>',
      version: '1&x=2'
    });
    expect(url).toBe(
      'http://127.0.0.1:5000/#/experiments/7/prompts/a%2Fb%3Fc%23d%20%3Cscript%3E?promptVersion=1%26x%3D2'
    );
  });

  it('encodes a lone surrogate without throwing', () => {
    expect(mlflowPromptUiUrl(traceUrl, { name: 'x\uD800', version: '1' })).toBe(
      'http://127.0.0.1:5000/#/experiments/7/prompts/x%EF%BF%BD?promptVersion=1'
    );
  });

  it.each([
    ['no trace page', undefined],
    ['an empty string', ''],
    ['javascript:', 'javascript:alert(1)//#/experiments/7/traces?x'],
    ['credentials', 'http://u:p@h/#/experiments/7/traces?x'],
    ['a page that is not a trace page', 'http://h/#/experiments/7/runs'],
    ['no experiment', 'http://h/#/experiments//traces?x'],
    ['not a string', { href: traceUrl }]
  ])('is null for %s', (_label, value) => {
    expect(mlflowPromptUiUrl(value, { name: 'p', version: '1' })).toBeNull();
  });
});
