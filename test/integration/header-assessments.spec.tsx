/**
 * Feedback and expectations logged on a real server appear in the trace
 * header, read from the trace info exactly as the server returns it.
 */
import React from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { MlflowClient } from '../../src/client';
import { buildTrace, summarizeTrace } from '../../src/trace';
import { assessmentChips, TraceHeader } from '../../src/view/TraceHeader';
import { logTraceInfo } from './post-json';

const url = process.env.MLFLOW_TEST_TRACKING_URI!;
const client = new MlflowClient({ trackingUri: url });

it('shows the assessments of the trace info in the header', async () => {
  const traceId = `tr-${'cd'.repeat(16)}`;
  const response = await logTraceInfo(traceId, {
    execution_duration: '0.5s',
    state: 'OK'
  });
  expect(response.ok).toBe(true);
  await client.logFeedback(traceId, {
    name: 'relevance',
    value: 4,
    rationale: 'on topic',
    source: { type: 'HUMAN', id: 'reviewer@example.org' }
  });
  await client.logExpectation(traceId, {
    name: 'expected_facts',
    value: ['sunny in Lyon']
  });

  const info = await client.getTraceInfo(traceId);
  expect(info.assessments).toHaveLength(2);
  const chips = assessmentChips(info.assessments);
  expect(chips.map(chip => chip.text).sort()).toEqual([
    'expected_facts: ["sunny in Lyon"]',
    'relevance: 4'
  ]);
  expect(chips.find(chip => chip.text === 'relevance: 4')!.detail).toBe(
    'feedback · by reviewer@example.org · on topic'
  );
  const html = renderToStaticMarkup(
    <TraceHeader
      summary={summarizeTrace(buildTrace(info, []))}
      tags={info.tags ?? {}}
      assessments={info.assessments}
    />
  );
  expect(html).toContain('aria-label="Assessments"');
  expect(html).toContain('relevance: 4');
});
