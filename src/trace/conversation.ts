/**
 * A span's inputs and outputs read as a conversation, in the shapes MLflow's
 * autologging integrations write: OpenAI Chat Completions and Responses,
 * Anthropic Messages, Gemini, Bedrock Converse, LangChain, LlamaIndex, DSPy,
 * OpenTelemetry GenAI and the `mlflow.chat.*` attributes. Pure: no DOM.
 *
 * #### Notes
 * Invariant: no string of a message is lost. Each string value of a message
 * appears in one of its parts (text, reasoning, tool call, tool result, image
 * or note), except part-type discriminators and the metadata keys in
 * {@link METADATA_KEYS}; strings under keys a reader does not know become
 * text parts. A shape recognized nowhere gives null, and the caller keeps its
 * JSON. Images keep only http(s) and `data:image/…;base64` URLs; any other
 * is replaced by a note and never loaded.
 */
import { isRecord } from './attributes';
import { safeHttpUrl } from './url';

/** The formats read, as `mlflow.message.format` names most of them. */
export type ChatFormat =
  | 'openai'
  | 'openai-responses'
  | 'anthropic'
  | 'gemini'
  | 'bedrock'
  | 'langchain'
  | 'llamaindex'
  | 'dspy'
  | 'otel-genai'
  | 'mlflow-chat';

/** A piece of text; `heading` names a DSPy section. */
export interface ITextPart {
  kind: 'text';
  text: string;
  heading?: string;
}
/** An image whose URL is http(s) or a data:image URL. */
export interface IImagePart {
  kind: 'image';
  url: string;
}
/** Reasoning or thinking text, shown folded. */
export interface IReasoningPart {
  kind: 'reasoning';
  text: string;
}
/** A call of a tool; `result` is its result when the span holds it. */
export interface IToolCallPart {
  kind: 'toolCall';
  id: string | undefined;
  name: string;
  arguments: string;
  result?: IToolResultPart;
}
/** What a tool returned; `linked` when it is also its call's `result`. */
export interface IToolResultPart {
  kind: 'toolResult';
  callId: string | undefined;
  name: string | undefined;
  text: string;
  linked?: boolean;
}
/** Something not shown, and why (an image URL that is not allowed). */
export interface INotePart {
  kind: 'note';
  text: string;
}
/** One part of a message. */
export type IMessagePart =
  | ITextPart
  | IImagePart
  | IReasoningPart
  | IToolCallPart
  | IToolResultPart
  | INotePart;

/** The roles a view styles; any other role is `other` (its text is kept in `role`). */
export type RoleKind = 'user' | 'assistant' | 'system' | 'tool' | 'other';

/** One message of a conversation. */
export interface IChatMessage {
  role: string;
  roleKind: RoleKind;
  parts: IMessagePart[];
}

/** A tool the model was offered. */
export interface IChatTool {
  name: string;
  description: string;
}

/** One side (inputs or outputs) of a chat span, read. */
export interface IConversation {
  format: ChatFormat;
  messages: IChatMessage[];
}

/** A chat span read: its input and output conversations and offered tools. */
export interface ISpanConversation {
  input: IConversation | null;
  output: IConversation | null;
  tools: IChatTool[];
}

/** Keys whose strings are metadata, not message content. */
export const METADATA_KEYS: ReadonlySet<string> = new Set([
  'type',
  'block_type',
  'id',
  'signature',
  'cache_control',
  'annotations',
  'index',
  'status',
  'response_metadata',
  'usage_metadata',
  'logprobs',
  'finish_reason',
  'finishReason',
  'refusal',
  'example',
  'invalid_tool_calls',
  'thoughtSignature',
  'thought_signature',
  'media_type',
  'mime_type',
  'mimeType',
  'image_mimetype',
  'detail',
  'format',
  'model',
  'stop_reason',
  'stop_sequence',
  'usage'
]);

const FORMAT_NAMES: Record<string, ChatFormat> = {
  openai: 'openai',
  'openai-chat': 'openai',
  chat: 'openai',
  litellm: 'openai',
  groq: 'openai',
  mistral: 'openai',
  'openai-responses': 'openai-responses',
  openai_responses: 'openai-responses',
  'openai-agent': 'openai-responses',
  anthropic: 'anthropic',
  gemini: 'gemini',
  google: 'gemini',
  'google-genai': 'gemini',
  bedrock: 'bedrock',
  langchain: 'langchain',
  langgraph: 'langchain',
  llamaindex: 'llamaindex',
  llama_index: 'llamaindex',
  'llama-index': 'llamaindex',
  dspy: 'dspy',
  otel: 'otel-genai',
  'otel-genai': 'otel-genai',
  gen_ai: 'otel-genai'
};

