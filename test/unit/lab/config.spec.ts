import fs from 'fs';
import path from 'path';
import Ajv from 'ajv';
import {
  requestTimeoutMs,
  resolveTrackingUri,
  trackingUriProblem
} from '../../../src/lab/config';

describe('requestTimeoutMs', () => {
  const base = { trackingUri: '' };

  it('turns the setting in seconds into ms', () => {
    expect(requestTimeoutMs({ ...base, requestTimeoutSeconds: 2 })).toBe(2000);
    expect(requestTimeoutMs({ ...base, requestTimeoutSeconds: 0.5 })).toBe(500);
  });

  it('falls back to 30 s when the setting is unset or not a positive number', () => {
    for (const bad of [undefined, 0, -1, NaN, Infinity]) {
      expect(requestTimeoutMs({ ...base, requestTimeoutSeconds: bad })).toBe(
        30000
      );
    }
  });
});

describe('the trackingUri setting', () => {
  const schema = JSON.parse(
    fs.readFileSync(
      path.resolve(__dirname, '..', '..', '..', 'schema', 'plugin.json'),
      'utf8'
    )
  );
  const validate = new Ajv({ strict: false }).compile(schema);
  const bad = [
    'localhost:5000',
    'mlflow.internal',
    '127.0.0.1:5000',
    'ftp://mlflow.internal',
    'http://',
    'http//localhost:5000',
    'javascript:alert(1)'
  ];
  const good = [
    '',
    '   ',
    'http://127.0.0.1:5000',
    'https://mlflow.example.com/prefix/',
    ' http://localhost:5000 '
  ];

  it('names the setting and its bad value, and fetches from nowhere', () => {
    for (const value of bad) {
      const problem = trackingUriProblem(value);
      expect(problem).toContain('"trackingUri"');
      expect(problem).toContain(`"${value}"`);
      expect(
        resolveTrackingUri(
          { trackingUri: value },
          'http://127.0.0.1:5000',
          true
        )
      ).toBeUndefined();
    }
  });

  it('accepts an empty setting or an http(s) URL', () => {
    for (const value of good) {
      expect(trackingUriProblem(value)).toBeUndefined();
    }
    expect(
      resolveTrackingUri({ trackingUri: ' http://h:1 ' }, undefined, false)
    ).toBe('http://h:1');
  });

  it('suggests the URL with a scheme when the scheme is missing', () => {
    expect(trackingUriProblem('localhost:5000')).toContain(
      'http://localhost:5000'
    );
  });

  it('does not print a password written into a bad setting', () => {
    const problem = trackingUriProblem('alice:s3cret@localhost:5000')!;
    expect(problem).toContain('"trackingUri"');
    expect(problem).not.toContain('s3cret');
  });

  it('is checked by the settings schema the same way', () => {
    for (const value of bad) {
      expect([value, validate({ trackingUri: value })]).toEqual([value, false]);
    }
    for (const value of good) {
      expect([value, validate({ trackingUri: value })]).toEqual([value, true]);
    }
  });
});
