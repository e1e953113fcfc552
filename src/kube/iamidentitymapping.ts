import type { KubeConfig } from '@kubernetes/client-node';
import { loadClientNode } from './clientNode.js';
import { KubeError, toKubeError } from './errors.js';

export const IAM_IDENTITY_MAPPING_GROUP = 'iamauthenticator.k8s.aws';
export const IAM_IDENTITY_MAPPING_VERSION = 'v1alpha1';
export const IAM_IDENTITY_MAPPING_PLURAL = 'iamidentitymappings';
export const IAM_IDENTITY_MAPPING_KIND = 'IAMIdentityMapping';
export const IAM_IDENTITY_MAPPING_API_VERSION = `${IAM_IDENTITY_MAPPING_GROUP}/${IAM_IDENTITY_MAPPING_VERSION}`;
/** The collection path of the cluster-scoped custom resource. */
export const IAM_IDENTITY_MAPPINGS_PATH = `/apis/${IAM_IDENTITY_MAPPING_API_VERSION}/${IAM_IDENTITY_MAPPING_PLURAL}`;

/** One IAMIdentityMapping as kubeiam reads it. Missing or mistyped fields read as '' or []. */
export interface IamIdentityMapping {
  readonly name: string;
  readonly uid: string;
  readonly resourceVersion: string;
  /** `spec.arn`, as written. */
  readonly arn: string;
  readonly username: string;
  readonly groups: readonly string[];
  /** `status.canonicalARN`, set by the controller; '' until then. */
  readonly canonicalArn: string;
  /** The object as the API server returned it, for writing its status back. */
  readonly object: Readonly<Record<string, unknown>>;
}

export type IamIdentityMappingEvent =
  | { readonly type: 'ADDED' | 'MODIFIED'; readonly mapping: IamIdentityMapping; readonly previous?: IamIdentityMapping }
  | { readonly type: 'DELETED'; readonly mapping: IamIdentityMapping };

