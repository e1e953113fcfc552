export {
  BackendError,
  createDynamicFileBackend,
  createMountedBackend,
  type Backend,
  type BackendContext,
  type BackendFactory,
  type BackendSettings,
} from './backends.js';
export { BackendChain, watchBackendModeFile, type BackendChainOptions, type BackendModeWatcher } from './chain.js';
export {
  certificateNames,
  ensureStateDirMaterial,
  renderWebhookKubeconfig,
  webhookServerUrl,
  writeWebhookKubeconfig,
  type StateDirMaterial,
} from './kubeconfig.js';
export { createCachingVerifier, type TokenCacheOptions } from './token-cache.js';
export {
  generateSelfSignedCertificate,
  type CertificateAndKey,
  type SelfSignedCertificateOptions,
} from './certificate.js';
export { HttpError, WebhookConfigError, type WebhookConfigErrorCode, type WebhookResponse } from './errors.js';
export { createFileWatcher, type FileWatcher, type FileWatcherOptions } from './file-watcher.js';
export {
  createAuthenticateHandler,
  reviewUser,
  type AuthenticateHandler,
  type AuthenticateHandlerOptions,
  type AuthenticateRequest,
  type MapIdentity,
  type TokenVerifierLike,
} from './handler.js';
export {
  buildHealthReport,
  type HealthReport,
  type HealthReporter,
  type SourceProblem,
  type SourceStatus,
} from './health.js';
export {
  AUTHENTICATION_RESULTS,
  createWebhookMetrics,
  type AuthenticationResult,
  type WebhookMetrics,
  type WebhookMetricsOptions,
} from './metrics.js';
export { redactSecrets } from './redact.js';
export {
  startWebhookServer,
  type TlsMaterial,
  type WebhookServer,
  type WebhookServerOptions,
} from './server.js';
export {
  createReloadingSource,
  watchSourceFile,
  type ParsedDocument,
  type ReloadingSource,
  type ReloadingSourceOptions,
  type SourceFileWatchOptions,
} from './source.js';
export {
  decodeTokenReview,
  DENY_BODY,
  encodeSuccessBody,
  type TokenReviewDecodeResult,
  type TokenReviewRequest,
  type TokenReviewUser,
} from './tokenreview.js';
export {
  createWebhook,
  type AwsAuthAdapter,
  type TlsFiles,
  type Webhook,
  type WebhookDependencies,
  type WebhookOptions,
} from './webhook.js';
