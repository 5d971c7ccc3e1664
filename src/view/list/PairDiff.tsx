/**
 * The line diff of an aligned pair's inputs and outputs, as text: their
 * messages when either span reads as a conversation, and their JSON; with
 * the note of a diff that is partial because the values are too large.
 */
import React, { useMemo } from 'react';
import {
  conversationText,
  IAlignedSpan,
  spanConversation,
  valueText
} from '../../trace';
import { CSS } from '../classes';
import { boundedLineDiff, IDiffPart, ITextDiff } from './textDiff';

const MARKS: Record<IDiffPart['kind'], string> = {
  added: '+ ',
  removed: '- ',
  same: '  '
};

const PART_CLASSES: Record<IDiffPart['kind'], string> = {
  added: 'jp-mod-added',
  removed: 'jp-mod-removed',
  same: ''
};

/** Props of {@link PairDiff}. */
export interface IPairDiffProps {
  row: IAlignedSpan;
}

type Side = 'inputs' | 'outputs';

/** One diffed section: a side's messages, or its JSON. */
interface IDiffSection {
  title: string;
  diff: ITextDiff;
  open: boolean;
}

/**
 * The sections of a pair: for each side read as a conversation by either
 * span, its messages diffed as text (a span read nowhere gives its JSON),
 * then the JSON of each side, folded when its messages are shown.
 */
function diffSections(row: IAlignedSpan): IDiffSection[] {
  const spans = [row.left?.span, row.right?.span];
  const chats = spans.map(span => (span ? spanConversation(span) : null));
  const sections: IDiffSection[] = [];
  const jsonSections: IDiffSection[] = [];
  for (const side of ['inputs', 'outputs'] as Side[]) {
    const read = chats.map(
      chat => (side === 'inputs' ? chat?.input : chat?.output) ?? null
    );
    const json = spans.map(span => valueText(span?.[side], 2));
    const hasChat = read.some(conversation => conversation !== null);
    if (hasChat) {
      const [left, right] = read.map((conversation, i) =>
        conversation ? conversationText(conversation.messages) : json[i]
      );
      sections.push({
        title: side === 'inputs' ? 'Input messages' : 'Output messages',
        diff: boundedLineDiff(left, right),
        open: true
      });
    }
    jsonSections.push({
      title: `${side === 'inputs' ? 'Inputs' : 'Outputs'}${hasChat ? ' (JSON)' : ''}`,
      diff: boundedLineDiff(json[0], json[1]),
      open: !hasChat
    });
  }
  return [...sections, ...jsonSections];
}

/** The diff pane of the selected pair. */
export function PairDiff({ row }: IPairDiffProps): React.ReactElement {
  const sections = useMemo(() => diffSections(row), [row]);
  return (
    <div className={CSS.details} aria-label="Span diff">
      <h3 className="jp-MlflowTrace-detailsTitle">{row.name}</h3>
      {sections.map(({ title, diff, open }) => (
        <details key={title} className={CSS.section} open={open}>
          <summary>{title}</summary>
          <DiffText diff={diff} />
        </details>
      ))}
    </div>
  );
}

function DiffText({ diff }: { diff: ITextDiff }): React.ReactElement {
  return (
    <>
      {diff.note && (
        <div className={`${CSS.notice} ${CSS.modWarning}`}>{diff.note}</div>
      )}
      <pre className="jp-MlflowTraceCompare-diff">
        {diff.parts.map((part, index) => (
          <span key={index} className={PART_CLASSES[part.kind]}>
            {part.text
              .replace(/\n$/, '')
              .split('\n')
              .map(line => `${MARKS[part.kind]}${line}\n`)
              .join('')}
          </span>
        ))}
      </pre>
    </>
  );
}
