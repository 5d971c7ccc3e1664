/**
 * The benchmark's judging (bench/judge.cjs): a failed measurement is shown as
 * failed, a lower bound is never compared with a target, cold figures sit
 * beside warm ones, and the embed ratio counts the whole output.
 */
import {
  coldWarm,
  findTarget,
  ratioOf,
  judge,
  outputOverServer,
  summarize
} from '../../../bench/judge.cjs';

const OVER_OURS_5K = ['mlflow_over_ours', 5000, '>=', 10];

describe('bench judge', () => {
  it('shows a lower bound as "> N×" and never judges it met against its target', () => {
    // MLflow showed no row within 60 s: 60,000 ms / ours is only a bound
    const verdict = judge(
      {
        metric: 'mlflow_over_ours',
        spans: 5000,
        value: 1500,
        unit: 'ratio',
        lower_bound: true
      },
      OVER_OURS_5K
    );
    expect(verdict.shown).toBe('> 1500×');
    expect(verdict.status).toBe('lower bound');
  });

  it('judges an Infinity ratio (no resource entry matched) as FAILED, not met', () => {
    const verdict = judge(
      {
        metric: 'mlflow_over_ours',
        spans: 5000,
        value: Infinity,
        unit: 'ratio'
      },
      OVER_OURS_5K
    );
    expect(verdict.status).toBe('FAILED');
    expect(verdict.shown).toMatch(/^FAILED/);
  });

  it('shows a failed measurement as FAILED with its reason, with or without a target', () => {
    const failed = {
      metric: 'mlflow_render_ms',
      spans: 1000,
      value: null,
      unit: 'ms',
      failed: 'no span row within 60 s'
    };
    for (const target of [undefined, ['mlflow_render_ms', 1000, '<=', 1]]) {
      const verdict = judge(failed, target);
      expect(verdict.status).toBe('FAILED');
      expect(verdict.shown).toBe('FAILED: no span row within 60 s');
    }
  });

  it('shows a measurement that was not attempted as not run, never as met', () => {
    const verdict = judge(
      {
        metric: 'mlflow_over_ours',
        spans: 5000,
        value: null,
        unit: 'ratio',
        not_run: "MLflow's renderer already showed no row for 1000 spans"
      },
      OVER_OURS_5K
    );
    expect(verdict.status).toBe('not run');
    expect(verdict.shown).toMatch(/^not run: /);
  });

  it('judges a finite figure against its target both ways', () => {
    const search = (value: number) => ({
      metric: 'search_cold_ms',
      spans: 10000,
      value,
      unit: 'ms'
    });
    const target = ['search_cold_ms', 10000, '<=', 50];
    expect(judge(search(49), target).status).toBe('met');
    expect(judge(search(51), target).status).toBe('NOT MET');
    expect(judge(search(51), undefined).status).toBe('');
  });

  it('counts failed measurements and lower bounds in the summary', () => {
    const summary = summarize([
      { status: 'met' },
      { status: 'NOT MET' },
      { status: 'FAILED' },
      { status: 'FAILED' },
      { status: 'lower bound' },
      { status: 'not run' },
      { status: '' }
    ]);
    expect(summary).toMatchObject({
      met: 1,
      notMet: 1,
      failed: 2,
      lowerBound: 1,
      notRun: 1
    });
    expect(summary.line).toContain('2 failed');
  });

  it('sets targets on the cold figures: search at 10k within 50 ms cold', () => {
    expect(
      findTarget({ metric: 'search_cold_ms', spans: 10000 })?.slice(2)
    ).toEqual(['<=', 50]);
    expect(
      findTarget({ metric: 'select_big_input_cold_ms', spans: 10000 })
    ).toBeDefined();
    expect(
      findTarget({ metric: 'parse_build_cold_over_json_parse', spans: 1000 })
    ).toBeDefined();
    expect(
      findTarget({ metric: 'scroll_p95_100k_over_1k', spans: null })?.slice(2)
    ).toEqual(['<=', 1.2]);
  });

  it('takes the first run as the cold figure and the median of the rest as the warm one', () => {
    expect(coldWarm([48, 9, 30, 11])).toEqual({ cold: 48, warm: 11 });
    expect(coldWarm([48, 9, 11])).toEqual({ cold: 48, warm: 10 });
    expect(() => coldWarm([48])).toThrow();
  });

  it('gives the scroll growth as the 100k figure over the 1k figure, failed when one is missing', () => {
    expect(ratioOf(12, 10)).toEqual({ value: 1.2 });
    expect(ratioOf(undefined, 10).failed).toBeDefined();
    expect(ratioOf(12, 0).failed).toBeDefined();
  });

  it('divides the whole output (bundle, text/html and text/plain) by the server JSON', () => {
    const data = {
      'application/vnd.mlflow.trace+json': { version: 1, traces: [] },
      'text/html': '<div>' + 'x'.repeat(1000) + '</div>',
      'text/plain': 'Trace tr-1: 3 spans'
    };
    expect(outputOverServer(data, 1200, 1000)).toEqual({ value: 1.2 });
    // Fewer bytes than its three parts: not what was written into the notebook
    expect(outputOverServer(data, 100, 1000).failed).toBeDefined();
    const bundleOnly: Record<string, unknown> = { ...data };
    delete bundleOnly['text/html'];
    expect(outputOverServer(bundleOnly, 1200, 1000).failed).toMatch(
      /text\/html/
    );
  });
});
