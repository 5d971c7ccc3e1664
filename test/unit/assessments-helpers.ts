/**
 * Shared set-up of the assessments pane tests: a two-span trace carrying
 * the recorded server answer's assessments (its span id is the child's),
 * and actions that record what the pane asked for.
 */
import React from 'react';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { buildTrace, ISpanDict, ITrace, ITraceInfoV3 } from '../../src/trace';
import {
  IAssessmentActions,
  IPendingWrite,
  TraceExplorer
} from '../../src/view';
import { RECORDED_ASSESSMENTS } from './assessments-fixtures';

/** The recorded trace's id. */
export const TRACE_ID = 'tr-c33fdf03f4ba04f328ae3277ea09d40c';

/** The child span the recorded judge scored. */
export const CHILD_ID = '2a46b922d56dd5b5';

/** A root and its child, with `assessments` and `tags` in the info. */
export function assessedTrace(
  assessments: unknown = RECORDED_ASSESSMENTS,
  tags: Record<string, string> = {
    topic: 'weather',
    'mlflow.traceName': 'root'
  }
): ITrace {
  const base = 1_796_622_800_512_000_000;
  const spans: ISpanDict[] = [
    {
      span_id: 'a1b2c3d4e5f60718',
      parent_span_id: null,
      name: 'root',
      start_time_unix_nano: base,
      end_time_unix_nano: base + 200e6
    },
    {
      span_id: CHILD_ID,
      parent_span_id: 'a1b2c3d4e5f60718',
      name: 'child',
      start_time_unix_nano: base + 10e6,
      end_time_unix_nano: base + 100e6
    }
  ];
  const info: ITraceInfoV3 = {
    trace_id: TRACE_ID,
    request_time: '2026-12-07T05:53:20.512Z',
    execution_duration: '0.200s',
    state: 'OK',
    tags,
    assessments: assessments as ITraceInfoV3['assessments']
  };
  return buildTrace(info, spans);
}

/** What the pane asked for, in order. */
export type Call = [string, ...unknown[]];

/** Actions that record their calls; `pending` is what the test sets. */
export function recordingActions(
  user: string | undefined,
  pending: IPendingWrite[] = [],
  disabledReason?: string
): IAssessmentActions & { calls: Call[] } {
  const calls: Call[] = [];
  const record =
    (name: string) =>
    (...args: unknown[]) => {
      calls.push([name, ...args]);
    };
  return {
    calls,
    user,
    disabledReason,
    pending,
    addFeedback: record('addFeedback'),
    addExpectation: record('addExpectation'),
    edit: record('edit'),
    override: record('override'),
    remove: record('remove'),
    setTag: record('setTag'),
    removeTag: record('removeTag'),
    retry: record('retry')
  };
}

/**
 * The explorer on {@link assessedTrace} of `assessments`, with `actions`,
 * and its assessments pane opened by the toolbar toggle.
 */
export function openAssessments(
  actions: IAssessmentActions | undefined,
  assessments: unknown = RECORDED_ASSESSMENTS
): { pane: HTMLElement; view: ReturnType<typeof render> } {
  const view = render(
    React.createElement(TraceExplorer, {
      trace: assessedTrace(assessments),
      actions
    })
  );
  fireEvent.click(screen.getByRole('button', { name: /^Assessments \(/ }));
  return {
    pane: screen.getByRole('complementary', { name: 'Assessments' }),
    view
  };
}

/** The value of the control labelled `label` in `form`. */
export function fieldValue(form: HTMLElement, label: string): string {
  return (
    within(form).getByLabelText(label) as
      HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement
  ).value;
}
