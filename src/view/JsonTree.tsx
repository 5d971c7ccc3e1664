/**
 * A collapsible view of a JSON value, built from native <details> elements.
 * Everything is rendered as text; a closed node mounts none of its children,
 * and long strings and lists are cut with a button to show the rest, so a
 * 1 MB input stays quick to open.
 */
import React, { useMemo, useState } from 'react';
import { formatCount } from '../trace';
import { CSS } from './classes';

const MAX_STRING_CHARS = 2000;
const MAX_ITEMS = 100;
const OPEN_DEPTH = 2;

/** Props of {@link JsonTree}. */
export interface IJsonTreeProps {
  value: unknown;
}

/** The JSON viewer of span inputs, outputs and attributes. */
export function JsonTree({ value }: IJsonTreeProps): React.ReactElement {
  return (
    <div className={CSS.json}>
      <JsonNode value={value} depth={0} />
    </div>
  );
}

function LongString({ text }: { text: string }): React.ReactElement {
  const [full, setFull] = useState(false);
  if (full || text.length <= MAX_STRING_CHARS) {
    return <span className="jp-MlflowTrace-jsonString">{text}</span>;
  }
  return (
    <span className="jp-MlflowTrace-jsonString">
      {text.slice(0, MAX_STRING_CHARS)}
      <button className={CSS.button} onClick={() => setFull(true)}>
        … show all {formatCount(text.length)} characters
      </button>
    </span>
  );
}

function JsonNode({
  value,
  depth,
  label
}: {
  value: unknown;
  depth: number;
  label?: string;
}): React.ReactElement {
  const key =
    label !== undefined ? (
      <span className="jp-MlflowTrace-jsonKey">{label}: </span>
    ) : null;
  if (value === null || typeof value !== 'object') {
    const text = typeof value === 'string' ? value : String(value);
    return (
      <div className="jp-MlflowTrace-jsonLeaf">
        {key}
        {typeof value === 'string' ? (
          <LongString text={text} />
        ) : (
          <span className="jp-MlflowTrace-jsonScalar">{text}</span>
        )}
      </div>
    );
  }
  return <JsonBranch value={value} depth={depth} label={key} />;
}

/** An object or array: its children are mounted only while it is open. */
function JsonBranch({
  value,
  depth,
  label
}: {
  value: object;
  depth: number;
  label: React.ReactNode;
}): React.ReactElement {
  const [open, setOpen] = useState(depth < OPEN_DEPTH);
  const count = useMemo(
    () => (Array.isArray(value) ? value.length : Object.keys(value).length),
    [value]
  );
  const brackets = Array.isArray(value) ? `[${count}]` : `{${count}}`;
  return (
    <details open={open} onToggle={event => setOpen(event.currentTarget.open)}>
      <summary>
        {label}
        <span className="jp-MlflowTrace-jsonScalar">{brackets}</span>
      </summary>
      {open && <JsonChildren value={value} depth={depth} />}
    </details>
  );
}

/** The children of an open branch, one page at a time. */
function JsonChildren({
  value,
  depth
}: {
  value: object;
  depth: number;
}): React.ReactElement {
  const [limit, setLimit] = useState(MAX_ITEMS);
  const entries = useMemo(
    (): [string, unknown][] =>
      Array.isArray(value)
        ? value.map((item, index) => [String(index), item])
        : Object.entries(value as Record<string, unknown>),
    [value]
  );
  return (
    <div className="jp-MlflowTrace-jsonChildren">
      {entries.slice(0, limit).map(([childKey, child]) => (
        <JsonNode
          key={childKey}
          label={childKey}
          value={child}
          depth={depth + 1}
        />
      ))}
      {entries.length > limit && (
        <button
          className={CSS.button}
          onClick={() => setLimit(limit + MAX_ITEMS * 10)}
        >
          show {Math.min(entries.length - limit, MAX_ITEMS * 10)} more of{' '}
          {entries.length}
        </button>
      )}
    </div>
  );
}
