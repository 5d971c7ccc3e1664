/**
 * The helper's one session per process: the configuration, the tracking
 * client, and the OpenTelemetry provider and context manager.
 */
import { context, trace as otelTrace, Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { SpanExporter, TracerProvider } from '@opentelemetry/sdk-trace';
import {
  authFromEnv,
  authHeader,
  IAuth,
  MlflowClient,
  MlflowClientError,
  normalizeTrackingUri,
  ServerUnreachableError
} from '../client';
import { DEFAULT_MAX_BYTES } from '../bundle';
import { forMlflow } from './exporter';
import { LiveSpanProcessor } from './liveprocessor';
import { ILateSpans, IRootEnded, TraceBatchProcessor } from './processor';

/** Options of configure(); each falls back to the environment, then a default. */
export interface IConfigureOptions {
  /** Default: `MLFLOW_TRACKING_URI`. */
  trackingUri?: string;
  /** Default: `MLFLOW_EXPERIMENT_NAME`; created when missing. */
  experimentName?: string;
  /** Default: `MLFLOW_EXPERIMENT_ID`, else the "Default" experiment (0). */
  experimentId?: string;
  /** Show each trace under the cell that made it. Default true. */
  autoDisplay?: boolean;
  /** 'full' embeds info and spans (default); 'ids' embeds trace ids only. */
  embed?: 'full' | 'ids';
  /** Byte budget of the embedded trace JSON per output. Default 4 MiB. */
  maxBytes?: number;
  /** Traces displayed at most per cell. Default 10, like MLflow. */
  maxTracesPerCell?: number;
  /**
   * Show each trace while it runs, updated in place as its spans start and
   * end. Default true; false: displayed when its root span ends.
   */
  live?: boolean;
  /** Default: `MLFLOW_TRACKING_USERNAME`/`_PASSWORD` or `MLFLOW_TRACKING_TOKEN`. */
  auth?: IAuth;
}

/** The configuration in force. */
export interface IConfiguration {
  trackingUri: string;
  experimentId: string;
  experimentName?: string;
  autoDisplay: boolean;
  embed: 'full' | 'ids';
  maxBytes: number;
  maxTracesPerCell: number;
  live: boolean;
}

/** The default of `maxTracesPerCell` (MLflow's MLFLOW_MAX_TRACES_TO_DISPLAY_IN_NOTEBOOK). */
export const DEFAULT_MAX_TRACES_PER_CELL = 10;

const TRACER_NAME = 'jupyterlab-mlflow-traces';

/** A connected session. */
export interface IActive {
  config: IConfiguration;
  client: MlflowClient;
  exporter: SpanExporter;
}

type RootListener = (event: IRootEnded) => void;
type LateListener = (event: ILateSpans) => void;

let active: Promise<IActive> | null = null;
let settled: IActive | null = null;
let processor: TraceBatchProcessor | null = null;
// Exists before any provider: configure({ live }) may come first.
const liveProcessor = new LiveSpanProcessor();
let provider: TracerProvider | null = null;
let ownsGlobalProvider = false;
const rootListeners = new Set<RootListener>();
const lateListeners = new Set<LateListener>();

function env(name: string): string | undefined {
  const value = process.env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

// The client's typed error is rethrown with a friendlier message, so callers
// can still tell the cause by class (ServerUnreachableError, AuthError, …).
function unreachable(trackingUri: string, error: Error): Error {
  error.message =
    `Cannot reach the MLflow tracking server at ${trackingUri}: ${error.message}. ` +
    'Start it (e.g. `mlflow server --port 5000`) or point MLFLOW_TRACKING_URI ' +
    '/ configure({ trackingUri }) at a running one.';
  return error;
}

async function resolveExperiment(
  client: MlflowClient,
  options: IConfigureOptions
): Promise<{ id: string; name?: string }> {
  const id = options.experimentId ?? env('MLFLOW_EXPERIMENT_ID');
  const name =
    options.experimentId === undefined
      ? (options.experimentName ?? env('MLFLOW_EXPERIMENT_NAME'))
      : options.experimentName;
  if (id !== undefined) {
    await client.searchTraces({ experimentIds: [id], maxResults: 1 });
    return { id, name };
  }
  if (name === undefined) {
    await client.searchTraces({ experimentIds: ['0'], maxResults: 1 });
    return { id: '0', name: 'Default' };
  }
  const existing = await client.getExperimentByName(name);
  if (existing) {
    if (existing.lifecycleStage === 'deleted') {
      throw new Error(
        `Experiment "${name}" is deleted on the tracking server; restore it or pick another name`
      );
    }
    return { id: existing.experimentId, name };
  }
  try {
    return { id: await client.createExperiment(name), name };
  } catch (error) {
    // Created concurrently by someone else: use theirs.
    const again = await client.getExperimentByName(name);
    if (again) {
      return { id: again.experimentId, name };
    }
    throw error;
  }
}

async function connect(options: IConfigureOptions): Promise<IActive> {
  const rawUri = options.trackingUri ?? env('MLFLOW_TRACKING_URI');
  if (rawUri === undefined) {
    throw new Error(
      'No MLflow tracking server: set MLFLOW_TRACKING_URI or call ' +
        'configure({ trackingUri: "http://127.0.0.1:5000" })'
    );
  }
  const { baseUrl, auth: uriAuth } = normalizeTrackingUri(rawUri);
  const auth = options.auth ?? uriAuth ?? authFromEnv(process.env);
  const client = new MlflowClient({ trackingUri: baseUrl, auth });
  let experiment: { id: string; name?: string };
  try {
    experiment = await resolveExperiment(client, options);
  } catch (error) {
    if (error instanceof ServerUnreachableError) {
      throw unreachable(baseUrl, error);
    }
    if (error instanceof MlflowClientError) {
      error.message = `MLflow tracking server ${baseUrl}: ${error.message}`;
      throw error;
    }
    throw error;
  }
  const headers: Record<string, string> = {
    'x-mlflow-experiment-id': experiment.id
  };
  if (auth) {
    headers.authorization = authHeader(auth);
  }
  // Loaded on first connect: it is most of the helper's import time.
  const { OTLPTraceExporter } =
    await import('@opentelemetry/exporter-trace-otlp-proto');
  const exporter = forMlflow(
    new OTLPTraceExporter({ url: `${baseUrl}/v1/traces`, headers }),
    baseUrl
  );
  const maxTraces = options.maxTracesPerCell ?? DEFAULT_MAX_TRACES_PER_CELL;
  return {
    client,
    exporter,
    config: {
      trackingUri: baseUrl,
      experimentId: experiment.id,
      experimentName: experiment.name,
      autoDisplay: options.autoDisplay ?? true,
      embed: options.embed ?? 'full',
      maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES,
      maxTracesPerCell: Math.max(0, Math.floor(maxTraces)),
      live: options.live ?? true
    }
  };
}

/** The OpenTelemetry setup; created once, on first use. */
function ensureProvider(): TracerProvider {
  if (provider) {
    return provider;
  }
  const manager = new AsyncLocalStorageContextManager();
  // Another library may have registered a context manager first; keep theirs.
  if (!context.setGlobalContextManager(manager.enable())) {
    manager.disable();
  }
  processor = new TraceBatchProcessor(
    () => current().then(a => a.exporter),
    event => {
      for (const listener of rootListeners) {
        listener(event);
      }
    },
    {
      onLateSpans: event => {
        for (const listener of lateListeners) {
          listener(event);
        }
      }
    }
  );
  provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': TRACER_NAME }),
    spanProcessors: [processor, liveProcessor]
  });
  ownsGlobalProvider = otelTrace.setGlobalTracerProvider(provider);
  return provider;
}

