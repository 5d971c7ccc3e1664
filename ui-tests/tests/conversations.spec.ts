/**
 * Conversations in every recorded provider format, in a real JupyterLab: one
 * embedded trace holds one chat span of each fixture in
 * test/fixtures/conversations/ (recorded from MLflow's autologging
 * integrations by scripts/record-conversations.py), renamed after its
 * provider. Selecting each shows the reply as a chat message, the tool call
 * with its arguments (and its result under it), images as images, and
 * reasoning folded. Compared with a second run whose replies differ, each
 * chat span is diffed by its messages, its JSON folded below.
 */
import fs from 'fs';
import path from 'path';
import { expect, test } from '@jupyterlab/galata';
import {
  embeddedBundle,
  IBundleTrace,
  recordedTrace,
  traceNotebook,
  uploadNotebook
} from '../notebooks';
import { spanRow, traceWidget } from '../trace-dom';

const DIR = path.resolve(
  __dirname,
  '..',
  '..',
  'test',
  'fixtures',
  'conversations'
);

interface IFixture {
  stand_in: {
    tool: { name: string };
    reply: string;
    thinking: string;
    image_url: string;
    answered: unknown[];
  };
  traces: { spans: Record<string, any>[] }[];
}

/** Which recorded span of each fixture the trace shows. */
const SHOWN: Record<string, (span: Record<string, any>) => boolean> = {
  'openai-chat': () => true,
  'openai-responses': () => true,
  anthropic: () => true,
  gemini: span => span.name === 'Models.generate_content',
  bedrock: () => true,
  langchain: () => true,
  'llama-index': span => span.name === 'MockLLM.chat',
  dspy: span => span.name === 'DummyLM.__call__'
};

const load = (name: string): IFixture =>
  JSON.parse(fs.readFileSync(path.join(DIR, `${name}.json`), 'utf8'));

/** The last chat span of a fixture that SHOWN picks (the turn with the reply). */
function pick(name: string): Record<string, any> {
  const spans = load(name)
    .traces.flatMap(t => t.spans)
    .filter(s => s.attributes['mlflow.message.format'] !== undefined)
    .filter(SHOWN[name]);
  return spans[spans.length - 1];
}

/**
 * One trace: the recorded "chat" trace's info and root span, with each
 * fixture's span under the root, renamed after its provider.
 */
function conversationsTrace(): IBundleTrace {
  const base = recordedTrace('chat');
  const root = base.spans![0] as Record<string, any>;
  const spans = Object.keys(SHOWN).map((name, index) => {
    const span = pick(name);
    return {
      ...span,
      trace_id: root.trace_id,
      span_id: `conv-${index}`,
      parent_span_id: root.span_id,
      name,
      start_time_unix_nano: root.start_time_unix_nano,
      end_time_unix_nano: root.end_time_unix_nano,
      attributes: {
        ...span.attributes,
        'mlflow.traceRequestId': root.attributes['mlflow.traceRequestId']
      }
    };
  });
  return { ...base, spans: [root, ...spans] };
}

test('each provider format shows as a conversation', async ({
  page,
  request,
  tmpPath
}) => {
  const nbPath = `${tmpPath}/conversations.ipynb`;
  await uploadNotebook(
    request,
    nbPath,
    traceNotebook(embeddedBundle([conversationsTrace()])),
    { trusted: false }
  );
  await page.notebook.openByPath(nbPath);
  await page.notebook.activate('conversations.ipynb');
  const widget = traceWidget(page);
  const details = widget.getByLabel('Span details');

  for (const name of Object.keys(SHOWN)) {
    const asked = load(name).stand_in;
    // The row's name is "TYPE name duration".
    await spanRow(widget, new RegExp(`^\\S+ ${name} `)).click();
    await expect(details.getByRole('heading')).toHaveText(name);
    const [input, output] = [
      details.getByLabel('Conversation').first(),
      details.getByLabel('Conversation').last()
    ];
    await expect(details.getByLabel('Conversation')).toHaveCount(2);

    if (name !== 'llama-index') {
      // MockLLM echoes its prompt; every other stand-in answers the reply.
      await expect(
        output.locator('.jp-MlflowTrace-messageText', {
          hasText: asked.reply
        })
      ).toHaveCount(1);
    }
    if (name === 'dspy') {
      await expect(output).toContainText('answer');
    } else {
      const call = input.getByLabel('Tool call').first();
      await expect(call).toContainText(asked.tool.name);
      await expect(
        call.locator('.jp-MlflowTrace-toolArguments').first()
      ).toContainText(/"city": ?"Paris"/);
      await expect(call.getByLabel('Tool result')).toContainText(
        /"temperature_c": ?21/
      );
    }

    const images = details.locator('img');
    if (JSON.stringify(pick(name)).includes(asked.image_url)) {
      await expect(images).toHaveCount(1);
      await expect(images).toHaveAttribute('src', asked.image_url);
      await expect(images).toHaveAttribute('referrerpolicy', 'no-referrer');
    } else {
      await expect(images).toHaveCount(0);
    }

    const reasoning = details.locator('details.jp-MlflowTrace-reasoning');
    if (JSON.stringify(asked.answered).includes(asked.thinking)) {
      await expect(reasoning.first()).toBeVisible();
      await expect(reasoning.first()).not.toHaveAttribute('open', /.*/);
      await expect(
        reasoning.first().locator('.jp-MlflowTrace-messageText')
      ).toBeHidden();
      await reasoning.first().locator('summary').click();
      await expect(
        reasoning.first().locator('.jp-MlflowTrace-messageText')
      ).toContainText(asked.thinking);
    }
  }
});

test('comparing two runs diffs each chat span by its messages', async ({
  page,
  request,
  tmpPath
}) => {
  const before = conversationsTrace();
  const reply = load('openai-chat').stand_in.reply;
  const changed = 'It is raining in Paris.';
  // The same trace, run again with another reply from every provider.
  const after: IBundleTrace = JSON.parse(
    JSON.stringify(before).split(reply).join(changed)
  );
  const nbPath = `${tmpPath}/compare-conversations.ipynb`;
  await uploadNotebook(
    request,
    nbPath,
    traceNotebook({ ...embeddedBundle([before, after]), compare: true }),
    { trusted: false }
  );
  await page.notebook.openByPath(nbPath);
  await page.notebook.activate('compare-conversations.ipynb');
  const aligned = page.getByRole('table', { name: 'Aligned spans' });
  await aligned.locator('[role=row]', { hasText: 'openai-chat' }).click();
  const diff = page.getByLabel('Span diff');
  await expect(diff.getByRole('heading')).toHaveText('openai-chat');

  const outputs = diff.locator('details', {
    has: page.locator('summary', { hasText: /^Output messages$/ })
  });
  await expect(outputs).toHaveAttribute('open', '');
  await expect(outputs.locator('.jp-mod-removed')).toHaveText(`-   ${reply}\n`);
  await expect(outputs.locator('.jp-mod-added')).toHaveText(`+   ${changed}\n`);
  const inputs = diff.locator('details', {
    has: page.locator('summary', { hasText: /^Input messages$/ })
  });
  await expect(inputs).toContainText('[tool call] get_weather');
  await expect(inputs.locator('.jp-mod-added, .jp-mod-removed')).toHaveCount(0);
  // The JSON stays one click away, folded.
  const json = diff.locator('details', {
    has: page.locator('summary', { hasText: /^Outputs \(JSON\)$/ })
  });
  await expect(json).not.toHaveAttribute('open', /.*/);
});
