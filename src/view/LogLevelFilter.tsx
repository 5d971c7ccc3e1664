/**
 * Span log levels in the view: the level filter of the toolbar (MLflow's
 * "Minimum log level") and the level badge of a row.
 */
import React from 'react';
import {
  formatCount,
  ISpan,
  ISpanLogLevel,
  LOG_LEVEL_CHOICES,
  LogLevelName,
  spanLogLevel
} from '../trace';

/** Classes of the level filter and badges (style/loglevel.css). */
export const LOG_LEVEL_CSS = {
  filter: 'jp-MlflowTrace-levelFilter',
  hidden: 'jp-MlflowTrace-levelHidden',
  badge: 'jp-MlflowTrace-levelBadge',
  /** The level's own class: `jp-MlflowTrace-level-WARNING`, … (a closed set). */
  levelPrefix: 'jp-MlflowTrace-level-'
} as const;

/** The class colouring a level (names come from a closed set, never from the trace). */
export function logLevelClass(name: LogLevelName): string {
  return `${LOG_LEVEL_CSS.levelPrefix}${name}`;
}

/** Props of {@link LogLevelFilter}. */
export interface ILogLevelFilterProps {
  /** The minimum level shown (a `LOG_LEVEL_CHOICES` value; 0 shows all). */
  minLevel: number;
  onChange: (minLevel: number) => void;
  /** How many spans the filter hides (`hiddenAtLevel`), said beside it. */
  hidden?: number;
}

/** The toolbar's level filter: a select of MLflow's levels and what it hides. */
export function LogLevelFilter({
  minLevel,
  onChange,
  hidden
}: ILogLevelFilterProps): React.ReactElement {
  const known = LOG_LEVEL_CHOICES.some(choice => choice.minLevel === minLevel);
  return (
    <span className={LOG_LEVEL_CSS.filter}>
      <select
        aria-label="Minimum log level"
        title="Show spans at this log level or above, their parents, and failed spans"
        value={known ? String(minLevel) : '0'}
        onChange={event => onChange(Number(event.target.value))}
      >
        {LOG_LEVEL_CHOICES.map(choice => (
          <option key={choice.minLevel} value={String(choice.minLevel)}>
            {choice.label}
          </option>
        ))}
      </select>
      {hidden !== undefined && hidden > 0 && (
        <span className={LOG_LEVEL_CSS.hidden} aria-live="polite">
          {formatCount(hidden)} hidden
        </span>
      )}
    </span>
  );
}

/** One letter per level: the row keeps its room for the span's name. */
const LEVEL_LETTERS: Record<LogLevelName, string> = {
  DEBUG: 'D',
  INFO: 'I',
  WARNING: 'W',
  ERROR: 'E',
  CRITICAL: 'C'
};

const NAMED_LEVELS: ReadonlySet<number> = new Set([10, 20, 30, 40, 50]);

/**
 * A level as text: "WARNING"; "INFO (by type)" when MLflow's default
 * applies; "INFO (25)" for a recorded number MLflow does not name.
 */
export function logLevelText(level: ISpanLogLevel): string {
  if (!level.explicit) {
    return `${level.name} (by type)`;
  }
  return NAMED_LEVELS.has(level.level)
    ? level.name
    : `${level.name} (${level.level})`;
}

/** A row's level badge: one letter, the level named in its label. */
export function LogLevelBadge({ span }: { span: ISpan }): React.ReactElement {
  const level = spanLogLevel(span);
  const label = `log level ${logLevelText(level)}`;
  return (
    <span
      className={`${LOG_LEVEL_CSS.badge} ${logLevelClass(level.name)}`}
      role="img"
      aria-label={label}
      title={label}
    >
      {LEVEL_LETTERS[level.name]}
    </span>
  );
}