// --- strings ----------------------------------------------------------------

/** Every string under a value (iterative, never throws on depth). */
function stringsIn(value: unknown, skipMetadata: boolean): string[] {
  const out: string[] = [];
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (typeof item === 'string') {
      out.push(item);
    } else if (Array.isArray(item)) {
      for (let i = item.length - 1; i >= 0; i--) {
        stack.push(item[i]);
      }
    } else if (isRecord(item)) {
      const entries = Object.entries(item);
      for (let i = entries.length - 1; i >= 0; i--) {
        if (!(skipMetadata && METADATA_KEYS.has(entries[i][0]))) {
          stack.push(entries[i][1]);
        }
      }
    }
  }
  return out;
}

/** Text of a value: a string as is, anything else as JSON. */
function asText(value: unknown): string {
  if (typeof value === 'string') {
    return value;
  }
  if (value === undefined) {
    return '';
  }
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Text of a tool result's content: strings joined, records as JSON. */
function resultText(value: unknown): string {
  if (Array.isArray(value)) {
    return value
      .map(item =>
        isRecord(item) && typeof item.text === 'string'
          ? item.text
          : isRecord(item) && 'json' in item
            ? asText(item.json)
            : asText(item)
      )
      .join('\n');
  }
  return asText(value);
}

/** Text parts for the strings of `record` under keys not in `used`. */
function leftovers(
  record: Record<string, unknown>,
  used: readonly string[]
): ITextPart[] {
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (!used.includes(key) && !METADATA_KEYS.has(key)) {
      rest[key] = value;
    }
  }
  return stringsIn(rest, true)
    .filter(text => text !== '')
    .map(text => ({ kind: 'text', text }));
}

// --- images -----------------------------------------------------------------

const DATA_IMAGE =
  /^data:image\/(png|jpeg|jpg|gif|webp);base64,[A-Za-z0-9+/=]+$/;

/** An image part when the URL may be loaded, else a note; never loads others. */
function imagePart(url: unknown): IMessagePart {
  if (typeof url === 'string') {
    if (isLoadableImageUrl(url)) {
      return { kind: 'image', url };
    }
    return { kind: 'note', text: `image not shown: ${url}` };
  }
  return { kind: 'note', text: 'image not shown' };
}

/**
 * A data URL from a MIME type and base64 data; a reference such as the
 * `mlflow-attachment://…` MLflow stores in place of the bytes stays as it is.
 */
function dataUrl(mime: unknown, data: unknown): string | undefined {
  if (typeof data !== 'string') {
    return undefined;
  }
  if (data.includes('://')) {
    return data;
  }
  return `data:${typeof mime === 'string' ? mime : 'image/png'};base64,${data}`;
}

/** Whether a view may load this image URL: http(s) or a base64 data:image. */
export function isLoadableImageUrl(url: unknown): boolean {
  return (
    typeof url === 'string' &&
    url.trim() === url &&
    (DATA_IMAGE.test(url) || safeHttpUrl(url) !== null)
  );
}

// --- parts ------------------------------------------------------------------

function toolCall(id: unknown, name: unknown, args: unknown): IToolCallPart {
  return {
    kind: 'toolCall',
    id: typeof id === 'string' && id !== '' ? id : undefined,
    name: asText(name ?? ''),
    arguments: asText(args ?? {})
  };
}

function toolResult(
  callId: unknown,
  name: unknown,
  content: unknown
): IToolResultPart {
  return {
    kind: 'toolResult',
    callId: typeof callId === 'string' && callId !== '' ? callId : undefined,
    name: typeof name === 'string' ? name : undefined,
    text: resultText(content)
  };
}

/** What a reader made of a content item, and the keys it read. */
interface IKnownPart {
  parts: IMessagePart[];
  used: string[];
}

type Item = Record<string, unknown>;

const one = (part: IMessagePart, ...used: string[]): IKnownPart => ({
  parts: [part],
  used
});
const text = (value: string): ITextPart => ({ kind: 'text', text: value });
const thought = (value: string): IReasoningPart => ({
  kind: 'reasoning',
  text: value
});

