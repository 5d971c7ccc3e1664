/**
 * Who a label from a cell is recorded as: a human source without an id is
 * the notebook's user (JupyterHub's, else the OS account's); any other
 * source is sent as given.
 */
import * as os from 'os';
import { reviewer, sourceOf } from '../../../src/kernel/assessments';

const HUB_USER = process.env.JUPYTERHUB_USER;

afterEach(() => {
  if (HUB_USER === undefined) {
    delete process.env.JUPYTERHUB_USER;
  } else {
    process.env.JUPYTERHUB_USER = HUB_USER;
  }
});

describe('reviewer', () => {
  it("is JUPYTERHUB_USER when set, else the OS account's name", () => {
    process.env.JUPYTERHUB_USER = 'ada';
    expect(reviewer()).toBe('ada');
    process.env.JUPYTERHUB_USER = '';
    expect(reviewer()).toBe(os.userInfo().username);
    delete process.env.JUPYTERHUB_USER;
    expect(reviewer()).toBe(os.userInfo().username);
  });
});

describe('sourceOf', () => {
  beforeEach(() => {
    process.env.JUPYTERHUB_USER = 'ada';
  });

  it('makes a missing or id-less human source the reviewer', () => {
    const ada = { type: 'HUMAN', id: 'ada' };
    expect(sourceOf(undefined)).toEqual(ada);
    expect(sourceOf('HUMAN')).toEqual(ada);
    expect(sourceOf({ type: 'HUMAN' })).toEqual(ada);
    expect(sourceOf({ type: 'HUMAN', id: '' })).toEqual(ada);
  });

  it('sends any other source as given', () => {
    expect(sourceOf({ type: 'HUMAN', id: 'bob' })).toEqual({
      type: 'HUMAN',
      id: 'bob'
    });
    expect(sourceOf('LLM_JUDGE')).toEqual({ type: 'LLM_JUDGE' });
    expect(sourceOf({ type: 'CODE', id: 'check.py' })).toEqual({
      type: 'CODE',
      id: 'check.py'
    });
  });
});
