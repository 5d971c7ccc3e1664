/**
 * Where the renderer's credentials may go (src/lab/config.ts): only to the
 * origin of the tracking server in its settings, never to a server an output
 * names, and an untrusted output never chooses the server at all.
 */
import { resolveAuth, resolveTrackingUri } from '../../../src/lab/config';
import { PAYLOADS } from './hostile';

const settings = {
  trackingUri: 'https://mlflow.example.com/prefix',
  trackingToken: 'tok-123',
  trackingUsername: '',
  trackingPassword: ''
};

describe('renderer credentials', () => {
  it('go to the settings origin, whatever the path', () => {
    expect(resolveAuth(settings, 'https://mlflow.example.com/prefix')).toEqual({
      token: 'tok-123'
    });
    expect(resolveAuth(settings, 'https://mlflow.example.com/other')).toEqual({
      token: 'tok-123'
    });
    expect(
      resolveAuth(
        { ...settings, trackingUsername: 'u', trackingPassword: 'p' },
        'https://mlflow.example.com'
      )
    ).toEqual({ username: 'u', password: 'p' });
  });

  it('never go to another origin: scheme, host, port, userinfo and hostile URLs', () => {
    for (const uri of [
      'http://mlflow.example.com/prefix',
      'https://mlflow.example.com:8443/prefix',
      'https://mlflow.example.com.evil.invalid/',
      'https://evil.invalid/?https://mlflow.example.com',
      'https://mlflow.example.com@evil.invalid/',
      'javascript:alert(1)',
      'data:text/html,x',
      '',
      ...PAYLOADS.map(p => p.payload)
    ]) {
      expect(resolveAuth(settings, uri)).toBeUndefined();
    }
  });

  it('are never sent when no tracking server is configured, even to a trusted output\u2019s server', () => {
    const none = { ...settings, trackingUri: '' };
    const uri = resolveTrackingUri(none, 'https://mlflow.example.com', true);
    expect(uri).toBe('https://mlflow.example.com');
    expect(resolveAuth(none, uri)).toBeUndefined();
  });

  it('an untrusted output never picks the server; the settings one wins when set', () => {
    const none = { ...settings, trackingUri: '' };
    expect(
      resolveTrackingUri(none, 'https://evil.invalid', false)
    ).toBeUndefined();
    expect(resolveTrackingUri(settings, 'https://evil.invalid', false)).toBe(
      settings.trackingUri
    );
    expect(resolveTrackingUri(settings, 'https://evil.invalid', true)).toBe(
      settings.trackingUri
    );
  });
});