/** `{type: "text", text}`; OpenTelemetry GenAI writes `{type: "text", content}`. */
function textItem(item: Item): IKnownPart | null {
  if (typeof item.text === 'string') {
    return one(text(item.text), 'text');
  }
  return typeof item.content === 'string'
    ? one(text(item.content), 'content')
    : null;
}

/** Anthropic `{source: {type: url | base64}}`, LlamaIndex `{url | image}`. */
function imageItem(item: Item): IKnownPart {
  const source = isRecord(item.source) ? item.source : undefined;
  const url =
    source?.type === 'url'
      ? source.url
      : source?.type === 'base64'
        ? dataUrl(source.media_type, source.data)
        : typeof item.url === 'string'
          ? item.url
          : dataUrl(item.image_mimetype, item.image);
  return one(imagePart(url), 'source', 'url', 'image', 'path');
}

/** Readers of content items by their `type` (LlamaIndex: `block_type`). */
const BY_TYPE = new Map<string, (item: Item) => IKnownPart | null>([
  ['text', textItem],
  ['input_text', textItem],
  ['output_text', textItem],
  ['summary_text', textItem],
  ['image', imageItem],
  [
    'image_url',
    item =>
      one(
        imagePart(
          isRecord(item.image_url) ? item.image_url.url : item.image_url
        ),
        'image_url'
      )
  ],
  ['input_image', item => one(imagePart(item.image_url), 'image_url')],
  [
    'thinking',
    item =>
      typeof item.thinking === 'string'
        ? one(thought(item.thinking), 'thinking')
        : typeof item.content === 'string'
          ? one(thought(item.content), 'content')
          : null
  ],
  [
    'redacted_thinking',
    () => one({ kind: 'note', text: 'redacted thinking' }, 'data')
  ],
  [
    'reasoning',
    item => ({
      parts: [
        ...stringsIn(item.summary, true),
        ...stringsIn(item.content, true)
      ].map(thought),
      used: ['summary', 'content', 'encrypted_content']
    })
  ],
  [
    'tool_use',
    item => one(toolCall(item.id, item.name, item.input), 'name', 'input')
  ],
  [
    'tool_result',
    item =>
      one(
        toolResult(item.tool_use_id, undefined, item.content),
        'tool_use_id',
        'content',
        'is_error'
      )
  ],
  [
    'function_call',
    item =>
      one(
        toolCall(item.call_id ?? item.id, item.name, item.arguments),
        'call_id',
        'name',
        'arguments'
      )
  ],
  [
    'function_call_output',
    item =>
      one(toolResult(item.call_id, undefined, item.output), 'call_id', 'output')
  ],
  [
    // OpenTelemetry GenAI {id, name, arguments}; LlamaIndex {tool_call_id, tool_name, tool_kwargs}.
    'tool_call',
    item =>
      one(
        toolCall(
          item.id ?? item.tool_call_id,
          item.name ?? item.tool_name,
          item.arguments ?? item.tool_kwargs
        ),
        'tool_call_id',
        'name',
        'tool_name',
        'arguments',
        'tool_kwargs'
      )
  ],
  [
    'tool_call_response',
    item =>
      one(
        toolResult(item.id, undefined, item.response ?? item.result),
        'response',
        'result'
      )
  ]
]);

/** Readers of untyped items by the key holding them (Gemini parts, Bedrock blocks). */
const BY_KEY: [string[], (value: Item) => IMessagePart[]][] = [
  [['functionCall', 'function_call'], v => [toolCall(v.id, v.name, v.args)]],
  [
    ['functionResponse', 'function_response'],
    v => [toolResult(v.id, v.name, v.response)]
  ],
  [
    ['inlineData', 'inline_data'],
    v => [imagePart(dataUrl(v.mimeType ?? v.mime_type, v.data))]
  ],
  [['fileData', 'file_data'], v => [imagePart(v.fileUri ?? v.file_uri)]],
  [['toolUse'], v => [toolCall(v.toolUseId, v.name, v.input)]],
  [['toolResult'], v => [toolResult(v.toolUseId, undefined, v.content)]],
  [['reasoningContent'], v => stringsIn(v, true).map(thought)],
  [
    ['image'],
    v => [
      imagePart(
        dataUrl(
          `image/${asText(v.format)}`,
          isRecord(v.source) ? v.source.bytes : undefined
        )
      )
    ]
  ]
];

