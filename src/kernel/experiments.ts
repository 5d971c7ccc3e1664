/** The experiments a query from a cell names, resolved on the tracking server. */
import { MlflowClient } from '../client';
import { current } from './session';

/**
 * The experiment ids a query names: its ids, then its names resolved through
 * the server (a missing name is an error); else the configured experiment.
 */
export async function resolveExperimentIds(
  c: MlflowClient,
  options: {
    experimentIds?: readonly string[];
    experimentNames?: readonly string[];
  },
  caller: string
): Promise<string[]> {
  const ids = (options.experimentIds ?? []).map(String);
  for (const name of options.experimentNames ?? []) {
    const experiment = await c.getExperimentByName(name);
    if (!experiment) {
      throw new Error(
        `${caller}: no experiment named "${name}" on ${c.trackingUri}`
      );
    }
    ids.push(experiment.experimentId);
  }
  if (ids.length === 0) {
    if (options.experimentNames !== undefined) {
      throw new Error(`${caller}: experimentNames is empty`);
    }
    ids.push((await current()).config.experimentId);
  }
  return Array.from(new Set(ids));
}
