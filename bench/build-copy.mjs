/**
 * `node bench/build-copy.mjs DIR`: a production build of this checkout in DIR
 * (a copy of its sources, node_modules linked), for `npm run bench --
 * --build=DIR`. The bench then measures one fixed build, whatever else
 * happens in the checkout while it runs. Writes DIR/SOURCE: the commit and
 * the files that differed from it.
 */
import { execFileSync } from 'child_process';
import fs from 'fs';
import path from 'path';
import { createRequire } from 'module';

const require = createRequire(import.meta.url);
const {
  ROOT,
  LABEXTENSION_SOURCES: SOURCES,
  venvEnv
} = require('../scripts/lib/paths.cjs');

const dir = process.argv[2] && path.resolve(process.argv[2]);
if (!dir) {
  console.error('usage: node bench/build-copy.mjs DIR');
  process.exit(2);
}
fs.rmSync(dir, { recursive: true, force: true });
fs.mkdirSync(path.join(dir, 'jupyterlab_mlflow_traces'), { recursive: true });
for (const source of SOURCES) {
  fs.cpSync(path.join(ROOT, source), path.join(dir, source), {
    recursive: true
  });
}
fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
const git = args => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' });
fs.writeFileSync(
  path.join(dir, 'SOURCE'),
  `commit ${git(['rev-parse', 'HEAD'])}` +
    `changed from it:\n${git(['status', '--short', '--', ...SOURCES])}`
);
const step = (cmd, args) =>
  execFileSync(cmd, args, { cwd: dir, stdio: 'inherit', env: venvEnv() });
const bin = name => path.join(ROOT, 'node_modules', '.bin', name);
step(bin('tsc'), []);
step(bin('tsc'), ['-p', 'tsconfig.kernel.json']);
step('jupyter-builder', ['build', '.']);
console.log(`built in ${dir}; run: npm run bench -- --build=${dir}`);
