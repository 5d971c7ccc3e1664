/**
 * The spans MLflow's autologging integrations wrote, recorded by
 * scripts/record-conversations.py into test/fixtures/conversations/.
 */
import fs from 'fs';
import path from 'path';
import { buildTrace, ISpan } from '../../../src/trace';

const DIR = path.resolve(__dirname, '..', '..', 'fixtures', 'conversations');

/** The recorded providers, one fixture file each. */
export const CONVERSATION_FIXTURES = [
  'openai-chat',
  'openai-responses',
  'openai-responses-stream',
  'openai-agents',
  'google-adk',
  'anthropic',
  'gemini',
  'bedrock',
  'langchain',
  'llama-index',
  'dspy'
];

/** A fixture: versions, what the stand-in was told and answered, the traces. */
export interface IConversationFixture {
  integration: string;
  versions: Record<string, string>;
  stand_in: {
    question: string;
    tool: { name: string; arguments: Record<string, unknown> };
    tool_result: string;
    reply: string;
    thinking: string;
    image_url: string;
    /** Each answer: a response body, or the server-sent events streamed. */
    answered: { path: string; response?: any; events?: any[] }[];
  };
  traces: { trace_id: string; spans: any[] }[];
}

export function loadConversation(name: string): IConversationFixture {
  return JSON.parse(fs.readFileSync(path.join(DIR, `${name}.json`), 'utf8'));
}

/** A chat span: it carries `mlflow.message.format`, or OpenTelemetry GenAI messages (ADK's). */
export function isChatSpan(span: ISpan): boolean {
  return (
    span.attributes['mlflow.message.format'] !== undefined ||
    span.attributes['gen_ai.input.messages'] !== undefined
  );
}

/** The chat spans of a fixture, in order. */
export function chatSpans(fixture: IConversationFixture): ISpan[] {
  return fixture.traces.flatMap(t =>
    buildTrace(undefined, t.spans)
      .nodesInOrder.map(n => n.span)
      .filter(isChatSpan)
  );
}
