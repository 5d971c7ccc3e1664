/**
 * The whole repository passes its linters and formatters, as the JupyterLab
 * extension template configures them: ESLint, Prettier and Stylelint for
 * TypeScript, JSON, Markdown and CSS; Ruff for Python. So a change that
 * breaks the style fails `npm test`, not only `npm run lint`.
 */
import { spawnSync } from 'child_process';
import fs from 'fs';
import path from 'path';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const BIN = path.join(ROOT, 'node_modules', '.bin');
const RUFF = path.join(ROOT, '.venv', 'bin', 'ruff');

const CHECKS: [string, string, string[]][] = [
  ['ESLint', path.join(BIN, 'eslint'), ['.']],
  [
    'Prettier',
    path.join(BIN, 'prettier'),
    ['--check', '**/*{.ts,.tsx,.js,.mjs,.jsx,.css,.json,.md}']
  ],
  ['Stylelint', path.join(BIN, 'stylelint'), ['style/**/*.css']],
  ['Ruff check', RUFF, ['check', '.']],
  ['Ruff format', RUFF, ['format', '--check', '.']]
];

describe('the repository is lint-clean', () => {
  it.each(CHECKS)('%s reports nothing', (_name, bin, args) => {
    expect(fs.existsSync(bin)).toBe(true);
    const run = spawnSync(bin, args, {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 180_000
    });
    expect({ status: run.status, output: run.stdout + run.stderr }).toEqual({
      status: 0,
      output: expect.any(String)
    });
  });
});
