/**
 * @jest-environment jsdom
 */
import React from 'react';
import { render, screen } from '@testing-library/react';
import { ErrorBoundary } from '../../../src/view/ErrorBoundary';
import { allowOnlyCaughtError } from '../caughtErrors';

function Fragile({ fail }: { fail: boolean }): React.ReactElement {
  if (fail) {
    throw new Error('cannot draw this span');
  }
  return <span>drawn</span>;
}

allowOnlyCaughtError('cannot draw this span');

describe('ErrorBoundary', () => {
  it('shows the error, the trace ids and the text fallback in place of a view that throws', () => {
    const { container } = render(
      <div>
        <span>still here</span>
        <ErrorBoundary
          traceIds={['tr-a', 'tr-b']}
          fallbackText={'MLflow trace agent · OK\n2 spans'}
          resetKey={1}
        >
          <Fragile fail />
        </ErrorBoundary>
      </div>
    );
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('cannot draw this span');
    expect(alert.textContent).toContain('tr-a, tr-b');
    expect(container.querySelector('pre')!.textContent).toBe(
      'MLflow trace agent · OK\n2 spans'
    );
    expect(screen.getByText('still here')).toBeTruthy();
  });

  it('tries the view again when new data arrives', () => {
    const { rerender } = render(
      <ErrorBoundary traceIds={['tr-a']} resetKey={1}>
        <Fragile fail />
      </ErrorBoundary>
    );
    expect(screen.getByRole('alert')).toBeTruthy();
    rerender(
      <ErrorBoundary traceIds={['tr-a']} resetKey={1}>
        <Fragile fail={false} />
      </ErrorBoundary>
    );
    expect(screen.queryByText('drawn')).toBeNull();
    rerender(
      <ErrorBoundary traceIds={['tr-a']} resetKey={2}>
        <Fragile fail={false} />
      </ErrorBoundary>
    );
    expect(screen.getByText('drawn')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
