/**
 * Makes traces through the built helper (lib/node) over real OTLP, outside
 * jest (whose VM cannot run the exporter's dynamic imports), and never calls
 * flush(): whatever reaches the server got there by itself.
 *
 * Usage: node late-spans-child.cjs TRACKING_URI EXPERIMENT_ID
 * Prints JSON: { late: { traceId, first, final }, nest: { traceId } }, where
 * `first` and `final` are the span names the server held after the root's
 * request and after the late child's.
 */
const path = require('path');
const helper = require(path.join(__dirname, '..', '..', 'lib', 'node'));
const { GRACE_MS } = require(
  path.join(__dirname, '..', '..', 'lib', 'node', 'kernel', 'processor')
);

const [trackingUri, experimentId] = process.argv.slice(2);
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

async function namesOnServer(traceId) {
  const response = await fetch(
    `${trackingUri}/api/3.0/mlflow/traces/get?trace_id=${traceId}`
  );
  if (!response.ok) {
    return [];
  }
  const body = await response.json();
  return (body.trace?.spans ?? []).map(s => s.name).sort();
}

async function waitForCount(traceId, count) {
  const deadline = Date.now() + 10000;
  let names = [];
  while (Date.now() < deadline) {
    names = await namesOnServer(traceId);
    if (names.length >= count) {
      break;
    }
    await sleep(50);
  }
  return names;
}

async function late() {
  let traceId = '';
  let background;
  await helper.withSpan('agent', async span => {
    traceId = span.traceId;
    // Not awaited: it ends long after its root and the grace period.
    background = helper.withSpan('background', async () => {
      await sleep(GRACE_MS + 1000);
      return 'late';
    });
    await helper.withSpan('answer', async () => 'done');
  });
  const first = await waitForCount(traceId, 2);
  await background;
  const final = await waitForCount(traceId, 3);
  return { traceId, first, final };
}

async function nest() {
  let traceId = '';
  const leaf = helper.trace(async i => i * 2, { name: 'leaf' });
  await helper.withSpan('root', async span => {
    traceId = span.traceId;
    for (let i = 0; i < 30; i++) {
      await helper.withSpan(`step-${i}`, async () => {
        await Promise.all([leaf(i), leaf(i + 1)]);
      });
    }
  });
  await waitForCount(traceId, 91);
  return { traceId };
}

(async () => {
  await helper.configure({ trackingUri, experimentId, autoDisplay: false });
  const result = { late: await late(), nest: await nest() };
  process.stdout.write(JSON.stringify(result));
})().catch(error => {
  console.error(error);
  process.exit(1);
});
