/**
 * The explorer's row filters and what the critical path marks: the path
 * (memoized per trace), its top contributors, "Critical path only" and the
 * minimum log level, combined into one row predicate for the tree and the
 * flame graph.
 */
import { useMemo, useState } from 'react';
import {
  criticalPath,
  hiddenAtLevel,
  ICriticalContributor,
  ICriticalPath,
  ISpanNode,
  ITrace,
  logLevelKeep,
  topContributors
} from '../trace';
import { criticalPathKeep } from './CriticalPathToggle';

/** What {@link useExplorerFilters} gives the explorer. */
export interface IExplorerFilters {
  /** The critical path; undefined while a live trace runs (its end is not known). */
  path: ICriticalPath | undefined;
  contributors: readonly ICriticalContributor[] | undefined;
  criticalOnly: boolean;
  setCriticalOnly: (on: boolean) => void;
  minLevel: number;
  setMinLevel: (minLevel: number) => void;
  /** Spans the level filter hides. */
  hiddenByLevel: number;
  /** The spans both filters keep; undefined when they keep all. */
  keep: ((node: ISpanNode) => boolean) | undefined;
}

/** Filters of `trace`'s explorer; `running` while a live trace runs. */
export function useExplorerFilters(
  trace: ITrace,
  running: boolean
): IExplorerFilters {
  const [criticalOnly, setCriticalOnly] = useState(false);
  const [minLevel, setMinLevel] = useState(0);
  const fullPath = useMemo(() => criticalPath(trace), [trace]);
  const contributors = useMemo(
    () => topContributors(fullPath, trace),
    [fullPath, trace]
  );
  const path = running ? undefined : fullPath;
  const keep = useMemo(() => {
    const onPath = criticalOnly && path ? criticalPathKeep(path) : undefined;
    const atLevel = logLevelKeep(trace, minLevel);
    if (onPath && atLevel) {
      return (node: ISpanNode) => onPath(node) && atLevel(node);
    }
    return onPath ?? atLevel;
  }, [trace, path, criticalOnly, minLevel]);
  return {
    path,
    contributors: running ? undefined : contributors,
    criticalOnly,
    setCriticalOnly,
    minLevel,
    setMinLevel,
    hiddenByLevel: useMemo(
      () => hiddenAtLevel(trace, minLevel),
      [trace, minLevel]
    ),
    keep
  };
}
