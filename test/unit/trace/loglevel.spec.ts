/**
 * Span log levels as MLflow records them, and the level filter of the rows:
 * on a trace written by MLflow's own SDK (test/fixtures/write_loglevel_prompts.py),
 * hand-built shapes and hostile values.
 */
import {
  buildTrace,
  filterRowsAtLevel,
  hiddenAtLevel,
  ITrace,
  LOG_LEVEL_CHOICES,
  logLevelKeep,
  logLevelName,
  spanIdsAtLevel,
  spanLogLevel
} from '../../../src/trace';
import { makeSpan, outline } from './factory';
import { logLevelPromptsTrace } from '../recorded';

function levelOf(trace: ITrace, name: string) {
  const node = trace.nodesInOrder.find(n => n.span.name === name);
  if (!node) {
    throw new Error(`no span ${name}`);
  }
  return spanLogLevel(node.span);
}

describe('spanLogLevel on spans written by MLflow 3.17.2', () => {
  const trace = logLevelPromptsTrace();

  it.each([
    ['pipeline', 10, 'DEBUG'], // CHAIN: DEBUG by type
    ['retrieve', 20, 'INFO'], // RETRIEVER: INFO by type
    ['glue', 10, 'DEBUG'], // no type (UNKNOWN)
    ['warn-step', 30, 'WARNING'], // log_level="WARNING"
    ['crit-step', 50, 'CRITICAL'], // log_level="CRITICAL"
    ['boom', 40, 'ERROR'], // PARSER that raised: bumped to ERROR
    ['llm', 20, 'INFO']
  ])('%s is at %i (%s), as recorded', (name, level, levelName) => {
    expect(levelOf(trace, name)).toEqual({
      level,
      name: levelName,
      explicit: true
    });
  });
});

describe('spanLogLevel without a recorded level', () => {
  function levelFor(type: string | undefined, options = {}) {
    const trace = buildTrace(undefined, [
      makeSpan({ id: 'a', type, ...options })
    ]);
    return spanLogLevel(trace.nodesInOrder[0].span);
  }

  it.each(['LLM', 'CHAT_MODEL', 'TOOL', 'RETRIEVER', 'AGENT', 'EMBEDDING'])(
    '%s defaults to INFO, as MLflow stamps it',
    type => {
      expect(levelFor(type)).toEqual({
        level: 20,
        name: 'INFO',
        explicit: false
      });
    }
  );

  it.each(['CHAIN', 'PARSER', 'RERANKER', 'MEMORY', 'UNKNOWN', 'my_custom'])(
    '%s defaults to DEBUG',
    type => {
      expect(levelFor(type)).toEqual({
        level: 10,
        name: 'DEBUG',
        explicit: false
      });
    }
  );

  it('a span with no type defaults to DEBUG', () => {
    expect(levelFor(undefined).name).toBe('DEBUG');
  });

  it('an exception event makes it ERROR, as the SDK bumps it', () => {
    const level = levelFor('LLM', {
      events: [{ name: 'exception', attributes: {} }]
    });
    expect(level).toEqual({ level: 40, name: 'ERROR', explicit: false });
  });
});