/** The parts of one content item, whatever format wrote it, and the keys it read. */
function knownPart(item: Item): IKnownPart | null {
  const type = item.type ?? item.block_type;
  if (
    typeof item.text === 'string' &&
    (item.thought === true || type === 'reasoning')
  ) {
    // A Gemini thought part.
    return one(thought(item.text), 'text', 'thought');
  }
  const read = typeof type === 'string' ? BY_TYPE.get(type) : undefined;
  const typed = read ? read(item) : null;
  if (typed) {
    return typed;
  }
  for (const [keys, readValue] of BY_KEY) {
    const key = keys.find(k => isRecord(item[k]));
    if (key !== undefined) {
      return { parts: readValue(item[key] as Item), used: keys };
    }
  }
  return typeof item.text === 'string' ? one(text(item.text), 'text') : null;
}

/** The parts of a message's content: a string, one item, or a list of items. */
function contentParts(content: unknown): IMessagePart[] {
  if (content === null || content === undefined) {
    return [];
  }
  if (typeof content === 'string') {
    return content === '' ? [] : [{ kind: 'text', text: content }];
  }
  const items = Array.isArray(content) ? content : [content];
  const parts: IMessagePart[] = [];
  for (const item of items) {
    if (typeof item === 'string') {
      if (item !== '') {
        parts.push({ kind: 'text', text: item });
      }
    } else if (isRecord(item)) {
      const known = knownPart(item);
      if (known) {
        parts.push(...known.parts, ...leftovers(item, known.used));
      } else {
        parts.push(...leftovers(item, []));
      }
    } else if (Array.isArray(item)) {
      parts.push(...contentParts(item));
    } else if (item !== null && item !== undefined) {
      parts.push({ kind: 'text', text: String(item) });
    }
  }
  return parts;
}