/**
 * Connects to the tracking server: checks it answers, finds or creates the
 * experiment, and points the OTLP exporter at it.
 *
 * #### Notes
 * Throws a clear error when the server cannot be reached or refuses. Calling
 * it again replaces the configuration; traces in flight go to the old one.
 */
export async function configure(
  options: IConfigureOptions = {}
): Promise<IConfiguration> {
  ensureProvider();
  // At once, so that spans started while connecting follow it.
  liveProcessor.enabled = options.live ?? true;
  const previous = settled;
  const next = connect(options);
  active = next;
  try {
    const result = await next;
    if (active === next) {
      settled = result;
    }
    if (previous && previous !== result) {
      void previous.exporter.forceFlush?.().catch(() => undefined);
    }
    return { ...result.config };
  } catch (error) {
    if (active === next) {
      active = previous ? Promise.resolve(previous) : null;
    }
    throw error;
  }
}

/** The configuration in force, configuring from the environment if needed. */
export function current(): Promise<IActive> {
  if (active === null) {
    const next = connect({});
    active = next;
    next.then(
      result => {
        if (active === next) {
          settled = result;
        }
      },
      () => {
        if (active === next) {
          active = null;
        }
      }
    );
  }
  return active;
}

/** The settled configuration, or null before configure() finished. */
export function currentConfig(): IConfiguration | null {
  return settled ? { ...settled.config } : null;
}

/** The tracer the helper creates its spans with. */
export function getTracer(): Tracer {
  const own = ensureProvider();
  // Through the global API when ours is the global provider, so that a
  // provider registered later by the user is not bypassed silently.
  return ownsGlobalProvider
    ? otelTrace.getTracer(TRACER_NAME)
    : own.getTracer(TRACER_NAME);
}

/** The helper's span processor, to add to a provider of your own. */
export function getSpanProcessor(): TraceBatchProcessor {
  ensureProvider();
  return processor as TraceBatchProcessor;
}

/** The processor that follows running traces for the live display. */
export function getLiveProcessor(): LiveSpanProcessor {
  return liveProcessor;
}

/** Registers a listener for ended root spans (auto-display). */
export function onRootEnded(listener: RootListener): void {
  rootListeners.add(listener);
}

/** Registers a listener for spans sent after their trace (display updates). */
export function onLateSpans(listener: LateListener): void {
  lateListeners.add(listener);
}

/** Sends every finished span to the tracking server and waits for it. */
export async function flush(): Promise<void> {
  if (processor) {
    await processor.forceFlush();
  }
}
