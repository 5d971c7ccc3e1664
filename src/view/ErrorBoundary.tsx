/**
 * What an output shows when one of its views throws: the error, the trace
 * ids it was showing, and the output's text/plain fallback, in place of the
 * view that failed (the rest of the output keeps working).
 */
import React from 'react';
import { CSS } from './classes';

const FALLBACK_TEXT_CLASS = 'jp-MlflowTrace-fallbackText';

/** Props of {@link ViewFailure}. */
export interface IViewFailureProps {
  error: unknown;
  /** The traces the failed view was showing. */
  traceIds: readonly string[];
  /** The output's text/plain line(s). */
  fallbackText?: string;
}

/** The error, the trace ids and the text fallback of a view that failed. */
export function ViewFailure({
  error,
  traceIds,
  fallbackText
}: IViewFailureProps): React.ReactElement {
  const message = error instanceof Error ? error.message : String(error);
  const ids = traceIds.filter(Boolean);
  return (
    <div className="jp-MlflowTrace-failure">
      <div className={`${CSS.notice} ${CSS.modError}`} role="alert">
        This view failed: {message}
        {ids.length > 0 && <> (trace {ids.join(', ')})</>}
      </div>
      {fallbackText && (
        <pre className={FALLBACK_TEXT_CLASS}>{fallbackText}</pre>
      )}
    </div>
  );
}

/** Props of {@link ErrorBoundary}. */
export interface IErrorBoundaryProps extends Omit<IViewFailureProps, 'error'> {
  /** A new value renders the children again (new data may render). */
  resetKey?: unknown;
  children?: React.ReactNode;
}

interface IErrorBoundaryState {
  error: { value: unknown } | null;
  resetKey: unknown;
}

/** Renders its children, or {@link ViewFailure} once they throw. */
export class ErrorBoundary extends React.Component<
  IErrorBoundaryProps,
  IErrorBoundaryState
> {
  state: IErrorBoundaryState = { error: null, resetKey: this.props.resetKey };

  static getDerivedStateFromError(
    value: unknown
  ): Partial<IErrorBoundaryState> {
    return { error: { value } };
  }

  static getDerivedStateFromProps(
    props: IErrorBoundaryProps,
    state: IErrorBoundaryState
  ): Partial<IErrorBoundaryState> | null {
    return props.resetKey === state.resetKey
      ? null
      : { error: null, resetKey: props.resetKey };
  }

  render(): React.ReactNode {
    const { error } = this.state;
    if (!error) {
      return this.props.children;
    }
    return (
      <ViewFailure
        error={error.value}
        traceIds={this.props.traceIds}
        fallbackText={this.props.fallbackText}
      />
    );
  }
}
