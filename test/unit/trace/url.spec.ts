/**
 * The one URL rule for every link and tracking URI we write or show.
 */
import { mlflowTraceUiUrl, safeHttpUrl } from '../../../src/trace';
import { PAYLOADS } from '../security/hostile';

describe('safeHttpUrl', () => {
  it.each([
    ['http://127.0.0.1:5000', 'http://127.0.0.1:5000'],
    ['http://127.0.0.1:5000/', 'http://127.0.0.1:5000'],
    [
      'https://mlflow.example.com/prefix//',
      'https://mlflow.example.com/prefix'
    ],
    [
      'http://h:5000/#/experiments/1/traces?selectedEvaluationId=tr-1',
      'http://h:5000/#/experiments/1/traces?selectedEvaluationId=tr-1'
    ]
  ])('keeps %j', (raw, kept) => {
    expect(safeHttpUrl(raw)).toBe(kept);
  });

  it.each([
    ['javascript:', 'javascript:alert(1)'],
    ['mixed-case javascript:', 'JaVaScRiPt:alert(1)'],
    ['javascript: with a tab', 'java\tscript:alert(1)'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['vbscript:', 'vbscript:msgbox(1)'],
    ['file:', 'file:///etc/passwd'],
    ['ftp:', 'ftp://host/x'],
    ['scheme-relative', '//evil.invalid/x'],
    ['relative', '/api/2.0/x'],
    ['user and password', 'http://u:pw@host:5000'],
    ['user only', 'https://u@host'],
    ['password only', 'https://:pw@host'],
    ['host spoofed by userinfo', 'https://mlflow.example.com@evil.invalid/'],
    ['a newline inside', 'http://host/a\nb'],
    ['a space inside', 'http://host/a b'],
    ['a line separator', 'http://host/a\u2028b'],
    ['no host', 'http://'],
    ['one slash', 'http:/host'],
    ['unparsable', 'http://[::1'],
    ['empty', ''],
    ['a number', 5],
    ['null', null],
    ['undefined', undefined],
    ['an object', { href: 'http://host' }]
  ])('rejects %s', (_, raw) => {
    expect(safeHttpUrl(raw)).toBeNull();
  });

  it('rejects every hostile payload that is not a plain http(s) URL', () => {
    for (const { payload } of PAYLOADS) {
      const url = safeHttpUrl(payload);
      if (url !== null) {
        expect(url).toMatch(/^https?:\/\/[^\s@/?#]+/i);
      }
    }
  });
});

describe('mlflowTraceUiUrl', () => {
  const info = {
    trace_id: 'tr-1',
    trace_location: { mlflow_experiment: { experiment_id: '7' } }
  };

  it('opens the trace in the experiment\u2019s Traces tab (MLflow 3.17 route)', () => {
    expect(mlflowTraceUiUrl('http://127.0.0.1:5000/', 'tr-1', info)).toBe(
      'http://127.0.0.1:5000/#/experiments/7/traces?selectedEvaluationId=tr-1'
    );
  });

  it('encodes the ids it puts into the URL', () => {
    const odd = {
      trace_location: { mlflow_experiment: { experiment_id: 'a/b' } }
    };
    expect(mlflowTraceUiUrl('https://h/prefix', 'tr-#?&', odd)).toBe(
      'https://h/prefix/#/experiments/a%2Fb/traces?selectedEvaluationId=tr-%23%3F%26'
    );
  });

  it.each([
    ['no experiment', 'http://h', 'tr-1', { trace_id: 'tr-1' }],
    ['no trace id', 'http://h', '', info],
    ['a javascript: tracking URI', 'javascript:alert(1)//', 'tr-1', info],
    ['credentials in the tracking URI', 'http://u:pw@h', 'tr-1', info],
    ['no info', 'http://h', 'tr-1', undefined]
  ])('is null with %s', (_, uri, traceId, traceInfo) => {
    expect(mlflowTraceUiUrl(uri, traceId, traceInfo)).toBeNull();
  });
});
