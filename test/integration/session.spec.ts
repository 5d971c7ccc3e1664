/**
 * Sessions from the tslab helper against the real tracking server: the
 * traces sharing `mlflow.trace.session` (written out of order by MLflow's
 * Python SDK, test/fixtures/write_session_traces.py) come back as turns in
 * request-time order, capped with the page token of the rest, and show()
 * displays them as a session trace list.
 */
import { execFileSync } from 'child_process';
import * as path from 'path';
import Ajv2020 from 'ajv/dist/2020';
import * as fs from 'fs';
import {
  decodeTraceListBundle,
  renderTraceListText,
  TRACE_LIST_MIME_TYPE
} from '../../src/bundle';
import { MlflowClient } from '../../src/client';
// The modules themselves, not the kernel index: they are what show() runs.
import { show } from '../../src/kernel/display';
import { buildListContent } from '../../src/kernel/listdisplay';
import { configure } from '../../src/kernel/session';
import { searchSession } from '../../src/kernel/sessionsearch';
import { sessionTurns } from '../../src/trace';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PYTHON, ROOT, venvEnv } = require('../../scripts/lib/paths.cjs');

const uri = process.env.MLFLOW_TEST_TRACKING_URI as string;

interface IWritten {
  experiment_id: string;
  sessions: Record<string, string[]>;
  no_session: string[];
  feedback_trace: string;
}

const QUOTED = "o'hara's chat";

function schemaCheck(): (data: unknown) => boolean {
  const read = (name: string) =>
    JSON.parse(fs.readFileSync(path.join(ROOT, 'contract', name), 'utf8'));
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  ajv.addSchema(read('mlflow-rest.schema.json'));
  return ajv.compile(read('trace-list.schema.json'));
}

describe('sessions from the tslab helper on the real server', () => {
  let written: IWritten;

  beforeAll(async () => {
    const out = execFileSync(
      PYTHON,
      [
        path.join(ROOT, 'test', 'fixtures', 'write_session_traces.py'),
        uri,
        `sessions-${Date.now()}-${process.pid}`
      ],
      { encoding: 'utf8', env: venvEnv({ MLFLOW_TRACKING_URI: uri }) }
    );
    written = JSON.parse(out.trim().split('\n').pop() as string);
    await configure({
      trackingUri: uri,
      experimentId: written.experiment_id,
      autoDisplay: false
    });
  });

  it('reads a session in request-time order, not the order written', async () => {
    const results = await searchSession({ sessionId: 'sess-alpha' });
    expect(results.map(row => row.traceId)).toEqual(
      written.sessions['sess-alpha']
    );
    expect(results.query.sessionId).toBe('sess-alpha');
    expect(results.query.orderBy).toEqual(['timestamp_ms ASC']);
    expect(results.nextPageToken).toBeUndefined();
    const turns = sessionTurns(results.map(row => row.info));
    expect(turns.map(turn => turn.user)).toEqual([
      'What is the weather in Paris?',
      'And in Celsius?',
      'Will it rain tomorrow?',
      '<img src=x onerror="alert(1)">'
    ]);
    expect(turns[0].assistant).toBe('Sunny, 70 °F.');
    expect(turns.map(turn => turn.durationMs)).toEqual([1200, 900, 700, 400]);
  });

  it('keeps the error turn and the feedback on their turns', async () => {
    const beta = await searchSession({ sessionId: 'sess-beta' });
    expect(beta.map(row => row.traceId)).toEqual(written.sessions['sess-beta']);
    expect(beta.map(row => row.state)).toEqual(['OK', 'ERROR', 'OK']);
    const alpha = await searchSession({ sessionId: 'sess-alpha' });
    const rated = alpha.find(row => row.traceId === written.feedback_trace);
    expect(rated?.assessments.map(a => a.assessment_name)).toEqual(['helpful']);
  });

  it('finds a session whose id holds a quote, and only it', async () => {
    const quoted = await searchSession({ sessionId: QUOTED });
    expect(quoted.map(row => row.traceId)).toEqual(written.sessions[QUOTED]);
    expect(quoted.query.filter).toBe(
      `metadata.\`mlflow.trace.session\` = "${QUOTED}"`
    );
  });

  it('caps at maxTurns and keeps the token of the rest, which reads on in order', async () => {
    const first = await searchSession({ sessionId: 'sess-alpha', maxTurns: 3 });
    expect(first.map(row => row.traceId)).toEqual(
      written.sessions['sess-alpha'].slice(0, 3)
    );
    expect(first.nextPageToken).toBeDefined();
    // what the renderer's "Load more" asks: the bundle's query and token
    const { content } = buildListContent(first);
    const list = decodeTraceListBundle(content.data[TRACE_LIST_MIME_TYPE]);
    expect(list.query.sessionId).toBe('sess-alpha');
    const rest = await new MlflowClient({ trackingUri: uri }).searchTraces({
      experimentIds: list.query.experimentIds,
      filter: list.query.filter,
      orderBy: list.query.orderBy,
      maxResults: list.query.maxResults,
      pageToken: list.nextPageToken
    });
    expect(rest.traces.map(info => info.trace_id)).toEqual(
      written.sessions['sess-alpha'].slice(3)
    );
  });

  it('displays the session as a schema-valid trace list whose text lists the turns in order', async () => {
    const results = await searchSession({ sessionId: 'sess-beta' });
    const { content } = buildListContent(results);
    const bundle = content.data[TRACE_LIST_MIME_TYPE];
    const validate = schemaCheck();
    expect(validate(bundle)).toBe(true);
    expect(bundle).toMatchObject({
      query: {
        session_id: 'sess-beta',
        experiment_ids: [written.experiment_id]
      }
    });
    const text = content.data['text/plain'] as string;
    expect(text).toBe(renderTraceListText(bundle));
    const turnLines = text.split('\n').filter(line => line.startsWith('Turn '));
    expect(turnLines.map(line => line.split(' ')[2])).toEqual(
      written.sessions['sess-beta']
    );
    expect(text).toContain('  user: Book a table for two');
  });

  it('show({ sessionId }) outside a kernel prints the session text', async () => {
    const printed: string[] = [];
    const log = jest
      .spyOn(console, 'log')
      .mockImplementation((line: unknown) => void printed.push(String(line)));
    try {
      await show({ sessionId: 'sess-beta' });
    } finally {
      log.mockRestore();
    }
    expect(printed).toHaveLength(1);
    expect(printed[0].split('\n')[0]).toBe(
      `MLflow session "sess-beta": 3 turns; experiments ${written.experiment_id}`
    );
  });

  it('names what is wrong with a session id the filter cannot hold', async () => {
    await expect(show({ sessionId: `it's "both"` })).rejects.toThrow(
      /holds both ' and "/
    );
    await expect(searchSession({ sessionId: '' })).rejects.toThrow(
      'a session id is a non-empty string (got an empty string)'
    );
    await expect(
      searchSession({ sessionId: 'sess-alpha', maxTurns: 0 })
    ).rejects.toThrow('maxTurns is a positive integer (got 0)');
    expect(await searchSession({ sessionId: 'no-such-session' })).toHaveLength(
      0
    );
  });
});
