/**
 * Regenerates the golden text/html and text/plain fallbacks of the output
 * contract's reference bundles (contract/examples and contract/invalid) with
 * the TypeScript fallbacks in src/bundle, read straight from the sources.
 *
 *   node scripts/make-goldens.mjs          write contract/goldens
 *   node scripts/make-goldens.mjs --check  exit 1 when a golden is stale
 *   node scripts/make-goldens.mjs --render FILE
 *       print the fallbacks of FILE's [{kind, data}] as JSON (null where
 *       the fallbacks throw), or for kind 'encode' what encodeTraceBundle
 *       writes of data {traces, options}, or for kind 'conversation' the
 *       JSON text of spanConversation of the raw span dict data, as the
 *       trace model parses it ('conversation-text': the conversationText
 *       of its input and output; 'live-snapshot': boundLiveSnapshot of
 *       data {trace, maxBytes}): the Python port's parity tests
 *
 * Both emitters' tests compare their fallbacks with these files
 * (test/unit/bundle/contract.spec.ts, test/python/test_goldens.py).
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import { createRequire } from 'module';
import { fileURLToPath } from 'url';

const require = createRequire(import.meta.url);
const ts = require('typescript');
const prettier = require('prettier');

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CONTRACT = path.join(ROOT, 'contract');
const GOLDENS = path.join(CONTRACT, 'goldens');
const KINDS = ['trace', 'trace-list', 'trace-summary'];

/** Every .ts file below `folder`, as paths relative to it (subfolders included). */
function tsFilesBelow(folder) {
  return fs
    .readdirSync(folder, { recursive: true })
    .filter(file => file.endsWith('.ts'))
    .sort();
}

/** src/trace and src/bundle compiled to CommonJS in a temporary folder, loaded. */
function loadModules() {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'goldens-'));
  for (const folder of ['trace', 'bundle']) {
    const from = path.join(ROOT, 'src', folder);
    for (const file of tsFilesBelow(from)) {
      const source = fs.readFileSync(path.join(from, file), 'utf8');
      const { outputText } = ts.transpileModule(source, {
        compilerOptions: {
          module: ts.ModuleKind.CommonJS,
          target: ts.ScriptTarget.ES2020,
          esModuleInterop: true
        },
        fileName: path.basename(file)
      });
      const target = path.join(out, folder, file.replace(/\.ts$/, '.js'));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, outputText);
    }
  }
  try {
    return {
      bundle: require(path.join(out, 'bundle', 'index.js')),
      trace: require(path.join(out, 'trace', 'index.js'))
    };
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

/** The compiled src/bundle module. */
function loadBundleModule() {
  return loadModules().bundle;
}

/**
 * The JSON text of what spanConversation reads of one raw span dict, parsed
 * by the trace model ("null" for an entry that is not a span).
 */
function conversationOf(traceModule, data) {
  const span = traceModule.parseSpan(data, 0, []);
  return JSON.stringify(span && traceModule.spanConversation(span));
}

/** The JSON text of {input, output}: each side's conversationText, or null. */
function conversationTextOf(traceModule, data) {
  const span = traceModule.parseSpan(data, 0, []);
  if (span === null) {
    return JSON.stringify(null);
  }
  const { input, output } = traceModule.spanConversation(span);
  const text = side => side && traceModule.conversationText(side.messages);
  return JSON.stringify({ input: text(input), output: text(output) });
}

/** The fallbacks of one payload, as the renderer's peers would show it. */
export function fallbacksOf(bundleModule, kind, data) {
  if (kind === 'trace') {
    return {
      'text/html': bundleModule.renderTraceHtml(data),
      'text/plain': bundleModule.renderTraceText(data)
    };
  }
  if (kind === 'trace-summary') {
    return {
      'text/html': bundleModule.renderTraceSummaryHtml(data),
      'text/plain': bundleModule.renderTraceSummaryText(data)
    };
  }
  return {
    'text/html': bundleModule.renderTraceListHtml(data),
    'text/plain': bundleModule.renderTraceListText(data)
  };
}

/** Every golden file's path and content, from the current sources. */
async function goldens(bundleModule) {
  const files = new Map();
  const write = async (file, value) => {
    const text = await prettier.format(JSON.stringify(value), {
      parser: 'json'
    });
    files.set(path.join(GOLDENS, file), text);
  };
  for (const kind of KINDS) {
    const folder = path.join(CONTRACT, 'examples', kind);
    for (const file of fs.readdirSync(folder).sort()) {
      // JSON.parse, as the browser reads an output: ints beyond 2^53 round
      const data = JSON.parse(fs.readFileSync(path.join(folder, file), 'utf8'));
      await write(path.join(kind, file), fallbacksOf(bundleModule, kind, data));
    }
    const invalidFile = path.join(CONTRACT, 'invalid', `${kind}.json`);
    if (!fs.existsSync(invalidFile)) {
      continue; // a kind whose invalid bundles are tested by its decoder's spec alone
    }
    const invalid = JSON.parse(fs.readFileSync(invalidFile, 'utf8'));
    const decode = {
      trace: bundleModule.decodeTraceBundle,
      'trace-list': bundleModule.decodeTraceListBundle,
      'trace-summary': bundleModule.decodeTraceSummaryBundle
    }[kind];
    const out = {};
    for (const { name, bundle } of invalid) {
      const { errors, warnings } = decode(bundle);
      // renderTraceHtml reads an array as the kernel's list of traces
      const shown = Array.isArray(bundle)
        ? { 'text/html': null, 'text/plain': null }
        : fallbacksOf(bundleModule, kind, bundle);
      out[name] = { errors, warnings, ...shown };
    }
    await write(path.join('invalid', `${kind}.json`), out);
  }
  return files;
}

/** Prints the fallbacks of each `{kind, data}` in `file`, as one JSON array. */
function render(file) {
  const { bundle: bundleModule, trace: traceModule } = loadModules();
  const items = JSON.parse(fs.readFileSync(file, 'utf8'));
  const out = items.map(({ kind, data }) => {
    try {
      if (kind === 'conversation') {
        return conversationOf(traceModule, data);
      }
      if (kind === 'conversation-text') {
        return conversationTextOf(traceModule, data);
      }
      if (kind === 'live-snapshot') {
        return bundleModule.boundLiveSnapshot(data.trace, data.maxBytes);
      }
      return kind === 'encode'
        ? bundleModule.encodeTraceBundle(data.traces, data.options)
        : fallbacksOf(bundleModule, kind, data);
    } catch {
      return null;
    }
  });
  process.stdout.write(JSON.stringify(out));
}

async function main() {
  const renderAt = process.argv.indexOf('--render');
  if (renderAt >= 0) {
    render(process.argv[renderAt + 1]);
    return;
  }
  const check = process.argv.includes('--check');
  const files = await goldens(loadBundleModule());
  const stale = [];
  for (const [file, text] of files) {
    const old = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
    if (old === text) {
      continue;
    }
    stale.push(path.relative(ROOT, file));
    if (!check) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
    }
  }
  const verb = check ? 'stale' : 'written';
  console.log(
    stale.length === 0
      ? `${files.size} goldens up to date`
      : `${stale.length} of ${files.size} goldens ${verb}:\n  ${stale.join('\n  ')}`
  );
  if (check && stale.length > 0) {
    process.exit(1);
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
