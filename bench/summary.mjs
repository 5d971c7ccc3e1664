/**
 * The bench rows "summary of 10,000 and 100,000 traces" (issue 19): a real `mlflow server`
 * on PostgreSQL, its traces written once by bench/write_summary_bench.py (MLflow's store
 * API) and kept in a PostgreSQL data dir per size under .cache/bench, keyed by the writer,
 * the MLflow pin and the size, so a second run starts in seconds.
 *
 *   node bench/summary.mjs               prepare the data when missing, then measure
 *   node bench/summary.mjs --prepare     only prepare the data
 *
 * Every summary goes through a pass-through proxy on 127.0.0.1 that counts the bytes of
 * each request and answer and times each QueryTraceMetrics request (the server's time):
 * the end-to-end figures include its forwarding. Each language runs in a fresh process
 * (summary_time.py, summary-time.cjs): the first run is the cold figure, the median of
 * the others the warm one. The search path runs once per size, with a deadline.
 *
 * run.mjs calls `summaryResults` with the Node library it measures.
 */
import { createHash } from 'crypto';
import { spawn } from 'child_process';
import fs from 'fs';
import http from 'http';
import os from 'os';
import path from 'path';
import { performance } from 'perf_hooks';
import { createRequire } from 'module';
import { fileURLToPath } from 'url';

const require = createRequire(import.meta.url);
const HERE = path.dirname(fileURLToPath(import.meta.url));
const { ROOT, PYTHON, venvEnv } = require('../scripts/lib/paths.cjs');
const { startPostgres } = require('../scripts/lib/postgres.cjs');
const {
  startMlflowServer,
  stopProcessGroup
} = require('../scripts/lib/mlflow-server.cjs');
const { coldWarm, median, ratioOf } = require('./judge.cjs');

/** Trace counts, one experiment each; `--sizes=N,M` for others (their own cache). */
export const SIZES = [10000, 100000];
const WRITER = path.join(HERE, 'write_summary_bench.py');

/** The cache folder of one size's data: changes with the writer or MLflow. */
function dataDir(size) {
  const pin = fs
    .readFileSync(path.join(ROOT, 'requirements.txt'), 'utf8')
    .split('\n')
    .find(line => line.startsWith('mlflow=='));
  const key = createHash('sha256')
    .update(fs.readFileSync(WRITER))
    .update(`\n${pin}\n${size}`)
    .digest('hex')
    .slice(0, 12);
  return path.join(ROOT, '.cache', 'bench', `summary-pg-${key}`);
}

/** Run a child to its end; resolves to its stdout, rejects with its stderr's end. */
function run(command, args, { echo = false, timeoutMs = 0 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env: venvEnv() });
    const timer =
      timeoutMs > 0 &&
      setTimeout(() => {
        child.kill('SIGKILL');
        const late = new Error(`did not finish in ${timeoutMs / 1000} s`);
        late.timedOutMs = timeoutMs;
        reject(late);
      }, timeoutMs);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', chunk => (stdout += chunk));
    child.stderr.on('data', chunk => {
      stderr = (stderr + chunk).slice(-4000);
      if (echo) {
        process.stderr.write(chunk);
      }
    });
    child.on('exit', code => {
      clearTimeout(timer);
      if (code === 0) {
        resolve(stdout);
      } else {
        reject(
          new Error(`${path.basename(args[0])} exited ${code}: ${stderr}`)
        );
      }
    });
  });
}

/** A live process of that pid. */
function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The PostgreSQL data dir holding the `size` traces of the bench, written when missing
 * (minutes for 100,000), and what the writer said: `{experiments: {size: id}, range:
 * [start, end]}`. While another process writes it, an error says so (it is not removed).
 */
export async function prepareSummaryData(size) {
  const dir = dataDir(size);
  const done = path.join(dir, 'written.json');
  if (fs.existsSync(done)) {
    return { dir, written: JSON.parse(fs.readFileSync(done, 'utf8')) };
  }
  const writer = path.join(dir, 'writing.pid');
  const pid = fs.existsSync(writer) && Number(fs.readFileSync(writer, 'utf8'));
  if (pid && pid !== process.pid && alive(pid)) {
    const busy = new Error(
      `the ${size} traces are being written by process ${pid}`
    );
    busy.notRun = true;
    throw busy;
  }
  // a data dir without written.json is a write that did not finish
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(writer, String(process.pid));
  const started = Date.now();
  console.error(`[summary] writing ${size} traces into ${dir} (minutes)…`);
  const database = await startPostgres({ dir });
  let output;
  try {
    output = await run(
      PYTHON,
      [WRITER, database.uri, path.join(dir, 'artifacts'), String(size)],
      { echo: true }
    );
  } finally {
    await database.stop();
  }
  const written = JSON.parse(output.trim().split('\n').pop());
  fs.writeFileSync(done, JSON.stringify(written));
  fs.rmSync(writer, { force: true });
  console.error(
    `[summary] written in ${((Date.now() - started) / 1000).toFixed(0)} s`
  );
  return { dir, written };
}

const METRICS_PATH = '/api/3.0/mlflow/traces/metrics';

