/**
 * Where an output's requests go (src/lab/config.ts resolveRoute): the
 * settings × the output's tracking_uri × trust × the Jupyter server's answer.
 */
import {
  ITraceSettings,
  needsServerConfig,
  resolveRoute,
  Route,
  ServerConfigAnswer
} from '../../../src/lab/config';

const JUPYTER_MLFLOW = 'http://mlflow.internal:5000';
const STRANGER = 'http://stranger.invalid:9999';
const SETTINGS_URI = 'https://mlflow.example.com/prefix';

const served: ServerConfigAnswer = {
  config: { trackingUri: JUPYTER_MLFLOW, problem: null, user: 'alice' }
};
const serverProblem: ServerConfigAnswer = {
  config: {
    trackingUri: null,
    problem:
      'The Jupyter server has no MLFLOW_TRACKING_URI, so it cannot fetch traces.',
    user: null
  }
};
const noExtension: ServerConfigAnswer = {
  missing:
    "This JupyterLab's server has no jupyterlab_mlflow_traces server extension (GET x: 404), so it cannot fetch traces."
};

function settings(extra: Partial<ITraceSettings> = {}): ITraceSettings {
  return { trackingUri: '', ...extra };
}

/** The route, with a context message naming the case. */
function route(
  name: string,
  s: ITraceSettings,
  outputUri: string | undefined,
  trusted: boolean,
  server: ServerConfigAnswer | undefined
): { name: string; route: Route } {
  return {
    name,
    route: resolveRoute(s, { trackingUri: outputUri, trusted }, server)
  };
}

describe('resolveRoute, connection "jupyter-server" (the default)', () => {
  it('asks the Jupyter server only when no tracking server is set', () => {
    expect(needsServerConfig(settings())).toBe(true);
    expect(needsServerConfig(settings({ connection: 'jupyter-server' }))).toBe(
      true
    );
    expect(needsServerConfig(settings({ trackingUri: SETTINGS_URI }))).toBe(
      false
    );
    expect(needsServerConfig(settings({ connection: 'direct' }))).toBe(false);
  });

  it('goes through the Jupyter server whatever the output names or its trust', () => {
    for (const outputUri of [undefined, JUPYTER_MLFLOW, STRANGER]) {
      for (const trusted of [false, true]) {
        const r = route(
          `${outputUri} trusted=${trusted}`,
          settings(),
          outputUri,
          trusted,
          served
        );
        expect([r.name, r.route.via]).toEqual([r.name, 'jupyter-server']);
        const target = r.route.via === 'jupyter-server' && r.route.trackingUri;
        expect([r.name, target]).toEqual([r.name, JUPYTER_MLFLOW]);
      }
    }
  });

  it('names both servers when the output names another one, and never credentials', () => {
    for (const trusted of [false, true]) {
      const r = resolveRoute(
        settings(),
        { trackingUri: 'http://bob:s3cret@stranger.invalid:9999/', trusted },
        served
      );
      expect(r.via).toBe('jupyter-server');
      expect(r.notes).toEqual([
        `This output was written against ${STRANGER}; this JupyterLab reads traces from ${JUPYTER_MLFLOW}.`
      ]);
      expect(JSON.stringify(r)).not.toContain('s3cret');
    }
  });

  it('has no note when the output names the same server (trailing slash aside), or none', () => {
    for (const outputUri of [
      undefined,
      JUPYTER_MLFLOW,
      `${JUPYTER_MLFLOW}/`,
      'javascript:alert(1)'
    ]) {
      const r = resolveRoute(
        settings(),
        { trackingUri: outputUri, trusted: true },
        served
      );
      expect([outputUri, r.notes]).toEqual([outputUri, []]);
    }
  });

  it('fetches nothing when the extension is missing or reports a problem, naming MLFLOW_TRACKING_URI and the connection setting', () => {
    for (const [name, server] of [
      ['missing', noExtension],
      ['problem', serverProblem],
      ['not asked', undefined]
    ] as const) {
      const r = resolveRoute(
        settings(),
        { trackingUri: STRANGER, trusted: true },
        server
      );
      expect([name, r.via]).toEqual([name, 'none']);
      const problem = r.via === 'none' ? r.problem : '';
      expect([name, problem]).toEqual([
        name,
        expect.stringContaining('MLFLOW_TRACKING_URI')
      ]);
      expect([name, problem]).toEqual([
        name,
        expect.stringContaining('"connection" setting')
      ]);
      expect([name, problem]).not.toEqual([
        name,
        expect.stringContaining('stranger')
      ]);
    }
    const missing = resolveRoute(
      settings(),
      { trackingUri: undefined, trusted: false },
      noExtension
    );
    expect(missing.via === 'none' && missing.problem).toContain(
      'no jupyterlab_mlflow_traces server extension'
    );
  });
});

