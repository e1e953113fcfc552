export { arnLike, quoteMeta } from './arnlike.js';
export { mapIdentity, runChain, type ExplainStep, type MapOptions, type Trace } from './chain.js';
export { explainIdentity, suggestGrantCommand, type Explanation } from './explain.js';
export { identityFromArn, type IdentityFromArnOptions } from './identity.js';
export {
  matchRoleMapping,
  referenceSsoPattern,
  roleMappingKey,
  ssoPattern,
  ssoPatternMatches,
  validateRoleMapping,
  validateUserMapping,
  type RecordError,
  type RoleMatch,
} from './records.js';
export { createAwsAuthSource, type AwsAuthSourceOptions } from './sources/awsauth.js';
export { BOOTSTRAP_SOURCE_NAME, createBootstrapSource } from './sources/bootstrap.js';
export {
  createDynamicFileSource,
  parseDynamicFile,
  type DynamicFileContent,
  type DynamicFileOptions,
  type DynamicFileParseResult,
  type DynamicFileSource,
} from './sources/dynamicfile.js';
export {
  createMountedSource,
  type MountedConfig,
  type MountedRoleInput,
  type MountedSource,
  type MountedUserInput,
} from './sources/mounted.js';
export { renderTemplate, TEMPLATE_PLACEHOLDERS } from './templates.js';
export type {
  EntryOrigin,
  EntryVerdict,
  ExplainReason,
  MapErrorCode,
  MapOutcome,
  MappedUser,
  MappingSource,
  MatchedMapping,
  PrivateDnsLookup,
  RoleMapping,
  SsoReference,
  UserMapping,
} from './types.js';