/**
 * A pass-through proxy to `target` that files every request under the current run
 * (`GET /__bench/mark?run=N` switches it): path, request and answer bytes, and the time
 * from the request's arrival to the answer's last byte.
 */
function startCountingProxy(target) {
  const runs = new Map();
  let current = 'none';
  const upstream = new URL(target);
  const server = http.createServer((req, res) => {
    if (req.url.startsWith('/__bench/mark')) {
      current = new URL(req.url, 'http://x').searchParams.get('run');
      runs.set(current, []);
      res.end('ok');
      return;
    }
    const started = performance.now();
    const entry = {
      started,
      path: req.url.split('?')[0],
      requestBytes: 0,
      answerBytes: 0
    };
    (runs.get(current) ?? runs.set(current, []).get(current)).push(entry);
    const forward = http.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers
      },
      answer => {
        res.writeHead(answer.statusCode, answer.headers);
        answer.on('data', chunk => (entry.answerBytes += chunk.length));
        answer.pipe(res);
        answer.on('end', () => (entry.ms = performance.now() - started));
      }
    );
    forward.on('error', error => {
      entry.error = String(error);
      res.writeHead(502);
      res.end(String(error));
    });
    req.on('data', chunk => (entry.requestBytes += chunk.length));
    req.pipe(forward);
  });
  return new Promise(resolve =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${server.address().port}`,
        runs,
        close: () => new Promise(done => server.close(done))
      })
    )
  );
}

/**
 * What the proxy saw in one run: bytes both ways, and the QueryTraceMetrics requests: the
 * time from the first one's arrival to the last one's answer (the summary waits that long
 * on the server), and their times summed (the per-row span queries run 4 at a time).
 */
function traffic(entries = []) {
  const metrics = entries.filter(
    e => e.path === METRICS_PATH && e.ms !== undefined
  );
  const first = Math.min(...metrics.map(e => e.started));
  const last = Math.max(...metrics.map(e => e.started + e.ms));
  return {
    requests: entries.length,
    bytes: entries.reduce((n, e) => n + e.requestBytes + e.answerBytes, 0),
    metricsRequests: metrics.length,
    metricsMs: metrics.length ? last - first : NaN,
    metricsSummedMs: metrics.reduce((n, e) => n + e.ms, 0)
  };
}

const round = v => Math.round(v * 1000) / 1000;

/**
 * The summary rows at each size, for the Node library `libNode`; `log` prints progress.
 * Never throws: a measurement that failed is a row with `failed`. With `payloadDir`, the
 * Python server path's payload of each size goes to `payloadDir/summary-SIZE.json`.
 */
export async function summaryResults(
  libNode,
  {
    log = console.error,
    runs = 6,
    sizes = SIZES,
    payloadDir,
    search = true,
    searchTimeoutMs = 600000
  } = {}
) {
  const results = [];
  // `spans` is the table's size column: here the experiment's trace count
  const row = (metric, size, value, unit, extra = {}) =>
    results.push({
      metric,
      spans: size,
      value: round(value),
      unit,
      trace: 'summary-postgres',
      ...extra
    });
  // one line: the table prints it in a cell
  const failed = (metric, size, why, unit) =>
    results.push({
      metric,
      spans: size,
      value: null,
      unit,
      trace: 'summary-postgres',
      failed: why.replace(/\s+/g, ' ').slice(0, 300)
    });
  for (const size of sizes) {
    let prepared;
    try {
      prepared = await prepareSummaryData(size);
    } catch (error) {
      // being written elsewhere: not run; a writer that failed: FAILED
      const why = `no data: ${error.message.slice(0, 300)}`;
      if (error.notRun) {
        results.push({
          metric: 'summary_server_py_ms',
          spans: size,
          value: null,
          unit: 'ms',
          trace: 'summary-postgres',
          not_run: why
        });
      } else {
        failed('summary_server_py_ms', size, why, 'ms');
      }
      log(`[summary] ${size}: ${error.notRun ? 'not run' : 'FAILED'}: ${why}`);
      continue;
    }
    await measureSize(size, prepared, {
      search,
      searchTimeoutMs,
      row,
      failed,
      log,
      runs,
      libNode,
      payloadDir
    });
  }
  return results;
}

/** Start PostgreSQL on `prepared`'s data, a server and the proxy; measure both languages. */
async function measureSize(
  size,
  prepared,
  { row, failed, log, runs, libNode, payloadDir, search, searchTimeoutMs }
) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-summary-'));
  const database = await startPostgres({ dir: prepared.dir });
  let server;
  let proxy;
  try {
    server = await startMlflowServer({
      dir: work,
      backendStoreUri: database.uri
    });
    proxy = await startCountingProxy(server.url);
    const [start, end] = prepared.written.range;
    {
      const experiment = prepared.written.experiments[size];
      const languages = {
        py: (which, n) => [
          PYTHON,
          [
            path.join(HERE, 'summary_time.py'),
            proxy.url,
            experiment,
            start,
            end,
            n,
            which,
            ...(payloadDir && which === 'server'
              ? [path.join(payloadDir, `summary-${size}.json`)]
              : [])
          ]
        ],
        ts: (which, n) => [
          process.execPath,
          [
            path.join(HERE, 'summary-time.cjs'),
            libNode,
            proxy.url,
            experiment,
            start,
            end,
            n,
            which
          ]
        ]
      };
      for (const [language, command] of Object.entries(languages)) {
        const measured = {};
        const paths = [
          ['server', runs, 600000],
          ['search', 1, searchTimeoutMs]
        ];
        for (const [which, n, timeoutMs] of search
          ? paths
          : paths.slice(0, 1)) {
          const metric = `summary_${which}_${language}_ms`;
          try {
            const answer = JSON.parse(
              await run(...command(which, n), { timeoutMs })
            );
            const seen = [...Array(n).keys()].map(i =>
              traffic(proxy.runs.get(String(i)))
            );
            if (process.env.BENCH_SUMMARY_REQUESTS) {
              // every request of every run, for a closer look
              fs.appendFileSync(
                process.env.BENCH_SUMMARY_REQUESTS,
                JSON.stringify({
                  size,
                  language,
                  which,
                  runs: [...proxy.runs]
                }) + '\n'
              );
            }
            // the writer spreads request times as index * 24 h / size plus up to 999 ms,
            // so at 100,000 the last trace may start just past the range
            if (answer.traces !== size && answer.traces !== size - 1) {
              throw new Error(
                `summarized ${answer.traces} traces, not ${size}`
              );
            }
            const { cold, warm } =
              n > 1
                ? coldWarm(answer.ms)
                : { cold: answer.ms[0], warm: answer.ms[0] };
            const warmSeen = n > 1 ? seen.slice(1) : seen;
            measured[which] = warm;
            row(metric, size, warm, 'ms', { runs: answer.ms.map(round) });
            if (n > 1) {
              row(`summary_${which}_${language}_cold_ms`, size, cold, 'ms');
            }
            row(
              `summary_${which}_${language}_bytes`,
              size,
              median(warmSeen.map(t => t.bytes)),
              'bytes',
              {
                requests: warmSeen[0].requests
              }
            );
            if (which === 'server') {
              row(
                `summary_server_time_${language}_ms`,
                size,
                median(warmSeen.map(t => t.metricsMs)),
                'ms',
                {
                  metrics_requests: warmSeen[0].metricsRequests,
                  summed_ms: round(
                    median(warmSeen.map(t => t.metricsSummedMs))
                  ),
                  cold_ms: round(seen[0].metricsMs)
                }
              );
            }
            log(
              `[summary] ${language} ${which} ${size}: ${warm.toFixed(0)} ms (runs ${answer.ms.map(x => x.toFixed(0)).join(', ')}), ${warmSeen[0].requests} requests, ${median(warmSeen.map(t => t.bytes))} bytes`
            );
          } catch (error) {
            if (error.timedOutMs) {
              measured[`${which}LowerBound`] = error.timedOutMs;
            }
            failed(metric, size, error.message.slice(0, 300), 'ms');
            log(
              `[summary] ${language} ${which} ${size}: FAILED: ${error.message.slice(0, 300)}`
            );
          }
        }
        const ratio = ratioOf(measured.search, measured.server);
        const metric = `summary_search_over_server_${language}`;
        const bound = ratioOf(measured.searchLowerBound, measured.server);
        if (!search) {
          // asked not to run the search path: no ratio, and not a failure
          row(metric, size, null, 'ratio', {
            value: null,
            not_run: 'the search path was skipped (--no-search)'
          });
        } else if (!bound.failed) {
          // the search path did not finish: only a bound, never judged
          row(metric, size, bound.value, 'ratio', {
            lower_bound: true,
            why: `the search path did not finish in ${measured.searchLowerBound / 1000} s`
          });
        } else if (ratio.failed) {
          failed(metric, size, ratio.failed, 'ratio');
        } else {
          row(metric, size, ratio.value, 'ratio');
        }
      }
    }
  } catch (error) {
    failed('summary_server_py_ms', size, error.message.slice(0, 300), 'ms');
  } finally {
    await proxy?.close();
    if (server) {
      stopProcessGroup(server.pid);
    }
    await database.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const sizesArg = process.argv.find(a => a.startsWith('--sizes='));
  const sizes = sizesArg ? sizesArg.slice(8).split(',').map(Number) : SIZES;
  if (process.argv.includes('--prepare')) {
    for (const size of sizes) {
      const { dir, written } = await prepareSummaryData(size);
      console.log(JSON.stringify({ dir, ...written }));
    }
  } else {
    const timeoutArg = process.argv.find(a =>
      a.startsWith('--search-timeout-s=')
    );
    const results = await summaryResults(path.join(ROOT, 'lib', 'node'), {
      sizes,
      search: !process.argv.includes('--no-search'),
      searchTimeoutMs: timeoutArg
        ? Number(timeoutArg.split('=')[1]) * 1000
        : undefined
    });
    for (const r of results) {
      const shown = r.failed ? `FAILED: ${r.failed}` : `${r.value} ${r.unit}`;
      console.log(`${r.metric} ${r.spans ?? ''}: ${shown}`);
    }
  }
}
