/** MIME type of one or more traces (DESIGN.md, the output contract). */
export const TRACE_MIME_TYPE = 'application/vnd.mlflow.trace+json';

/** MIME type of a trace query and its results. */
export const TRACE_LIST_MIME_TYPE = 'application/vnd.mlflow.trace-list+json';

/** What MLflow emits inside Databricks: `{trace_id}` or a list of those. */
export const DATABRICKS_TRACE_MIME_TYPE = 'application/databricks.mlflow.trace';

/** The contract version this package writes and reads. */
export const BUNDLE_VERSION = 1;

/** MIME type of a trace query's aggregates over time. */
export const TRACE_SUMMARY_MIME_TYPE =
  'application/vnd.mlflow.trace-summary+json';
