import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Outcome of one `/authenticate` request. */
export type AuthenticationResult =
  | 'success'
  | 'malformed_request'
  | 'invalid_token'
  | 'sts_error'
  | 'sts_throttling'
  | 'unknown_user';

export const AUTHENTICATION_RESULTS: readonly AuthenticationResult[] = [
  'success',
  'malformed_request',
  'invalid_token',
  'sts_error',
  'sts_throttling',
  'unknown_user',
];

/**
 * aws-iam-authenticator labels an unmapped identity `uknown_user` (sic). kubeiam keeps that value
 * on the reference histogram so existing dashboards keep working, and spells it correctly on its own
 * `kubeiam_authenticate_requests_total` counter.
 */
const REFERENCE_RESULT_LABEL: Readonly<Record<AuthenticationResult, string>> = {
  success: 'success',
  malformed_request: 'malformed_request',
  invalid_token: 'invalid_token',
  sts_error: 'sts_error',
  sts_throttling: 'sts_throttling',
  unknown_user: 'uknown_user',
};

const REFERENCE_NAMESPACE = 'aws_iam_authenticator_';

/** Go client_golang's default histogram buckets, in seconds. */
const DEFAULT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Metrics of the webhook on a registry of their own. Names and labels under
 * `aws_iam_authenticator_` match aws-iam-authenticator 0.7.18; `kubeiam_` metrics are kubeiam's.
 * Label values are fixed words, region names, HTTP codes, source names and ConfigMap keys: never a
 * token, an ARN or an account ID.
 */
export interface WebhookMetrics {
  readonly registry: Registry;
  /** Seconds per `/authenticate` request, by reference `result` label. */
  readonly authenticateLatency: Histogram<'result'>;
  readonly authenticateRequests: Counter<'result'>;
  readonly stsConnectionFailures: Counter<'StsRegion'>;
  readonly stsResponses: Counter<'ResponseCode' | 'StsRegion'>;
  readonly stsThrottling: Counter<'StsRegion'>;
  readonly configmapWatchFailures: Counter;
  readonly dynamicfileFailures: Counter;
  readonly ec2DescribeInstancesCalls: Counter;
  readonly dynamicE2eLatency: Histogram<'type'>;
  readonly dynamicFileEnabled: Gauge;
  readonly dynamicFileOnly: Gauge;
  /** Problems found while loading a mapping source, by source name and ConfigMap key (or `file`). */
  readonly mappingSourceErrors: Counter<'source' | 'key'>;
  readonly mappingSourceLoaded: Gauge<'source'>;
  /** Connections that failed before a request was read: TLS handshake or HTTP parse errors. */
  readonly clientErrors: Counter<'kind'>;
  /** Verified-token cache lookups, by `result` (`hit`, `miss`). */
  readonly tokenCacheLookups: Counter<'result'>;
  /** Records one `/authenticate` request on the reference histogram and the kubeiam counter. */
  recordAuthentication(result: AuthenticationResult, seconds: number): void;
}

export interface WebhookMetricsOptions {
  /** Also collect Node.js process metrics (CPU, memory, event loop, GC). Default: true. */
  readonly defaultMetrics?: boolean;
}

/** Creates the webhook's metrics on a new registry (never prom-client's global one). */
export function createWebhookMetrics(options: WebhookMetricsOptions = {}): WebhookMetrics {
  const registry = new Registry();
  const reference = createReferenceMetrics(registry);
  const own = createKubeiamMetrics(registry);

  if (options.defaultMetrics ?? true) {
    collectDefaultMetrics({ register: registry });
  }

  // Label objects are built once per result instead of once per request.
  const latencyLabels = labelsByResult((result) => ({ result: REFERENCE_RESULT_LABEL[result] }));
  const requestLabels = labelsByResult((result) => ({ result }));
  return {
    registry,
    ...reference,
    ...own,
    recordAuthentication(result, seconds) {
      reference.authenticateLatency.observe(latencyLabels[result], seconds);
      own.authenticateRequests.inc(requestLabels[result]);
    },
  };
}

type ResultLabels = Readonly<{ result: string }>;