describe('spanLogLevel on recorded values that are not standard', () => {
  function levelFrom(value: unknown, encode = true) {
    const raw = makeSpan({ id: 'a', type: 'LLM' });
    raw.attributes = {
      ...(raw.attributes as object),
      'mlflow.spanLogLevel': encode ? JSON.stringify(value) : value
    };
    return spanLogLevel(buildTrace(undefined, [raw]).nodesInOrder[0].span);
  }

  it.each([
    [25, 'INFO'],
    [39.5, 'WARNING'],
    [10, 'DEBUG'],
    [5, 'DEBUG'],
    [0, 'DEBUG'],
    [-7, 'DEBUG'],
    [55, 'CRITICAL'],
    [1e9, 'CRITICAL']
  ])('%d is named %s (the named level at or below)', (value, name) => {
    expect(levelFrom(value)).toEqual({ level: value, name, explicit: true });
  });

  it.each([
    ['WARNING', 30],
    [' error ', 40],
    ['critical', 50],
    ['30', 30]
  ])('the string %j reads as %i', (value, level) => {
    expect(levelFrom(value)).toMatchObject({ level, explicit: true });
  });

  it('a raw (not JSON-encoded) number from another writer is read', () => {
    expect(levelFrom(30, false)).toMatchObject({ level: 30, explicit: true });
  });

  it.each([
    ['NaN text', 'NaN', false],
    ['Infinity text', 'Infinity', false],
    ['a word', 'LOUD', false],
    ['WARN (not a name MLflow takes)', 'WARN', true],
    ['an object', { level: 40 }, true],
    ['an array', [40], true],
    ['null', null, true],
    ['true', true, true],
    ['a long string', '4'.repeat(100), true],
    ['an empty string', '', true],
    ['hex', '0x28', true]
  ])('%s falls back to the default, without throwing', (_label, value, enc) => {
    expect(levelFrom(value, enc)).toEqual({
      level: 20,
      name: 'INFO',
      explicit: false
    });
  });
});

describe('logLevelName', () => {
  it('names NaN DEBUG rather than throwing', () => {
    expect(logLevelName(NaN)).toBe('DEBUG');
  });
});

/**
 * root (CHAIN, DEBUG)
 *   agent (AGENT, INFO)
 *     glue (CHAIN, DEBUG)
 *       tool (TOOL, INFO)
 *     parse (PARSER, DEBUG)
 *   setup (UNKNOWN, DEBUG)
 *     warn (WARNING)
 *   failed (CHAIN, DEBUG, status ERROR)
 *   quiet (CHAIN, DEBUG)
 */
function shapedTrace(): ITrace {
  return buildTrace(undefined, [
    makeSpan({ id: 'root', type: 'CHAIN', startMs: 0, endMs: 100 }),
    makeSpan({ id: 'agent', parent: 'root', type: 'AGENT', startMs: 1 }),
    makeSpan({ id: 'glue', parent: 'agent', type: 'CHAIN', startMs: 2 }),
    makeSpan({ id: 'tool', parent: 'glue', type: 'TOOL', startMs: 3 }),
    makeSpan({ id: 'parse', parent: 'agent', type: 'PARSER', startMs: 4 }),
    makeSpan({ id: 'setup', parent: 'root', startMs: 5 }),
    makeSpan({
      id: 'warn',
      parent: 'setup',
      startMs: 6,
      attributes: { 'mlflow.spanLogLevel': 30 }
    }),
    makeSpan({
      id: 'failed',
      parent: 'root',
      type: 'CHAIN',
      startMs: 7,
      status: 'STATUS_CODE_ERROR'
    }),
    makeSpan({ id: 'quiet', parent: 'root', type: 'CHAIN', startMs: 8 })
  ]);
}

