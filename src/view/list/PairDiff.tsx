/**
 * The line diff of an aligned pair's inputs and outputs, as text, with the
 * note of a diff that is partial because the values are too large.
 */
import React, { useMemo } from 'react';
import { IAlignedSpan } from '../../trace';
import { CSS } from '../classes';
import { toDisplayText } from '../format';
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

/** The diff pane of the selected pair. */
export function PairDiff({ row }: IPairDiffProps): React.ReactElement {
  const diffs = useMemo(
    () =>
      (['inputs', 'outputs'] as const).map(key => ({
        key,
        diff: boundedLineDiff(
          toDisplayText(row.left?.span[key]),
          toDisplayText(row.right?.span[key])
        )
      })),
    [row]
  );
  return (
    <div className={CSS.details} aria-label="Span diff">
      <h3 className="jp-MlflowTrace-detailsTitle">{row.name}</h3>
      {diffs.map(({ key, diff }) => (
        <details key={key} className={CSS.section} open>
          <summary>{key === 'inputs' ? 'Inputs' : 'Outputs'}</summary>
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
