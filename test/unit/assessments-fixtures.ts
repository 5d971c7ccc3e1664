/**
 * Assessments as `mlflow server` 3.17.2 returned them
 * (`GET api/3.0/mlflow/traces/{id}`, trace_info.assessments) after
 * log_feedback (human boolean, judge number on a span, code string, a failed
 * judge, a dict, a list), log_expectation (string, list, object with
 * metadata, number), two override_feedback in a chain and an IssueReference.
 * Written by test/unit/assessments-record.py.
 */

/** The recorded list, verbatim. */
export const RECORDED_ASSESSMENTS: unknown[] = [
  {
    assessment_id: 'a-9dcfece7b52f48eabf392b66b3c20938',
    assessment_name: 'correct',
    trace_id: 'tr-c33fdf03f4ba04f328ae3277ea09d40c',
    source: {
      source_type: 'HUMAN',
      source_id: 'alice'
    },
    create_time: '2026-12-07T05:53:20.914Z',
    last_update_time: '2026-12-07T05:53:20.914Z',
    feedback: {
      value: true
    },
    rationale: 'looks right',
    valid: false
  },
  {
    assessment_id: 'a-497365b23d294072a666b2df9dfc6d88',
    assessment_name: 'score',
    trace_id: 'tr-c33fdf03f4ba04f328ae3277ea09d40c',
    span_id: '2a46b922d56dd5b5',
    source: {
      source_type: 'LLM_JUDGE',
      source_id: 'gpt-4o'
    },
    create_time: '2026-12-07T05:53:20.988Z',
    last_update_time: '2026-12-07T05:53:20.988Z',
    feedback: {
      value: 0.75
    },
    rationale: 'partly',
    valid: true
  },
  {
    assessment_id: 'a-41b5209b59264353918bea5eda06e459',
    assessment_name: 'tone',
    trace_id: 'tr-c33fdf03f4ba04f328ae3277ea09d40c',
    source: {
      source_type: 'CODE',
      source_id: 'my_scorer'
    },
    create_time: '2026-12-07T05:53:21.067Z',
    last_update_time: '2026-12-07T05:53:21.067Z',
    feedback: {
      value: 'polite'
    },
    valid: true
  },
  {
    assessment_id: 'a-16e1c6497acf459492fb8e1697910917',
    assessment_name: 'judge_fail',
    trace_id: 'tr-c33fdf03f4ba04f328ae3277ea09d40c',
    source: {
      source_type: 'LLM_JUDGE',
      source_id: 'gpt-4o'
    },
    create_time: '2026-12-07T05:53:21.151Z',
    last_update_time: '2026-12-07T05:53:21.151Z',
    feedback: {
      value: null,
      error: {
        error_code: 'RATE_LIMIT',
        error_message: '429 too many',
        stack_trace: 'Traceback...'
      }
    },
    valid: true
  },
  {
    assessment_id: 'a-fae87f6015044380a84a76b9f1e2a9e5',
    assessment_name: 'dict_fb',
    trace_id: 'tr-c33fdf03f4ba04f328ae3277ea09d40c',
    source: {
      source_type: 'CODE',
      source_id: 'my_scorer'
    },
    create_time: '2026-12-07T05:53:21.227Z',
    last_update_time: '2026-12-07T05:53:21.227Z',
    feedback: {
      value: {
        a: [1.0, 2.0]
      }
    },
    valid: true
  },
  {
    assessment_id: 'a-531fc8feff294d148719783c3dbcfb52',
    assessment_name: 'list_fb',
    trace_id: 'tr-c33fdf03f4ba04f328ae3277ea09d40c',
    source: {
      source_type: 'CODE',
      source_id: 'my_scorer'
    },
    create_time: '2026-12-07T05:53:21.291Z',
    last_update_time: '2026-12-07T05:53:21.291Z',
    feedback: {
      value: ['x', 'y']
    },
    valid: true
  },
  {
    assessment_id: 'a-755f01ff0a614b3ea67c455b9c9f5563',
    assessment_name: 'expected_response',
    trace_id: 'tr-c33fdf03f4ba04f328ae3277ea09d40c',
    source: {
      source_type: 'HUMAN',
      source_id: 'alice'
    },
    create_time: '2026-12-07T05:53:21.347Z',
    last_update_time: '2026-12-07T05:53:21.347Z',
    expectation: {
      value: 'Paris'
    },
    valid: true
  },
  {
    assessment_id: 'a-96feea5804a544df8bb7f7946177e6ab',
    assessment_name: 'expected_facts',
    trace_id: 'tr-c33fdf03f4ba04f328ae3277ea09d40c',
    source: {
      source_type: 'HUMAN',
      source_id: 'alice'
    },
    create_time: '2026-12-07T05:53:21.426Z',
    last_update_time: '2026-12-07T05:53:21.426Z',
    expectation: {
      serialized_value: {
        serialization_format: 'JSON_FORMAT',
        value: '["a", "b"]'
      }
    },
    valid: true
  },
  {
    assessment_id: 'a-68545c8dbd4342bca58152882eaee6ca',
    assessment_name: 'expected_obj',
    trace_id: 'tr-c33fdf03f4ba04f328ae3277ea09d40c',
    source: {
      source_type: 'HUMAN',
      source_id: 'alice'
    },
    create_time: '2026-12-07T05:53:21.491Z',
    last_update_time: '2026-12-07T05:53:21.491Z',
    expectation: {
      serialized_value: {
        serialization_format: 'JSON_FORMAT',
        value: '{"k": 1, "n": null}'
      }
    },
    metadata: {
      m: 'v'
    },
    valid: true
  },
  {
    assessment_id: 'a-4e2d13d2c6534afe9c0c79e6755b8226',
    assessment_name: 'expected_num',
    trace_id: 'tr-c33fdf03f4ba04f328ae3277ea09d40c',
    source: {
      source_type: 'HUMAN',
      source_id: 'alice'
    },
    create_time: '2026-12-07T05:53:21.575Z',
    last_update_time: '2026-12-07T05:53:21.575Z',
    expectation: {
      value: 3.0
    },
    valid: true
  },
  {
    assessment_id: 'a-a130ffe3e8354fa08d3fabf416aebb3f',
    assessment_name: 'correct',
    trace_id: 'tr-c33fdf03f4ba04f328ae3277ea09d40c',
    source: {
      source_type: 'HUMAN',
      source_id: 'bob'
    },
    create_time: '2026-12-07T05:53:21.707Z',
    last_update_time: '2026-12-07T05:53:21.707Z',
    feedback: {
      value: false
    },
    rationale: 'actually wrong',
    overrides: 'a-9dcfece7b52f48eabf392b66b3c20938',
    valid: false
  },
  {
    assessment_id: 'a-7e085534de83482da81a9b26be661693',
    assessment_name: 'correct',
    trace_id: 'tr-c33fdf03f4ba04f328ae3277ea09d40c',
    source: {
      source_type: 'HUMAN',
      source_id: 'carol'
    },
    create_time: '2026-12-07T05:53:21.831Z',
    last_update_time: '2026-12-07T05:53:21.831Z',
    feedback: {
      value: true
    },
    rationale: 'right after all',
    overrides: 'a-a130ffe3e8354fa08d3fabf416aebb3f',
    valid: true
  },
  {
    assessment_id: 'a-80982631c9dc4b7582d856068816697a',
    assessment_name: 'iss-123',
    trace_id: 'tr-c33fdf03f4ba04f328ae3277ea09d40c',
    source: {
      source_type: 'LLM_JUDGE',
      source_id: 'issue-detector'
    },
    create_time: '2026-12-07T05:53:27.852Z',
    last_update_time: '2026-12-07T05:53:27.852Z',
    rationale: 'mentions Lyon',
    valid: true,
    issue: {
      issue_name: 'Hallucinated city'
    }
  }
];
