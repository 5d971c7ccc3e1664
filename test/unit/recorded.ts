/**
 * The responses recorded from a real `mlflow server` by
 * `npm run record-fixtures` (test/fixtures/recorded), for the unit tests.
 */
import fs from 'fs';
import path from 'path';
import { IBundleTraceInput } from '../../src/bundle';
import { buildTrace, ITrace } from '../../src/trace';

const RECORDED = path.resolve(__dirname, '..', 'fixtures', 'recorded');

/** The labels of the recorded Python-SDK traces. */
export const RECORDED_LABELS = ['nested', 'error', 'chat', 'unicode'];

function read(name: string): any {
  return JSON.parse(fs.readFileSync(path.join(RECORDED, name), 'utf8'));
}

/** A recorded trace: its info and its spans, as the server sent them. */
export function loadRecorded(
  label: string
): Required<Pick<IBundleTraceInput, 'traceId' | 'info' | 'spans'>> {
  const info = read(`${label}.info.json`).trace.trace_info;
  return {
    traceId: info.trace_id,
    info,
    spans: read(`${label}.spans.json`).spans
  };
}

/** What MLflow's Python SDK said of the recorded traces. */
export function recordedExpected(): any {
  return read('expected.json');
}

/**
 * The trace MLflow 3.17.2's SDK wrote with span log levels and linked prompts
 * (test/fixtures/write_loglevel_prompts.py), built.
 */
export function logLevelPromptsTrace(): ITrace {
  const { info, spans } = JSON.parse(
    fs.readFileSync(
      path.resolve(__dirname, '..', 'fixtures', 'loglevel-prompts.trace.json'),
      'utf8'
    )
  );
  return buildTrace(info, spans);
}
