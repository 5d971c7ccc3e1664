/**
 * Lints code snippets as if they stood at given paths, with ESLint's Node
 * API and the repo's eslint.config.mjs; prints each snippet's messages.
 * Its own process: ESLint loads the ESM config with import(), which jest's
 * module sandbox refuses without --experimental-vm-modules.
 * stdin: [{ file, code }]; stdout: [[{ ruleId, message }]].
 */
const path = require('path');
const { ESLint } = require('eslint');

const ROOT = path.resolve(__dirname, '..', '..', '..');

async function main() {
  const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));
  const eslint = new ESLint({
    cwd: ROOT,
    overrideConfigFile: 'eslint.config.mjs'
  });
  const out = [];
  for (const { file, code } of cases) {
    const [result] = await eslint.lintText(code, {
      filePath: path.join(ROOT, file)
    });
    out.push(
      result.messages.map(m => ({ ruleId: m.ruleId, message: m.message }))
    );
  }
  process.stdout.write(JSON.stringify(out));
}

main().catch(error => {
  process.stderr.write(String(error && error.stack ? error.stack : error));
  process.exit(1);
});