export interface IamIdentityMappingInformerOptions {
  readonly kubeConfig: KubeConfig;
  /** Called for every change of the cache: each list reports its differences from the cache, each watch event itself. */
  readonly onEvent?: (event: IamIdentityMappingEvent) => void;
  /** Called when a list or watch fails; the informer lists again after `retryDelayMs`. */
  readonly onFailure?: (error: KubeError) => void;
  /** Called after each successful list, with the number of mappings. */
  readonly onList?: (count: number) => void;
  /** Wait before retrying a failed list or watch. Default: 5000 ms, the EKSConfigMap watch's delay. */
  readonly retryDelayMs?: number;
  /** Default: a timer. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** A running list and watch of every IAMIdentityMapping. */
export interface IamIdentityMappingInformer {
  /** Resolves after the first successful list, or when the informer stops. */
  readonly synced: Promise<void>;
  /** The cached mappings, by name. */
  get(name: string): IamIdentityMapping | undefined;
  list(): IamIdentityMapping[];
  /** Ends the watch; no event or failure is reported after it resolves. */
  stop(): Promise<void>;
}

const DEFAULT_RETRY_DELAY_MS = 5_000;
const OBJECT = 'iamidentitymappings.iamauthenticator.k8s.aws';

/**
 * Starts a list and watch of the cluster-scoped IAMIdentityMappings, as client-go's reflector does
 * for aws-iam-authenticator's CRD backend: list, then watch from the list's resourceVersion. A
 * stream the server closes is re-opened from the last resourceVersion seen. 410 Gone (as an ERROR
 * event or an HTTP status) means the changes since then are lost, so the informer lists again and
 * reports what differs from its cache, deletions included. Any other failure is reported to
 * `onFailure` and followed by a new list after `retryDelayMs`.
 */
export function startIamIdentityMappingInformer(options: IamIdentityMappingInformerOptions): IamIdentityMappingInformer {
  const retryDelayMs = options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const clients = loadClientNode().then((module) => ({
    watch: new module.Watch(options.kubeConfig),
    api: options.kubeConfig.makeApiClient(module.CustomObjectsApi),
  }));
  const cache = new Map<string, IamIdentityMapping>();

  let stopped = false;
  let resourceVersion: string | undefined;
  let controller: AbortController | undefined;
  let wake: () => void = () => undefined;
  const stopping = new Promise<void>((resolve) => {
    wake = resolve;
  });
  let markSynced: () => void = () => undefined;
  const synced = new Promise<void>((resolve) => {
    markSynced = resolve;
  });

  const install = (type: 'ADDED' | 'MODIFIED' | 'DELETED', mapping: IamIdentityMapping): void => {
    const previous = cache.get(mapping.name);
    if (type === 'DELETED') {
      cache.delete(mapping.name);
      options.onEvent?.({ type, mapping });
      return;
    }
    cache.set(mapping.name, mapping);
    options.onEvent?.({ type: previous === undefined ? 'ADDED' : 'MODIFIED', mapping, ...(previous === undefined ? {} : { previous }) });
  };

  const relist = async (): Promise<void> => {
    const { api } = await clients;
    let body: unknown;
    try {
      body = await api.listClusterCustomObject({ group: IAM_IDENTITY_MAPPING_GROUP, version: IAM_IDENTITY_MAPPING_VERSION, plural: IAM_IDENTITY_MAPPING_PLURAL });
    } catch (error) {
      throw missingDefinitionHint(toKubeError(error, 'listing', OBJECT));
    }
    const { items, listVersion } = readList(body);
    if (stopped) return;
    const seen = new Set(items.map((item) => item.name));
    for (const [name, mapping] of cache) {
      if (!seen.has(name)) install('DELETED', mapping);
    }
    for (const item of items) {
      if (cache.get(item.name)?.resourceVersion !== item.resourceVersion) install('ADDED', item);
    }
    resourceVersion = listVersion;
    options.onList?.(items.length);
    markSynced();
  };

  // Set by a 410 inside the stream; the loop then lists again instead of re-watching.
  let expired = false;
  // Set by any other ERROR event. The loop then reports it and retries after the delay, so that a
  // server that keeps sending errors is not asked again at once.
  let streamError: KubeError | undefined;
  const handleEvent = (type: string, value: unknown): void => {
    if (stopped) return;
    if (type === 'ERROR') {
      const status = value as { code?: unknown } | undefined;
      if (status?.code === 410) {
        expired = true;
        controller?.abort();
        return;
      }
      streamError = toKubeError({ code: typeof status?.code === 'number' ? status.code : 500, body: value }, 'watching', OBJECT);
      controller?.abort();
      return;
    }
    if (type !== 'ADDED' && type !== 'MODIFIED' && type !== 'DELETED') return;
    let mapping: IamIdentityMapping;
    try {
      mapping = toIamIdentityMapping(value);
    } catch (error) {
      streamError = toKubeError(error, 'watching', OBJECT);
      controller?.abort();
      return;
    }
    resourceVersion = mapping.resourceVersion;
    install(type, mapping);
  };

  const watchOnce = (): Promise<unknown> =>
    new Promise((resolve) => {
      const query = { allowWatchBookmarks: false, ...(resourceVersion === undefined ? {} : { resourceVersion }) };
      clients
        .then(({ watch }) => watch.watch(IAM_IDENTITY_MAPPINGS_PATH, query, handleEvent, (error: unknown) => resolve(error ?? null)))
        .then((started) => {
          controller = started;
          if (stopped) started.abort();
        })
        .catch(resolve);
    });

  const loop = async (): Promise<void> => {
    let needList = true;
    while (!stopped) {
      let failure: KubeError | undefined;
      try {
        if (needList) await relist();
        needList = false;
        // client-node returns the stream's AbortController only once the response headers arrived,
        // so stop() cannot abort a request still waiting for them and must not wait for it either.
        const error = await Promise.race([watchOnce(), stopping.then(() => null)]);
        if (expired) {
          expired = false;
          needList = true;
          continue;
        }
        if (streamError !== undefined) {
          failure = streamError;
          streamError = undefined;
        } else if (error !== null) {
          failure = toKubeError(error, 'watching', OBJECT);
        }
        if (failure?.status === 410) {
          needList = true;
          continue;
        }
      } catch (error) {
        failure = toKubeError(error, 'listing', OBJECT);
      }
      if (stopped) return;
      if (failure === undefined) continue;
      // Events may have been missed while no stream was open, so the retry lists again.
      needList = true;
      options.onFailure?.(failure);
      await Promise.race([sleep(retryDelayMs), stopping]);
    }
  };
  const finished = loop();

  return {
    synced,
    get: (name) => cache.get(name),
    list: () => [...cache.values()],
    async stop() {
      stopped = true;
      wake();
      markSynced();
      controller?.abort();
      await finished;
    },
  };
}

/** Adds what to do to a 404 of the list: the resource is unknown until its CustomResourceDefinition is installed. */
function missingDefinitionHint(error: KubeError): KubeError {
  if (error.status !== 404) return error;
  return new KubeError(error.code, `${error.message}; install the IAMIdentityMapping CustomResourceDefinition (deploy/iamidentitymapping.yaml)`, { object: OBJECT }, 404);
}

/** Reads a list response: its items and its resourceVersion, from which the watch starts. */
function readList(body: unknown): { items: IamIdentityMapping[]; listVersion: string } {
  if (!isRecord(body) || !Array.isArray(body['items'])) {
    throw new KubeError('KUBE_RESPONSE_INVALID', `listing ${OBJECT} returned no items list; check that the IAMIdentityMapping CustomResourceDefinition is installed`, { object: OBJECT });
  }
  const metadata = isRecord(body['metadata']) ? body['metadata'] : {};
  const listVersion = typeof metadata['resourceVersion'] === 'string' ? metadata['resourceVersion'] : '';
  return { items: body['items'].map(toIamIdentityMapping), listVersion };
}

/**
 * Converts an IAMIdentityMapping object and throws KUBE_RESPONSE_INVALID when it has no name. Fields
 * of the wrong type read as empty, because the CRD's schema already rejects them at the API server.
 */
export function toIamIdentityMapping(value: unknown): IamIdentityMapping {
  if (!isRecord(value) || !isRecord(value['metadata']) || typeof value['metadata']['name'] !== 'string') {
    throw new KubeError('KUBE_RESPONSE_INVALID', `an object of ${OBJECT} has no metadata.name`, { object: OBJECT });
  }
  const metadata = value['metadata'];
  const spec = isRecord(value['spec']) ? value['spec'] : {};
  const status = isRecord(value['status']) ? value['status'] : {};
  const text = (record: Record<string, unknown>, field: string): string => (typeof record[field] === 'string' ? record[field] : '');
  const groups = Array.isArray(spec['groups']) ? spec['groups'].filter((group): group is string => typeof group === 'string') : [];
  return {
    name: text(metadata, 'name'),
    uid: text(metadata, 'uid'),
    resourceVersion: text(metadata, 'resourceVersion'),
    arn: text(spec, 'arn'),
    username: text(spec, 'username'),
    groups,
    canonicalArn: text(status, 'canonicalARN'),
    object: value,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