function labelsByResult(build: (result: AuthenticationResult) => ResultLabels): Readonly<Record<AuthenticationResult, ResultLabels>> {
  const entries = AUTHENTICATION_RESULTS.map((result) => [result, Object.freeze(build(result))]);
  return Object.fromEntries(entries) as Record<AuthenticationResult, ResultLabels>;
}

function createReferenceMetrics(registry: Registry) {
  const registers = [registry];
  const name = (suffix: string): string => `${REFERENCE_NAMESPACE}${suffix}`;

  return {
    authenticateLatency: new Histogram({
      name: name('authenticate_latency_seconds'),
      help: 'Authenticate call latency in seconds, by result.',
      labelNames: ['result'] as const,
      buckets: DEFAULT_BUCKETS,
      registers,
    }),
    stsConnectionFailures: new Counter({
      name: name('sts_connection_failures_total'),
      help: 'Number of STS requests that failed before a response arrived.',
      labelNames: ['StsRegion'] as const,
      registers,
    }),
    stsResponses: new Counter({
      name: name('sts_responses_total'),
      help: 'Number of STS responses, by HTTP status code and region.',
      labelNames: ['ResponseCode', 'StsRegion'] as const,
      registers,
    }),
    stsThrottling: new Counter({
      name: name('sts_throttling_total'),
      help: 'Number of STS responses that reported throttling.',
      labelNames: ['StsRegion'] as const,
      registers,
    }),
    configmapWatchFailures: new Counter({
      name: name('configmap_watch_failures_total'),
      help: 'Number of failures to establish the aws-auth ConfigMap watch.',
      registers,
    }),
    dynamicfileFailures: new Counter({
      name: name('dynamicfile_failures_total'),
      help: 'Number of failures while watching the dynamic mapping file.',
      registers,
    }),
    ec2DescribeInstancesCalls: new Counter({
      name: name('ec2_describe_instances_calls_total'),
      help: 'Number of EC2 DescribeInstances calls made to resolve private DNS names.',
      registers,
    }),
    dynamicE2eLatency: new Histogram({
      name: name('dynamic_e2e_latency_seconds'),
      help: 'Seconds from a dynamic file update to the server loading it.',
      labelNames: ['type'] as const,
      buckets: [1, 3, 5, 10, 15, 20, 30, 60],
      registers,
    }),
    dynamicFileEnabled: new Gauge({
      name: name('dynamic_file_enabled'),
      help: '1 when the DynamicFile backend is part of the mapping chain.',
      registers,
    }),
    dynamicFileOnly: new Gauge({
      name: name('dynamic_file_only'),
      help: '1 when DynamicFile is the only backend of the mapping chain.',
      registers,
    }),
  };
}

function createKubeiamMetrics(registry: Registry) {
  const registers = [registry];
  const authenticateRequests = new Counter({
    name: 'kubeiam_authenticate_requests_total',
    help: 'Number of /authenticate requests, by result.',
    labelNames: ['result'] as const,
    registers,
  });

  for (const result of AUTHENTICATION_RESULTS) {
    authenticateRequests.inc({ result }, 0);
  }

  return {
    authenticateRequests,
    mappingSourceErrors: new Counter({
      name: 'kubeiam_mapping_source_errors_total',
      help: 'Number of problems found while loading a mapping source, by source and ConfigMap key ("file" for read and watch failures).',
      labelNames: ['source', 'key'] as const,
      registers,
    }),
    mappingSourceLoaded: new Gauge({
      name: 'kubeiam_mapping_source_loaded',
      help: '1 when the mapping source has loaded mappings, 0 when it has none (missing file, not loaded yet).',
      labelNames: ['source'] as const,
      registers,
    }),
    clientErrors: new Counter({
      name: 'kubeiam_webhook_client_errors_total',
      help: 'Number of connections that failed before a request was read, by kind (tls, http).',
      labelNames: ['kind'] as const,
      registers,
    }),
    tokenCacheLookups: new Counter({
      name: 'kubeiam_token_cache_lookups_total',
      help: 'Number of verified-token cache lookups, by result (hit: STS was not called, miss: STS was called).',
      labelNames: ['result'] as const,
      registers,
    }),
  };
}
