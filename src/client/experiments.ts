/**
 * Experiments by name: `GET /api/2.0/mlflow/experiments/get-by-name` and
 * `POST /api/2.0/mlflow/experiments/create`.
 */
import { InvalidResponseError, MlflowClientError } from './errors';
import { HttpClient } from './http';

/** An experiment as the client reports it. */
export interface IExperiment {
  experimentId: string;
  name: string;
  artifactLocation?: string;
  lifecycleStage?: string;
  creationTimeMs?: number;
  lastUpdateTimeMs?: number;
  tags?: Record<string, string>;
}

/** The experiment of that name, or null when there is none. */
export async function getExperimentByName(
  http: HttpClient,
  name: string
): Promise<IExperiment | null> {
  const operation = 'getExperimentByName';
  let body: Record<string, unknown>;
  try {
    body = await http.request({
      operation,
      method: 'GET',
      path: '/api/2.0/mlflow/experiments/get-by-name',
      query: { experiment_name: name }
    });
  } catch (err) {
    if (
      err instanceof MlflowClientError &&
      err.errorCode === 'RESOURCE_DOES_NOT_EXIST'
    ) {
      return null;
    }
    throw err;
  }
  const experiment = parseExperiment(body.experiment);
  if (!experiment) {
    const ctx = { serverUrl: http.baseUrl, operation };
    throw new InvalidResponseError('no experiment.experiment_id', ctx);
  }
  return experiment;
}

/** Creates an experiment and returns its id. */
export async function createExperiment(
  http: HttpClient,
  name: string
): Promise<string> {
  const operation = 'createExperiment';
  const body = await http.request({
    operation,
    method: 'POST',
    path: '/api/2.0/mlflow/experiments/create',
    body: { name }
  });
  if (typeof body.experiment_id !== 'string') {
    const ctx = { serverUrl: http.baseUrl, operation };
    throw new InvalidResponseError('no experiment_id', ctx);
  }
  return body.experiment_id;
}

/** The client's view of an `experiment` object, or undefined if malformed. */
export function parseExperiment(raw: unknown): IExperiment | undefined {
  if (typeof raw !== 'object' || raw === null) {
    return undefined;
  }
  const e = raw as Record<string, unknown>;
  if (typeof e.experiment_id !== 'string' || typeof e.name !== 'string') {
    return undefined;
  }
  const experiment: IExperiment = {
    experimentId: e.experiment_id,
    name: e.name
  };
  if (typeof e.artifact_location === 'string') {
    experiment.artifactLocation = e.artifact_location;
  }
  if (typeof e.lifecycle_stage === 'string') {
    experiment.lifecycleStage = e.lifecycle_stage;
  }
  if (typeof e.creation_time === 'number') {
    experiment.creationTimeMs = e.creation_time;
  }
  if (typeof e.last_update_time === 'number') {
    experiment.lastUpdateTimeMs = e.last_update_time;
  }
  if (Array.isArray(e.tags)) {
    // Experiment tags arrive as a list of {key, value}.
    experiment.tags = {};
    for (const tag of e.tags as { key?: unknown; value?: unknown }[]) {
      if (typeof tag?.key === 'string' && typeof tag.value === 'string') {
        experiment.tags[tag.key] = tag.value;
      }
    }
  }
  return experiment;
}
