/**
 * Runs the built tslab helper (lib/node) against a basic-auth MLflow server,
 * outside jest (whose VM cannot run the exporter's dynamic imports), with the
 * credentials ONLY in the environment (MLFLOW_TRACKING_USERNAME/PASSWORD).
 *
 * Usage: node auth-helper-child.cjs '{"trackingUri", "experimentId"}'
 * Prints one JSON line: the configuration, the trace id, the display content
 * the helper builds for that trace, or the error it threw.
 */
const path = require('path');
const helper = require(path.join(__dirname, '..', '..', 'lib', 'node'));

async function main() {
  const plan = JSON.parse(process.argv[2]);
  const out = {};
  try {
    out.config = await helper.configure({
      trackingUri: plan.trackingUri,
      experimentId: plan.experimentId,
      autoDisplay: false
    });
    let traceId = '';
    await helper.withSpan('auth_step', { spanType: 'CHAIN' }, async span => {
      traceId = span.traceId;
      span.setInputs({ q: 'hello' });
      return 'ok';
    });
    await helper.flush();
    out.traceId = traceId;
    const found = await helper.searchTraces({ maxResults: 10 });
    out.found = found.length;
    out.display = helper.buildListContent(found);
  } catch (error) {
    out.error = { name: error.name, message: error.message };
  }
  process.stdout.write(JSON.stringify(out) + '\n');
}

main().then(
  () => process.exit(0),
  error => {
    console.error(error);
    process.exit(1);
  }
);
