// The kubeiam library: the same parts the CLI and the webhook are built from. Every export is named
// here on purpose, so the public API changes only by an edit to this file.

export { KubeiamError, isKubeiamError } from './errors.js';

export {
  ArnError,
  PARTITION_IDS,
  canonicalize,
  parseArn,
  parsePrincipal,
  partitionForRegion,
  stripPath,
  type Arn,
  type Identity,
  type PartitionId,
  type Principal,
  type PrincipalType,
} from './arn/index.js';

export {
  TokenError,
  TokenVerifier,
  formatExecCredential,
  parseToken,
  presignGetCallerIdentity,
  type ParsedToken,
  type PresignOptions,
  type PresignedToken,
  type TokenErrorCode,
  type TokenVerifierOptions,
} from './token/index.js';

export {
  addAccount,
  addRole,
  addUser,
  lintAwsAuth,
  listEntries,
  parseAwsAuth,
  removeAccount,
  removeRole,
  removeUser,
  unifiedDiff,
  type EditResult,
  type EntryRow,
  type LintResult,
  type ParsedAwsAuth,
  type Problem,
} from './awsauth/index.js';

export {
  createAwsAuthSource,
  createBootstrapSource,
  createDynamicFileSource,
  createMountedSource,
  explainIdentity,
  identityFromArn,
  mapIdentity,
  type Explanation,
  type MapOutcome,
  type MappedUser,
  type MappingSource,
  type RoleMapping,
  type UserMapping,
} from './mapping/index.js';

export { resolveBaseCredentials, StsCalls, type AwsCredentials } from './credentials/index.js';

export { IamRegistry, startStsEmulator, type StsEmulator, type StsEmulatorOptions } from './emulator/index.js';

export {
  createAuthenticateHandler,
  createWebhook,
  generateSelfSignedCertificate,
  startWebhookServer,
  type Webhook,
  type WebhookOptions,
} from './webhook/index.js';

export {
  connectAwsAuth,
  createEksConfigMapSource,
  readAwsAuth,
  updateAwsAuth,
  watchAwsAuth,
} from './kube/index.js';

export { describeCluster, lookupCreateCluster, lookupPrincipal, mergeKubeconfig } from './aws/index.js';

export {
  EksAccessClient,
  applyMigration,
  createAccessEntrySource,
  findOrphans,
  planMigration,
  verifyMigration,
} from './accessentries/index.js';

export { loadServerConfig } from './serverconfig/index.js';
export { createPrivateDnsResolver } from './ec2/index.js';

export { run, type CliIo } from './cli/index.js';
