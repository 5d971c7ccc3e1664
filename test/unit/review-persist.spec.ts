/**
 * A saved label written into a trace-list output's payload: the bundle's
 * info of that trace edited (the others as they were), text/html and
 * text/plain rebuilt by the kernel's builders, nothing for a trace the
 * bundle does not hold.
 */
import fs from 'fs';
import path from 'path';
import {
  renderTraceListHtml,
  renderTraceListText,
  TRACE_LIST_MIME_TYPE
} from '../../src/bundle';
import { editedListData } from '../../src/output/listModel';
import { IAssessment, ITraceInfoV3 } from '../../src/trace';
import { addAssessment } from '../../src/trace/assessmentEdits';

const RECORDED = path.resolve(__dirname, '..', 'fixtures', 'recorded');
const info = (label: string): ITraceInfoV3 =>
  JSON.parse(fs.readFileSync(path.join(RECORDED, `${label}.info.json`), 'utf8'))
    .trace.trace_info;

const label: IAssessment = {
  assessment_id: 'a-1',
  assessment_name: 'thumbs_up',
  trace_id: 'x',
  source: { source_type: 'HUMAN', source_id: 'alice' },
  create_time: '2026-12-07T06:00:00.000Z',
  last_update_time: '2026-12-07T06:00:00.000Z',
  feedback: { value: false },
  rationale: 'Made up a citation.',
  valid: true
};

describe('editedListData', () => {
  const traces = [
    info('assessed'),
    { ...info('assessed'), trace_id: 'tr-other' }
  ];
  const data = {
    [TRACE_LIST_MIME_TYPE]: {
      version: 1,
      tracking_uri: 'http://127.0.0.1:5000',
      query: { experiment_ids: ['1'], order_by: [] },
      traces
    },
    'text/html': '<p>old</p>',
    'text/plain': 'old'
  };

  it('edits one trace and rebuilds the fallbacks as the kernel builds them', () => {
    const id = traces[0].trace_id;
    const apply = (i: ITraceInfoV3) =>
      addAssessment(i, { ...label, trace_id: id });
    const edited = editedListData(data, TRACE_LIST_MIME_TYPE, id, apply)!;
    const bundle = edited[TRACE_LIST_MIME_TYPE] as { traces: ITraceInfoV3[] };
    expect(bundle.traces[0]).toEqual(apply(traces[0]));
    expect(bundle.traces[1]).toBe(traces[1]);
    expect(edited['text/html']).toBe(renderTraceListHtml(bundle));
    expect(edited['text/plain']).toBe(renderTraceListText(bundle));
    // The same three entries a kernel's display of a list carries (src/kernel/listdisplay.ts).
    expect(Object.keys(edited).sort()).toEqual(
      [TRACE_LIST_MIME_TYPE, 'text/html', 'text/plain'].sort()
    );
    // The input is left alone.
    expect(data[TRACE_LIST_MIME_TYPE].traces[0]).toBe(traces[0]);
  });

  it('leaves a payload without the trace alone', () => {
    expect(
      editedListData(data, TRACE_LIST_MIME_TYPE, 'tr-not-here', i => i)
    ).toBeUndefined();
    expect(
      editedListData({ other: 1 }, TRACE_LIST_MIME_TYPE, 'tr-x', i => i)
    ).toBeUndefined();
  });
});
