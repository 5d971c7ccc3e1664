/**
 * @jest-environment jsdom
 *
 * The JSON viewer stays bounded: a collapsed node mounts none of its
 * children, and an opened wide object shows one page with "show more".
 */
import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import { JsonTree } from '../../../src/view/JsonTree';

const WIDE_KEYS = 100_000;

function wideObject(): Record<string, number> {
  const value: Record<string, number> = {};
  for (let i = 0; i < WIDE_KEYS; i++) {
    value[`key${i}`] = i;
  }
  return value;
}

/** Open a <details> as a click on its summary does in a browser. */
function open(details: HTMLDetailsElement): void {
  details.open = true;
  fireEvent(details, new Event('toggle'));
}

describe('JsonTree', () => {
  it('mounts O(1) DOM nodes for a collapsed 100k-key object', () => {
    // Depth 0 and 1 open by default; the wide object at depth 2 is collapsed.
    const { container } = render(
      <JsonTree value={{ outer: { wide: wideObject() } }} />
    );
    const wide = Array.from(container.querySelectorAll('details')).find(
      details =>
        details.querySelector('summary')!.textContent === 'wide: {100000}'
    ) as HTMLDetailsElement;
    expect(wide).toBeDefined();
    expect(wide.open).toBe(false);
    expect(container.querySelectorAll('*').length).toBeLessThan(40);
    expect(container.textContent).not.toContain('key0');
  });

  it('opens a collapsed node on toggle, one page at a time with "show more"', () => {
    const { container } = render(
      <JsonTree value={{ outer: { wide: wideObject() } }} />
    );
    const wide = Array.from(container.querySelectorAll('details')).find(
      details =>
        details.querySelector('summary')!.textContent === 'wide: {100000}'
    ) as HTMLDetailsElement;
    open(wide);
    const leaves = () =>
      wide.querySelectorAll('.jp-MlflowTrace-jsonLeaf').length;
    expect(leaves()).toBe(100);
    expect(container.querySelectorAll('*').length).toBeLessThan(600);
    fireEvent.click(screen.getByText(/show 1000 more of 100000/));
    expect(leaves()).toBe(1100);
    // Closed again, its children leave the DOM.
    wide.open = false;
    fireEvent(wide, new Event('toggle'));
    expect(leaves()).toBe(0);
  });
});
