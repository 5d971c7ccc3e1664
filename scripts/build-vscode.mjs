/**
 * `npm run package:vscode`: builds the VS Code extension (vscode/) with
 * esbuild and packs it with vsce into dist/jupyterlab-mlflow-traces.vsix.
 *   - dist/renderer.js: the notebook renderer, one ES module for the
 *     output webview (React, our views, our styles as one string);
 *   - dist/extension.cjs: the extension host side, for Node.
 * The version follows the root package.json.
 */
import { spawnSync } from 'child_process';
import fs from 'fs';
import path from 'path';
import { fileURLToPath } from 'url';
import * as esbuild from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const EXTENSION = path.join(ROOT, 'vscode');
const OUT = path.join(EXTENSION, 'dist');
export const VSIX = path.join(ROOT, 'dist', 'jupyterlab-mlflow-traces.vsix');

/** Our stylesheets, bundled (their @imports resolved) into one string. */
async function bundledStyles() {
  const result = await esbuild.build({
    stdin: {
      contents: "@import url('index.css');\n@import url('vscode.css');\n",
      resolveDir: path.join(ROOT, 'style'),
      loader: 'css'
    },
    bundle: true,
    minify: true,
    write: false,
    logLevel: 'warning'
  });
  return result.outputFiles[0].text;
}

/** The virtual module the renderer imports its styles from. */
function stylesPlugin(css) {
  return {
    name: 'mlflow-traces-styles',
    setup(build) {
      build.onResolve({ filter: /^mlflow-traces-styles$/ }, args => ({
        path: args.path,
        namespace: 'styles'
      }));
      build.onLoad({ filter: /.*/, namespace: 'styles' }, () => ({
        contents: `export default ${JSON.stringify(css)};`,
        loader: 'js'
      }));
    }
  };
}

export async function buildVscode() {
  fs.rmSync(OUT, { recursive: true, force: true });
  const css = await bundledStyles();
  const common = {
    bundle: true,
    minify: true,
    sourcemap: false,
    legalComments: 'linked',
    logLevel: 'warning',
    tsconfig: path.join(ROOT, 'tsconfig.vscode.json')
  };
  await esbuild.build({
    ...common,
    entryPoints: [path.join(ROOT, 'src/vscode/renderer/index.tsx')],
    outfile: path.join(OUT, 'renderer.js'),
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    define: { 'process.env.NODE_ENV': '"production"' },
    plugins: [stylesPlugin(css)]
  });
  await esbuild.build({
    ...common,
    entryPoints: [path.join(ROOT, 'src/vscode/host/extension.ts')],
    outfile: path.join(OUT, 'extension.cjs'),
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external: ['vscode']
  });
}

/** Packs vscode/ into VSIX with the root package's version. */
export function packageVscode() {
  const manifestPath = path.join(EXTENSION, 'package.json');
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
  const { version } = JSON.parse(
    fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')
  );
  if (manifest.version !== version) {
    manifest.version = version;
    fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
  }
  fs.mkdirSync(path.dirname(VSIX), { recursive: true });
  const vsce = path.join(ROOT, 'node_modules', '.bin', 'vsce');
  const result = spawnSync(
    vsce,
    [
      'package',
      '--no-dependencies',
      '--allow-missing-repository',
      '--out',
      VSIX
    ],
    { cwd: EXTENSION, stdio: ['ignore', 'inherit', 'inherit'] }
  );
  if (result.status !== 0) {
    throw new Error(`vsce package failed (exit ${result.status})`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildVscode();
  packageVscode();
  const size = fs.statSync(VSIX).size;
  console.log(`${path.relative(ROOT, VSIX)}: ${(size / 1024).toFixed(0)} KiB`);
}
