/**
 * The one-way imports of DESIGN.md, enforced by ESLint's no-restricted-imports
 * (eslint.config.mjs): a violating import in each folder is reported, an
 * allowed one is not.
 */
import { execFileSync } from 'child_process';
import path from 'path';

const LINTER = path.join(__dirname, 'lintText.cjs');

interface IMessage {
  ruleId: string | null;
  message: string;
}

/** ESLint's messages for each `code`, linted as if it were at `file`. */
function lint(cases: { file: string; code: string }[]): IMessage[][] {
  const out = execFileSync(process.execPath, [LINTER], {
    input: JSON.stringify(cases),
    encoding: 'utf8',
    timeout: 120_000
  });
  return JSON.parse(out);
}

const line = (source: string) => `import { x } from '${source}';\nvoid x;\n`;
const DOM_CODE =
  'export const width = document.body.clientWidth + window.innerWidth;\n';

/** [file, import source]: imports DESIGN.md forbids. */
const FORBIDDEN: [string, string][] = [
  ['src/trace/new.ts', '../bundle'],
  ['src/trace/new.ts', '../client/errors'],
  ['src/trace/new.ts', '../view'],
  ['src/trace/new.ts', '../index'],
  ['src/trace/new.ts', 'react'],
  ['src/trace/new.ts', '@jupyterlab/application'],
  ['src/trace/conversation/new.ts', '../../bundle'],
  ['src/trace/conversation/new.ts', '../../view/format'],
  ['src/trace/conversation/new.ts', 'react'],
  ['src/client/new.ts', '../bundle'],
  ['src/client/new.ts', '../kernel/session'],
  ['src/client/new.ts', '../view/format'],
  ['src/client/new.ts', 'react'],
  ['src/bundle/new.ts', '../client'],
  ['src/bundle/new.ts', '../view'],
  ['src/bundle/new.ts', '../lab/config'],
  ['src/bundle/new.ts', '@lumino/widgets'],
  ['src/kernel/new.ts', '../view'],
  ['src/kernel/new.ts', '../lab/widget'],
  ['src/kernel/new.ts', '@jupyterlab/rendermime-interfaces'],
  ['src/kernel/new.ts', '@lumino/widgets'],
  ['src/kernel/new.ts', 'react'],
  ['src/kernel/new.ts', 'react-dom/client'],
  ['src/kernel/new.ts', 'd3-scale'],
  ['src/view/new.ts', '../bundle'],
  ['src/view/new.ts', '../client'],
  ['src/view/new.ts', '../lab/config'],
  ['src/view/new.ts', '../kernel'],
  ['src/view/new.ts', '../browser'],
  ['src/view/new.ts', '@jupyterlab/apputils'],
  ['src/view/list/new.ts', '../../bundle'],
  ['src/view/list/new.ts', '../../client/errors'],
  ['src/lab/new.ts', '../kernel'],
  ['src/lab/new.ts', '../kernel/session'],
  ['src/lab/new.ts', '../vscode/renderer/output'],
  ['src/lab/new.ts', 'vscode'],
  ['src/view/new.ts', '../output/loader'],
  ['src/view/new.ts', 'vscode'],
  ['src/trace/new.ts', 'vscode'],
  ['src/output/new.ts', '../lab/config'],
  ['src/output/new.ts', '../vscode/protocol'],
  ['src/output/new.ts', '@jupyterlab/apputils'],
  ['src/output/new.ts', '@lumino/widgets'],
  ['src/output/new.ts', 'vscode'],
  ['src/vscode/new.ts', '../lab/config'],
  ['src/vscode/renderer/new.ts', '../../lab/connection'],
  ['src/vscode/renderer/new.ts', '@jupyterlab/services'],
  ['src/vscode/renderer/new.ts', 'vscode'],
  ['src/vscode/renderer/new.ts', '../host/forward'],
  ['src/vscode/host/new.ts', '../../view'],
  ['src/vscode/host/new.ts', '../../output/loader'],
  ['src/vscode/host/new.ts', 'react'],
  ['src/vscode/host/new.ts', '../renderer/bridge']
];

/** [file, import source]: imports DESIGN.md allows. */
const ALLOWED: [string, string][] = [
  ['src/trace/new.ts', './tree'],
  ['src/trace/conversation/new.ts', './types'],
  ['src/trace/conversation/new.ts', '../format'],
  ['src/client/new.ts', '../trace/wire'],
  ['src/client/new.ts', './errors'],
  ['src/bundle/new.ts', '../trace'],
  ['src/kernel/new.ts', '../trace'],
  ['src/kernel/new.ts', '../client'],
  ['src/kernel/new.ts', '../bundle'],
  ['src/kernel/new.ts', '@opentelemetry/api'],
  ['src/view/new.ts', '../trace'],
  ['src/view/new.ts', 'react'],
  ['src/view/new.ts', 'd3-scale'],
  ['src/view/list/new.ts', '../../trace'],
  ['src/view/list/new.ts', '../classes'],
  ['src/lab/new.ts', '../view'],
  ['src/lab/new.ts', '../client'],
  ['src/lab/new.ts', '../bundle/mimetypes'],
  ['src/lab/new.ts', '../trace'],
  ['src/lab/new.ts', '@jupyterlab/application'],
  ['src/lab/new.ts', '../output/loader'],
  ['src/output/new.ts', '../view'],
  ['src/output/new.ts', '../client'],
  ['src/output/new.ts', '@lumino/signaling'],
  ['src/vscode/renderer/new.ts', '../../output/loader'],
  ['src/vscode/renderer/new.ts', '../../view'],
  ['src/vscode/renderer/new.ts', '../protocol'],
  ['src/vscode/renderer/new.ts', 'react-dom/client'],
  ['src/vscode/host/new.ts', '../../client'],
  ['src/vscode/host/new.ts', '../protocol'],
  ['src/vscode/host/new.ts', 'vscode']
];

/** Folders whose code runs without a DOM (Node, or pure). */
const NO_DOM = [
  'src/kernel/new.ts',
  'src/trace/new.ts',
  'src/trace/conversation/new.ts',
  'src/bundle/new.ts',
  'src/vscode/host/new.ts'
];

const results = new Map<string, IMessage[]>();
const key = (file: string, code: string) => `${file}\n${code}`;
/** The import rule's messages, and any fatal (parse) error. */
const restricted = (file: string, source: string) =>
  results
    .get(key(file, line(source)))!
    .filter(m => m.ruleId === 'no-restricted-imports' || m.ruleId === null);

beforeAll(() => {
  const cases = [
    ...[...FORBIDDEN, ...ALLOWED].map(([file, source]) => ({
      file,
      code: line(source)
    })),
    ...NO_DOM.map(file => ({ file, code: DOM_CODE }))
  ];
  lint(cases).forEach((messages, i) =>
    results.set(key(cases[i].file, cases[i].code), messages)
  );
}, 120_000);

describe('one-way imports (eslint.config.mjs)', () => {
  it.each(FORBIDDEN)('%s may not import %s', (file, source) => {
    const reported = restricted(file, source);
    expect(reported).toHaveLength(1);
    expect(reported[0].ruleId).toBe('no-restricted-imports');
  });

  it.each(ALLOWED)('%s may import %s', (file, source) => {
    expect(restricted(file, source)).toEqual([]);
  });

  it.each(NO_DOM)('%s may not touch the DOM', file => {
    const messages = results.get(key(file, DOM_CODE))!;
    expect(
      messages.filter(m => m.ruleId === 'no-restricted-globals')
    ).toHaveLength(2);
  });
});
