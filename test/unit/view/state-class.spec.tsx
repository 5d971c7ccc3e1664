/**
 * @jest-environment jsdom
 */
import React from 'react';
import { render } from '@testing-library/react';
import { buildTrace, ISpanDict } from '../../../src/trace';
import { ITraceEntry, TraceOutput } from '../../../src/view';
import { stateClass } from '../../../src/view/stateClass';
import { fakeLayout } from './helpers';

beforeAll(fakeLayout);

const HOSTILE_STATE = 'x y" onclick=alert(1) data-z=';

function entryWithState(traceId: string, state: string): ITraceEntry {
  const spans: ISpanDict[] = [
    {
      span_id: 'root',
      parent_span_id: null,
      name: `root of ${traceId}`,
      start_time_unix_nano: 1_700_000_000_000_000_000,
      end_time_unix_nano: 1_700_000_000_010_000_000
    }
  ];
  const info = { trace_id: traceId, state } as never;
  return { traceId, loading: false, trace: buildTrace(info, spans) };
}

/** Every class attribute in the rendered output. */
function classAttributes(container: HTMLElement): string[] {
  return Array.from(container.querySelectorAll('[class]')).map(element =>
    element.getAttribute('class')!
  );
}

describe('trace state badges', () => {
  it('never turn the state text into a class, and still show it', () => {
    const { container } = render(
      <TraceOutput
        entries={[
          entryWithState('tr-1', HOSTILE_STATE),
          entryWithState('tr-2', 'OK')
        ]}
        notices={[]}
      />
    );
    const badges = Array.from(
      container.querySelectorAll('.jp-MlflowTrace-state')
    );
    // One in the switcher, one in the header of the active trace.
    expect(
      badges.filter(badge => badge.textContent === HOSTILE_STATE)
    ).toHaveLength(2);
    for (const attribute of classAttributes(container)) {
      expect([attribute, attribute.includes('onclick')]).toEqual([
        attribute,
        false
      ]);
      expect([attribute, attribute.includes('x y')]).toEqual([
        attribute,
        false
      ]);
    }
    for (const badge of badges.filter(b => b.textContent === HOSTILE_STATE)) {
      expect(badge.getAttribute('class')).toBe(
        'jp-MlflowTrace-state jp-MlflowTrace-state-other'
      );
    }
  });

  it('give each known state its own class', () => {
    const states = ['OK', 'ERROR', 'IN_PROGRESS'];
    const { container } = render(
      <TraceOutput
        entries={states.map((state, i) => entryWithState(`tr-${i}`, state))}
        notices={[]}
      />
    );
    const switcherBadges = Array.from(
      container.querySelectorAll('[role="tab"] .jp-MlflowTrace-state')
    );
    expect(
      switcherBadges.map(badge => [
        badge.textContent,
        badge.getAttribute('class')
      ])
    ).toEqual(
      states.map(state => [
        state,
        `jp-MlflowTrace-state jp-MlflowTrace-state-${state}`
      ])
    );
  });
});

describe('stateClass', () => {
  it('maps the known states to their classes and anything else to one neutral class', () => {
    expect(stateClass('OK')).toBe('jp-MlflowTrace-state-OK');
    expect(stateClass('ERROR')).toBe('jp-MlflowTrace-state-ERROR');
    expect(stateClass('IN_PROGRESS')).toBe('jp-MlflowTrace-state-IN_PROGRESS');
    expect(stateClass('STATE_UNSPECIFIED')).toBe(
      'jp-MlflowTrace-state-STATE_UNSPECIFIED'
    );
    for (const other of [HOSTILE_STATE, '', 'ok', 'constructor', '__proto__']) {
      expect([other, stateClass(other)]).toEqual([
        other,
        'jp-MlflowTrace-state-other'
      ]);
    }
  });
});
