/** Types of bench/judge.cjs, for its unit tests. */

/** [metric, spans ('*': any size; null: no size), comparison, limit]. */
export type Target = [string, number | '*' | null, '<=' | '>=', number];

/** One figure as run.mjs records it. */
export interface IResult {
  metric: string;
  spans?: number | null;
  value?: number | null;
  unit?: string;
  /** Why the measurement failed; the value is then null. */
  failed?: string;
  /** The value is only a bound: the real figure is above it. */
  lower_bound?: boolean;
  /** Why the measurement was not attempted. */
  not_run?: string;
  [extra: string]: unknown;
}

/** A figure's verdict: `status` is '' when there is no target. */
export interface IVerdict {
  status: 'met' | 'NOT MET' | 'FAILED' | 'lower bound' | 'not run' | '';
  shown: string;
}

/** A ratio or a reason why there is none. */
export interface IFigure {
  value?: number;
  failed?: string;
}

export const TARGETS: Target[];
export function findTarget(
  result: Pick<IResult, 'metric' | 'spans'>
): Target | undefined;
export function median(xs: readonly number[]): number;
export function pct(xs: readonly number[], p: number): number;
export function judge(result: IResult, target?: readonly unknown[]): IVerdict;
export function summarize(verdicts: readonly Pick<IVerdict, 'status'>[]): {
  met: number;
  notMet: number;
  failed: number;
  lowerBound: number;
  notRun: number;
  line: string;
};
export function coldWarm(runs: readonly number[]): {
  cold: number;
  warm: number;
};
export function ratioOf(
  big: number | null | undefined,
  small: number | null | undefined
): IFigure;
export function outputOverServer(
  data: Record<string, unknown>,
  outputBytes: number,
  serverBytes: number
): IFigure;
