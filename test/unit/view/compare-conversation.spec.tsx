/**
 * @jest-environment jsdom
 *
 * The comparison diffs a chat span's messages, as the trace model reads
 * them, not only its JSON: two runs of a recorded OpenAI chat span (MLflow's
 * openai autolog), the second with another reply.
 */
import React from 'react';
import { render, screen } from '@testing-library/react';
import { buildTrace, ITrace } from '../../../src/trace';
import { CompareView } from '../../../src/view';
import { fakeLayout } from './helpers';
import { loadConversation } from '../trace/conversations';

beforeAll(fakeLayout);

const fixture = loadConversation('openai-chat');
const { reply, tool_result: toolResult } = fixture.stand_in;

/** The recorded trace whose outputs hold the reply, with `replyText` in its place. */
function replyTrace(replyText: string): ITrace {
  const recorded = fixture.traces.find(t =>
    JSON.stringify(t.spans).includes(JSON.stringify(reply).slice(1, -1))
  )!;
  const spans = JSON.parse(
    JSON.stringify(recorded.spans).split(reply).join(replyText)
  );
  return buildTrace(undefined, spans);
}

/** The diff section titled `title`, its lines as shown. */
function section(title: string): HTMLDetailsElement {
  const summary = screen.getByText(title, { selector: 'summary' });
  return summary.parentElement as HTMLDetailsElement;
}

describe('CompareView on chat spans', () => {
  it('diffs the reply as a message, and keeps the JSON folded below', () => {
    render(
      <CompareView
        left={replyTrace(reply)}
        right={replyTrace('It is raining in Paris.')}
      />
    );
    const outputs = section('Output messages');
    expect(outputs.open).toBe(true);
    const removed = outputs.querySelector('.jp-mod-removed')!.textContent;
    const added = outputs.querySelector('.jp-mod-added')!.textContent;
    expect(removed).toBe(`-   ${reply}\n`);
    expect(added).toBe('+   It is raining in Paris.\n');
    expect(outputs.textContent).toContain('  assistant:');

    const inputs = section('Input messages');
    // Same inputs: no line marked, the tool result shown under its call.
    expect(inputs.querySelector('.jp-mod-added, .jp-mod-removed')).toBeNull();
    expect(inputs.textContent).toContain('[tool call] get_weather');
    expect(inputs.textContent).toContain(`] ${toolResult}`);
    expect(inputs.textContent).toContain(
      '[image] https://example.com/paris.png'
    );

    expect(section('Outputs (JSON)').open).toBe(false);
    expect(section('Inputs (JSON)').open).toBe(false);
  });

  it('shows only the JSON, open, for spans read as no conversation', () => {
    const plain = (text: string) =>
      buildTrace(undefined, [
        {
          span_id: 'a',
          name: 'root',
          start_time_unix_nano: 1e18,
          end_time_unix_nano: 1e18 + 1e6,
          attributes: { 'mlflow.spanInputs': JSON.stringify({ q: text }) }
        }
      ]);
    render(<CompareView left={plain('one')} right={plain('two')} />);
    expect(screen.queryByText('Input messages')).toBeNull();
    expect(section('Inputs').open).toBe(true);
    expect(section('Inputs').textContent).toContain('+   "q": "two"');
  });
});