describe('resolveRoute, a "Tracking server URI" in the settings', () => {
  for (const connection of ['jupyter-server', 'direct'] as const) {
    it(`(${connection}) calls it from the browser, with the settings' credentials and a plain-text warning`, () => {
      const token = resolveRoute(
        settings({ connection, trackingUri: SETTINGS_URI, trackingToken: 't' }),
        { trackingUri: undefined, trusted: true },
        served
      );
      expect(token).toMatchObject({
        via: 'direct',
        trackingUri: SETTINGS_URI,
        auth: { token: 't' }
      });
      expect(token.notes).toHaveLength(1);
      expect(token.notes[0]).toContain('token in your settings');
      expect(token.notes[0]).toContain('plain text');
      const password = resolveRoute(
        settings({
          connection,
          trackingUri: SETTINGS_URI,
          trackingUsername: 'u',
          trackingPassword: 'p'
        }),
        { trackingUri: SETTINGS_URI, trusted: false },
        undefined
      );
      expect(password).toMatchObject({
        via: 'direct',
        auth: { username: 'u', password: 'p' }
      });
      expect(password.notes).toHaveLength(1);
      expect(password.notes[0]).toContain('password in your settings');
      expect(password.notes[0]).not.toContain('"p"');
    });
  }

  it('has no warning without a secret, and a note when the output names another server', () => {
    const r = resolveRoute(
      settings({ trackingUri: SETTINGS_URI }),
      { trackingUri: STRANGER, trusted: true },
      undefined
    );
    expect(r).toMatchObject({
      via: 'direct',
      trackingUri: SETTINGS_URI,
      auth: undefined
    });
    expect(r.notes).toEqual([
      `This output was written against ${STRANGER}; this JupyterLab reads traces from ${SETTINGS_URI}.`
    ]);
  });

  it('fetches nothing when it is not an http(s) URL, naming the setting', () => {
    for (const connection of ['jupyter-server', 'direct'] as const) {
      const r = resolveRoute(
        settings({ connection, trackingUri: 'localhost:5000' }),
        { trackingUri: STRANGER, trusted: true },
        served
      );
      expect(r.via).toBe('none');
      expect(r.via === 'none' && r.problem).toContain('"trackingUri"');
    }
  });
});

describe('resolveRoute, connection "direct" without a tracking server setting', () => {
  it("uses a trusted output's tracking_uri, without credentials", () => {
    const r = resolveRoute(
      settings({ connection: 'direct', trackingToken: 'secret' }),
      { trackingUri: STRANGER, trusted: true },
      served
    );
    expect(r).toEqual({
      via: 'direct',
      trackingUri: STRANGER,
      auth: undefined,
      notes: []
    });
  });

  it('fetches nothing for an untrusted output, saying how to fix it', () => {
    const r = resolveRoute(
      settings({ connection: 'direct' }),
      { trackingUri: STRANGER, trusted: false },
      served
    );
    expect(r.via).toBe('none');
    expect(r.via === 'none' && r.problem).toContain('trust the notebook');
    expect(JSON.stringify(r)).not.toContain('stranger');
  });
});
