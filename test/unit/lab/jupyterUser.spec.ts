/**
 * Who the Jupyter user is (who labels are by): the server extension's config
 * answer when it has one, else Jupyter's own `api/me`; asked once per page.
 */
import {
  getJupyterUser,
  getServerConfig,
  setServerSettings
} from '../../../src/lab/jupyterServer';
import { BASE_URL, fakeJupyter, IFakeJupyterOptions } from './fakeJupyter';

const MLFLOW = 'http://mlflow.internal:5000';

function useJupyter(options: IFakeJupyterOptions) {
  const jupyter = fakeJupyter(options);
  setServerSettings(jupyter.settings);
  return jupyter.requests;
}

afterEach(() => setServerSettings(undefined));

describe('the config answer', () => {
  it("carries the server extension's user", async () => {
    useJupyter({
      config: { tracking_uri: MLFLOW, problem: null, user: 'ana' }
    });
    expect(await getServerConfig()).toEqual({
      config: { trackingUri: MLFLOW, problem: null, user: 'ana' }
    });
  });

  it('is still the extension’s from an older server that names no user', async () => {
    useJupyter({ config: { tracking_uri: MLFLOW, problem: null } });
    expect(await getServerConfig()).toEqual({
      config: { trackingUri: MLFLOW, problem: null, user: null }
    });
  });

  it.each([[42], [''], [{ name: 'ana' }]])(
    'takes a user that is not a name (%p) as none',
    async user => {
      useJupyter({ config: { tracking_uri: MLFLOW, problem: null, user } });
      expect(await getServerConfig()).toEqual({
        config: { trackingUri: MLFLOW, problem: null, user: null }
      });
    }
  );
});

describe('getJupyterUser', () => {
  it("is the config's user, asked once per page", async () => {
    const requests = useJupyter({
      config: { tracking_uri: MLFLOW, problem: null, user: 'ana' },
      me: { identity: { username: 'not-asked' } }
    });
    expect(await getJupyterUser()).toBe('ana');
    expect(await getJupyterUser()).toBe('ana');
    expect(requests.map(r => r.url)).toEqual([
      `${BASE_URL}mlflow-traces/config`
    ]);
  });

  it("is api/me's identity without the server extension", async () => {
    const requests = useJupyter({
      config: 404,
      me: { identity: { username: 'bob', name: 'Bob' }, permissions: {} }
    });
    expect(await getJupyterUser()).toBe('bob');
    expect(requests.map(r => r.url)).toEqual([
      `${BASE_URL}mlflow-traces/config`,
      `${BASE_URL}api/me`
    ]);
  });

  it("is api/me's identity when an older extension names no user", async () => {
    useJupyter({
      config: { tracking_uri: MLFLOW, problem: null },
      me: { identity: { username: 'cy' } }
    });
    expect(await getJupyterUser()).toBe('cy');
  });

  it('is undefined when no one says, and asked again later', async () => {
    const requests = useJupyter({ config: 404, me: { identity: {} } });
    expect(await getJupyterUser()).toBeUndefined();
    await getJupyterUser();
    expect(requests.filter(r => r.url.endsWith('api/me'))).toHaveLength(2);
  });

  it('is undefined when api/me is not there', async () => {
    useJupyter({ config: 404 });
    expect(await getJupyterUser()).toBeUndefined();
  });
});
