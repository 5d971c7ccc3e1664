/**
 * The tslab helper (lib/node) against faulty servers, in one long-lived
 * process as a kernel would be: prints a line first (the "earlier output"),
 * then for each URL configures the helper and runs a query, catching what it
 * throws, and finally works against the real server again.
 *
 * Usage: node faults-helper-child.cjs '{"urls": {label: url}, "good": url, "experimentId"}'
 * Prints JSON lines: {"before": true}, one {label, name, message} per URL, {"after": n}.
 */
const path = require('path');
const helper = require(path.join(__dirname, '..', '..', 'lib', 'node'));

async function main() {
  const plan = JSON.parse(process.argv[2]);
  const print = value => process.stdout.write(JSON.stringify(value) + '\n');
  print({ before: true });
  for (const [label, url] of Object.entries(plan.urls)) {
    try {
      await helper.configure({
        trackingUri: url,
        experimentId: plan.experimentId,
        autoDisplay: false
      });
      await helper.searchTraces({ maxResults: 1 });
      print({ label, name: 'none', message: 'no error' });
    } catch (error) {
      print({ label, name: error.name, message: error.message });
    }
  }
  await helper.configure({
    trackingUri: plan.good,
    experimentId: plan.experimentId,
    autoDisplay: false
  });
  const found = await helper.searchTraces({ maxResults: 5 });
  print({ after: found.length });
}

main().then(
  () => process.exit(0),
  error => {
    console.error(error);
    process.exit(1);
  }
);