const DSPY_MARKER = /\[\[ ## [^\]\n]+? ## \]\]/;

/** DSPy's `[[ ## field ## ]]` sections as headed text parts. */
function dspyParts(text: string): ITextPart[] | null {
  const marker = /\[\[ ## ([^\]\n]+?) ## \]\]/g;
  const matches = [...text.matchAll(marker)];
  if (matches.length === 0) {
    return null;
  }
  const parts: ITextPart[] = [];
  // Untrimmed, so the parts put back together give the text again.
  const before = text.slice(0, matches[0].index);
  if (before !== '') {
    parts.push({ kind: 'text', text: before });
  }
  matches.forEach((match, i) => {
    const start = (match.index ?? 0) + match[0].length;
    const end = i + 1 < matches.length ? matches[i + 1].index : text.length;
    parts.push({
      kind: 'text',
      heading: match[1],
      text: text.slice(start, end)
    });
  });
  return parts;
}

// --- messages ---------------------------------------------------------------

const ROLE_NAMES: Record<string, RoleKind> = {
  user: 'user',
  human: 'user',
  assistant: 'assistant',
  ai: 'assistant',
  model: 'assistant',
  system: 'system',
  developer: 'system',
  tool: 'tool',
  function: 'tool',
  ipython: 'tool'
};

const LANGCHAIN_TYPES = new Set([
  'human',
  'ai',
  'system',
  'tool',
  'chat',
  'function',
  'AIMessageChunk'
]);

function roleOf(message: Record<string, unknown>): string | null {
  if (typeof message.role === 'string') {
    return message.role;
  }
  if (typeof message.type === 'string' && LANGCHAIN_TYPES.has(message.type)) {
    return message.type === 'AIMessageChunk' ? 'ai' : message.type;
  }
  return null;
}

/** Tool calls in OpenAI (`function`) or LangChain (`name`, `args`) shape. */
function toolCallsOf(list: unknown): IToolCallPart[] {
  if (!Array.isArray(list)) {
    return [];
  }
  return list.filter(isRecord).map(call => {
    const fn = isRecord(call.function) ? call.function : call;
    return toolCall(call.id, fn.name, fn.arguments ?? fn.args);
  });
}

const MESSAGE_KEYS = [
  'role',
  'content',
  'parts',
  'blocks',
  'tool_calls',
  'tool_call_id',
  'reasoning_content',
  'additional_kwargs',
  'name',
  'function_call',
  'data',
  'kwargs',
  'lc',
  'audio'
];

/** One message, or null when the value has no role. */
function readMessage(value: unknown, dspy: boolean): IChatMessage | null {
  if (!isRecord(value)) {
    return null;
  }
  // LangChain's serialized form: {lc, type: "constructor", kwargs: {...}}.
  const message =
    isRecord(value.kwargs) && value.lc !== undefined ? value.kwargs : value;
  let role = roleOf(message);
  if (role === null && isRecord(value.data) && typeof value.type === 'string') {
    // LangChain's message_to_dict: {type, data: {content, ...}}.
    role = LANGCHAIN_TYPES.has(value.type) ? value.type : null;
    if (role !== null) {
      return readMessage({ ...value.data, type: value.type }, dspy);
    }
  }
  if (role === null) {
    return null;
  }
  const parts: IMessagePart[] = [];
  if (
    typeof message.reasoning_content === 'string' &&
    message.reasoning_content !== ''
  ) {
    parts.push({ kind: 'reasoning', text: message.reasoning_content });
  }
  const content = message.content ?? message.parts ?? message.blocks;
  const dspyText =
    dspy && typeof content === 'string' ? dspyParts(content) : null;
  const body = dspyText ?? contentParts(content);
  const kind = ROLE_NAMES[role] ?? 'other';
  if (typeof message.tool_call_id === 'string') {
    // A tool's answer: its whole content is the result of that call.
    parts.push(
      toolResult(message.tool_call_id, message.name, resultOf(body, content))
    );
  } else {
    parts.push(...body);
    if (message.content !== undefined && message.parts !== undefined) {
      parts.push(...contentParts(message.parts));
    }
    if (message.content !== undefined && message.blocks !== undefined) {
      parts.push(...contentParts(message.blocks));
    }
  }
  parts.push(...toolCallsOf(message.tool_calls));
  const extra = isRecord(message.additional_kwargs)
    ? message.additional_kwargs
    : {};
  if (!Array.isArray(message.tool_calls) || message.tool_calls.length === 0) {
    parts.push(...toolCallsOf(extra.tool_calls));
  }
  if (typeof extra.reasoning_content === 'string') {
    parts.unshift({ kind: 'reasoning', text: extra.reasoning_content });
  }
  if (
    typeof extra.tool_call_id === 'string' &&
    typeof message.tool_call_id !== 'string'
  ) {
    const texts = parts
      .filter(p => p.kind === 'text')
      .map(p => (p as ITextPart).text);
    const kept = parts.filter(p => p.kind !== 'text');
    parts.length = 0;
    parts.push(
      ...kept,
      toolResult(extra.tool_call_id, extra.name, texts.join('\n'))
    );
  }
  const fnCall = message.function_call;
  if (isRecord(fnCall)) {
    parts.push(toolCall(undefined, fnCall.name, fnCall.arguments));
  }
  parts.push(
    ...leftovers(extra, [
      'tool_calls',
      'reasoning_content',
      'tool_call_id',
      'name'
    ]),
    ...leftovers(message, MESSAGE_KEYS)
  );
  if (
    kind === 'tool' &&
    typeof message.tool_call_id !== 'string' &&
    typeof message.name === 'string'
  ) {
    parts.unshift({ kind: 'text', heading: 'tool', text: message.name });
  }
  const kept = parts.filter(
    p => !(p.kind === 'text' && p.text === '' && p.heading === undefined)
  );
  kept.push(...missing(message, kept));
  return { role, roleKind: kind, parts: kept };
}

/** The strings a part shows (a DSPy section with its marker, as written). */
function partStrings(part: IMessagePart): string[] {
  switch (part.kind) {
    case 'text':
      return [
        part.heading !== undefined
          ? `[[ ## ${part.heading} ## ]]${part.text}`
          : part.text
      ];
    case 'image':
      return [part.url];
    case 'reasoning':
    case 'note':
      return [part.text];
    case 'toolCall':
      return [part.id ?? '', part.name, part.arguments];
    case 'toolResult':
      return [part.callId ?? '', part.name ?? '', part.text];
  }
}

/**
 * Text parts for the strings of a message that no part shows: the safety
 * net behind the invariant in this file's header. A string counts as shown
 * when a part holds it, as written or JSON-escaped (tool arguments are JSON).
 */
function missing(
  message: Record<string, unknown>,
  parts: IMessagePart[]
): ITextPart[] {
  const shown = parts.flatMap(partStrings);
  const joined = shown.join('');
  const found = (text: string): boolean => {
    if (joined.includes(text)) {
      return true;
    }
    const escaped = JSON.stringify(text).slice(1, -1);
    return shown.some(s => s.includes(text) || s.includes(escaped));
  };
  const rest: Record<string, unknown> = { ...message };
  delete rest.role;
  const out: ITextPart[] = [];
  for (const text of stringsIn(rest, true)) {
    if (text !== '' && !found(text)) {
      out.push({ kind: 'text', text });
      shown.push(text);
    }
  }
  return out;
}

/** A tool message's content as one text (the parts' text, or the raw value). */
function resultOf(parts: IMessagePart[], content: unknown): string {
  if (parts.length > 0 && parts.every(p => p.kind === 'text')) {
    return parts.map(p => (p as ITextPart).text).join('\n');
  }
  return resultText(content);
}

function readMessages(list: unknown, dspy: boolean): IChatMessage[] | null {
  if (!Array.isArray(list) || list.length === 0) {
    return null;
  }
  const messages: IChatMessage[] = [];
  for (const item of list) {
    const message = readMessage(item, dspy);
    if (message === null) {
      return null;
    }
    messages.push(message);
  }
  return messages;
}

/** A system prompt given apart from the messages (Anthropic, Bedrock). */
function systemMessage(system: unknown): IChatMessage[] {
  if (system === undefined || system === null) {
    return [];
  }
  const parts = contentParts(system);
  parts.push(...missing({ system }, parts));
  return parts.length > 0
    ? [{ role: 'system', roleKind: 'system', parts }]
    : [];
}

/**
 * OpenAI Responses items (input or output) as messages; a string item (the
 * user's text) only when `strings`, the span being known to be a model call.
 */
function responsesItems(
  items: unknown[],
  strings: boolean
): IChatMessage[] | null {
  const messages: IChatMessage[] = [];
  for (const item of items) {
    if (typeof item === 'string' && strings) {
      messages.push({
        role: 'user',
        roleKind: 'user',
        parts: [{ kind: 'text', text: item }]
      });
      continue;
    }
    if (!isRecord(item)) {
      return null;
    }
    const message = readMessage(item, false);
    if (message !== null) {
      messages.push(message);
      continue;
    }
    const known = knownPart(item);
    if (known === null) {
      return null;
    }
    const role = item.type === 'function_call_output' ? 'tool' : 'assistant';
    const parts = [...known.parts, ...leftovers(item, known.used)];
    parts.push(...missing(item, parts));
    const last = messages[messages.length - 1];
    if (role === 'assistant' && last?.roleKind === 'assistant') {
      last.parts.push(...parts);
    } else {
      messages.push({ role, roleKind: ROLE_NAMES[role], parts });
    }
  }
  return messages.length > 0 ? messages : null;
}

/** Gemini `contents`: a string, a part, a content, or a list of them. */
function geminiContents(contents: unknown): IChatMessage[] | null {
  const list = Array.isArray(contents) ? contents : [contents];
  const messages: IChatMessage[] = [];
  for (const item of list) {
    if (isRecord(item) && Array.isArray(item.parts)) {
      const role = typeof item.role === 'string' ? item.role : 'user';
      const parts = [
        ...contentParts(item.parts),
        ...leftovers(item, ['role', 'parts'])
      ];
      parts.push(...missing({ ...item, role: undefined }, parts));
      messages.push({ role, roleKind: ROLE_NAMES[role] ?? 'other', parts });
    } else if (typeof item === 'string' || isRecord(item)) {
      // A bare part or string: a turn of the user's, joined to the one before.
      const parts = contentParts(item);
      parts.push(...missing({ item }, parts));
      const last = messages[messages.length - 1];
      if (last?.role === 'user') {
        last.parts.push(...parts);
      } else {
        messages.push({ role: 'user', roleKind: 'user', parts });
      }
    } else {
      return null;
    }
  }
  return messages.length > 0 ? messages : null;
}

/** DSPy completions: a list of strings with `[[ ## field ## ]]` sections. */
function dspyCompletions(list: unknown[]): IChatMessage[] | null {
  if (!list.every(item => typeof item === 'string' || isRecord(item))) {
    return null;
  }
  const messages: IChatMessage[] = [];
  for (const item of list) {
    const text =
      typeof item === 'string'
        ? item
        : isRecord(item) && typeof item.text === 'string'
          ? item.text
          : null;
    if (text === null) {
      return null;
    }
    const parts = dspyParts(text);
    if (parts === null) {
      return null;
    }
    messages.push({ role: 'assistant', roleKind: 'assistant', parts });
  }
  return messages.length > 0 ? messages : null;
}

// --- one side ---------------------------------------------------------------

/** A side's messages and the format its shape says, or null. */
function readShape(
  value: unknown,
  hint: ChatFormat | undefined
): { format: ChatFormat; messages: IChatMessage[] } | null {
  const dspy =
    hint === 'dspy' ||
    (hint === undefined && DSPY_MARKER.test(stringsIn(value, true).join('\n')));
  if (dspy && hint === undefined) {
    const read = readShape(value, 'dspy');
    return read && { ...read, format: 'dspy' };
  }
  if (Array.isArray(value)) {
    if (value.length > 0 && value.every(Array.isArray)) {
      // LangChain's batch of message lists.
      const messages = readMessages(value.flat(), dspy);
      return messages && { format: 'langchain', messages };
    }
    const messages = readMessages(value, dspy);
    if (messages) {
      return { format: guessFormat(value, hint), messages };
    }
    const completions = dspyCompletions(value);
    if (completions) {
      return { format: 'dspy', messages: completions };
    }
    if (
      hint === 'openai-responses' ||
      value.some(item => isRecord(item) && typeof item.type === 'string')
    ) {
      const items = responsesItems(value, hint !== undefined);
      return items && { format: 'openai-responses', messages: items };
    }
    return null;
  }
  if (!isRecord(value)) {
    return null;
  }
  if (Array.isArray(value.messages)) {
    const messages = readMessages(value.messages, dspy);
    if (messages) {
      const system = systemMessage(value.system);
      return {
        format: guessFormat(
          value.messages,
          hint ?? (value.system !== undefined ? 'anthropic' : undefined)
        ),
        messages: [...system, ...messages]
      };
    }
    const items = responsesItems(value.messages, false);
    return items && { format: 'openai-responses', messages: items };
  }
  // A model call's request, not any function with an `input` or `contents`
  // argument: a format named, or a model given.
  const modelCall = hint !== undefined || typeof value.model === 'string';
  if (
    value.contents !== undefined &&
    (modelCall ||
      (Array.isArray(value.contents) &&
        value.contents.every(c => isRecord(c) && Array.isArray(c.parts))))
  ) {
    const messages = geminiContents(value.contents);
    return (
      messages && {
        format: 'gemini',
        messages: [...systemOf(value.config), ...messages]
      }
    );
  }
  if (
    value.input !== undefined &&
    (typeof value.input === 'string' || Array.isArray(value.input))
  ) {
    const items = responsesItems(
      typeof value.input === 'string' ? [value.input] : value.input,
      modelCall
    );
    if (items) {
      return {
        format: 'openai-responses',
        messages: [...systemMessage(value.instructions), ...items]
      };
    }
    return null;
  }
  if (Array.isArray(value.choices)) {
    const messages = readMessages(
      value.choices.map(c =>
        isRecord(c) ? (c.message ?? c.delta) : undefined
      ),
      dspy
    );
    return messages && { format: 'openai', messages };
  }
  if (Array.isArray(value.candidates)) {
    const messages = geminiContents(
      value.candidates.map(c => (isRecord(c) ? c.content : undefined))
    );
    return messages && { format: 'gemini', messages };
  }
  if (Array.isArray(value.output)) {
    const items = responsesItems(value.output, false);
    return items && { format: 'openai-responses', messages: items };
  }
  if (isRecord(value.output) && isRecord(value.output.message)) {
    const message = readMessage(value.output.message, dspy);
    return message && { format: 'bedrock', messages: [message] };
  }
  if (Array.isArray(value.generations)) {
    const messages = readMessages(
      value.generations
        .flat()
        .map(g =>
          isRecord(g)
            ? (g.message ?? { type: 'ai', content: g.text })
            : undefined
        ),
      dspy
    );
    return messages && { format: 'langchain', messages };
  }
  if (isRecord(value.message)) {
    const message = readMessage(value.message, dspy);
    return (
      message && {
        format: guessFormat([value.message], hint),
        messages: [message]
      }
    );
  }
  const message = readMessage(value, dspy);
  if (
    message &&
    (value.content !== undefined ||
      value.parts !== undefined ||
      value.blocks !== undefined)
  ) {
    return {
      format:
        value.type === 'message' ? 'anthropic' : guessFormat([value], hint),
      messages: [message]
    };
  }
  return null;
}

/** Gemini's `system_instruction` in a request config. */
function systemOf(config: unknown): IChatMessage[] {
  if (!isRecord(config)) {
    return [];
  }
  const instruction = config.system_instruction ?? config.systemInstruction;
  if (isRecord(instruction) && instruction.parts !== undefined) {
    return systemMessage(instruction.parts);
  }
  return systemMessage(instruction);
}

/** The format a message list's shape suggests, the hint winning. */
function guessFormat(
  list: unknown[],
  hint: ChatFormat | undefined
): ChatFormat {
  if (hint) {
    return hint;
  }
  const records = list.filter(isRecord);
  if (records.some(m => Array.isArray(m.blocks))) {
    return 'llamaindex';
  }
  if (records.some(m => Array.isArray(m.parts))) {
    return 'otel-genai';
  }
  if (
    records.some(m => typeof m.role !== 'string' && typeof m.type === 'string')
  ) {
    return 'langchain';
  }
  return 'openai';
}

/** The format `mlflow.message.format` names, if it is one read here. */
export function messageFormatHint(value: unknown): ChatFormat | undefined {
  return typeof value === 'string'
    ? FORMAT_NAMES[value.toLowerCase().replace(/\s+/g, '')]
    : undefined;
}

/**
 * One side of a chat span (its inputs or its outputs) as a conversation, or
 * null when no known shape holds it. `format` is `mlflow.message.format`.
 */
export function readConversation(
  value: unknown,
  format?: unknown
): IConversation | null {
  const hint = messageFormatHint(format);
  try {
    const read = readShape(value, hint);
    if (read === null || read.messages.length === 0) {
      return null;
    }
    // "openai" names both OpenAI APIs; the shape tells which.
    const named =
      hint === 'openai' && read.format === 'openai-responses'
        ? read.format
        : hint;
    return { format: named ?? read.format, messages: read.messages };
  } catch {
    return null;
  }
}

/** Tools offered, from `mlflow.chat.tools` (OpenAI's `{type, function}` or bare). */
export function chatTools(value: unknown): IChatTool[] {
  if (!Array.isArray(value)) {
    return [];
  }
  return value.filter(isRecord).map(tool => {
    const fn = isRecord(tool.function) ? tool.function : tool;
    return {
      name: asText(fn.name ?? ''),
      description: typeof fn.description === 'string' ? fn.description : ''
    };
  });
}

/** Give each tool call the result answering it (same id), marking the result linked. */
function linkResults(messages: IChatMessage[]): void {
  const calls = new Map<string, IToolCallPart>();
  // Gemini gives calls and responses no ids: they pair by name, in order.
  const unnamed: IToolCallPart[] = [];
  for (const message of messages) {
    for (const part of message.parts) {
      if (part.kind === 'toolCall') {
        if (part.id !== undefined) {
          calls.set(part.id, part);
        } else {
          unnamed.push(part);
        }
      } else if (part.kind === 'toolResult') {
        const call =
          part.callId !== undefined
            ? calls.get(part.callId)
            : unnamed.find(c => c.result === undefined && c.name === part.name);
        if (call && call.result === undefined) {
          call.result = part;
          part.linked = true;
        }
      }
    }
  }
}

/**
 * A chat span's conversation: its inputs and outputs read, tool results
 * tied to their calls, and the tools offered. The `mlflow.chat.messages`
 * attribute, when present and readable, stands for the inputs.
 */
export function spanConversation(span: {
  inputs: unknown;
  outputs: unknown;
  attributes: Record<string, unknown>;
}): ISpanConversation {
  const format = span.attributes['mlflow.message.format'];
  const fromAttribute = readConversation(
    span.attributes['mlflow.chat.messages']
  );
  const input =
    readConversation(span.inputs, format) ??
    (fromAttribute && { ...fromAttribute, format: 'mlflow-chat' });
  const output = readConversation(span.outputs, format);
  linkResults([...(input?.messages ?? []), ...(output?.messages ?? [])]);
  return {
    input,
    output,
    tools: chatTools(span.attributes['mlflow.chat.tools'])
  };
}