describe('filterRowsAtLevel', () => {
  const trace = shapedTrace();
  const rows = trace.nodesInOrder;

  it('keeps every row (the same array) for All levels and DEBUG', () => {
    expect(filterRowsAtLevel(trace, rows, 0)).toBe(rows);
    expect(filterRowsAtLevel(trace, rows, 10)).toBe(rows);
    expect(logLevelKeep(trace, 0)).toBeUndefined();
    expect(hiddenAtLevel(trace, 0)).toBe(0);
  });

  it('at INFO keeps INFO spans, their ancestors, and failed spans', () => {
    expect(outline([...filterRowsAtLevel(trace, rows, 20)])).toBe(
      'root .agent ..glue ...tool .setup ..warn .failed'
    );
    expect(hiddenAtLevel(trace, 20)).toBe(2); // parse, quiet
  });

  it('at WARNING keeps the warning, its parent chain and the failure', () => {
    expect(outline([...filterRowsAtLevel(trace, rows, 30)])).toBe(
      'root .setup ..warn .failed'
    );
  });

  it('at CRITICAL keeps only the failure and its parent', () => {
    expect(outline([...filterRowsAtLevel(trace, rows, 50)])).toBe(
      'root .failed'
    );
  });

  it('filters the rows it is given (collapsed subtrees stay out)', () => {
    const visible = rows.filter(n => n.span.spanId !== 'tool');
    expect(
      filterRowsAtLevel(trace, visible, 20).map(n => n.span.spanId)
    ).toEqual(['root', 'agent', 'glue', 'setup', 'warn', 'failed']);
  });

  it('keeps a DEBUG parent whose kept child is inside a collapsed subtree', () => {
    // glue is DEBUG; its child tool (INFO) keeps it, even when glue is collapsed
    const keep = logLevelKeep(trace, 20)!;
    expect(keep(trace.nodeById.get('glue')!)).toBe(true);
    expect(keep(trace.nodeById.get('parse')!)).toBe(false);
  });

  it('memoizes per trace and level', () => {
    expect(spanIdsAtLevel(trace, 20)).toBe(spanIdsAtLevel(trace, 20));
    expect(spanIdsAtLevel(trace, 30)).not.toBe(spanIdsAtLevel(trace, 20));
  });

  it('on the SDK trace at INFO hides the DEBUG glue only', () => {
    const sdk = logLevelPromptsTrace();
    expect(
      filterRowsAtLevel(sdk, sdk.nodesInOrder, 20).map(n => n.span.name)
    ).toEqual([
      'pipeline',
      'retrieve',
      'warn-step',
      'crit-step',
      'boom',
      'llm'
    ]);
  });

  it('on the SDK trace at WARNING keeps the failure, the warnings and their parent', () => {
    const sdk = logLevelPromptsTrace();
    expect(
      filterRowsAtLevel(sdk, sdk.nodesInOrder, 30).map(n => n.span.name)
    ).toEqual(['pipeline', 'warn-step', 'crit-step', 'boom']);
    expect(hiddenAtLevel(sdk, 30)).toBe(3);
  });

  it('keeps the rows a tree over generated shapes: every kept row has its parent kept', () => {
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const types = ['LLM', 'CHAIN', 'TOOL', 'PARSER', 'UNKNOWN'];
    for (let round = 0; round < 50; round++) {
      const spans = [makeSpan({ id: 's0', type: 'CHAIN' })];
      const count = 2 + Math.floor(random() * 60);
      for (let i = 1; i < count; i++) {
        const attributes =
          random() < 0.2
            ? { 'mlflow.spanLogLevel': 10 * (1 + Math.floor(random() * 5)) }
            : undefined;
        spans.push(
          makeSpan({
            id: `s${i}`,
            parent: `s${Math.floor(random() * i)}`,
            type: types[Math.floor(random() * types.length)],
            startMs: i,
            attributes
          })
        );
      }
      const generated = buildTrace(undefined, spans);
      for (const { minLevel } of LOG_LEVEL_CHOICES) {
        const kept = filterRowsAtLevel(
          generated,
          generated.nodesInOrder,
          minLevel
        );
        const ids = new Set(kept.map(n => n.span.spanId));
        for (const node of kept) {
          const context = `round ${round}, level ${minLevel}, span ${node.span.spanId}`;
          expect({
            context,
            parentKept: !node.parent || ids.has(node.parent.span.spanId)
          }).toEqual({ context, parentKept: true });
        }
        for (const node of generated.nodesInOrder) {
          const shouldShow =
            node.span.error || spanLogLevel(node.span).level >= minLevel;
          if (shouldShow) {
            expect(ids.has(node.span.spanId)).toBe(true);
          }
        }
        expect(hiddenAtLevel(generated, minLevel)).toBe(
          generated.nodesInOrder.length - kept.length
        );
      }
    }
  });
});
