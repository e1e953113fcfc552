export { applyMigration, callerFor, verifyMigration, type ApplyAction, type ApplyResult, type VerifyResult, type VerifyStatus } from './apply.js';
export { createEksClient, EksAccessClient, type AccessPolicyInfo, type ClusterAccess, type ClusterUpdate, type EksClientOptions } from './client.js';
export { defaultGroups, defaultUsername } from './defaults.js';
export { toDynamicFile, type DynamicFileDocument, type ExportNote, type ExportOptions } from './dynamicfile.js';
export { assertNoProblems, EksCallError, EntryRuleError } from './errors.js';
export { parseAccessEntriesFile, type AccessEntriesFile } from './file.js';
export { createIamLookup, type IamClientOptions, type IamPrincipal, type PrincipalLookup } from './iam.js';
export {
  CLUSTER_ADMIN_POLICY,
  planMigration,
  type MigrationPlan,
  type MoveStatus,
  type PlannedMove,
  type PlannedPolicy,
  type PlannedStay,
  type PlanOptions,
  type StayReason,
} from './migrate.js';
export { findOrphans, type OrphanFinding, type OrphanReason } from './orphans.js';
export {
  checkApiEnabled,
  checkClusterName,
  checkEntryType,
  checkGroups,
  checkMode,
  checkModeTransition,
  checkNodeTypeFields,
  checkPolicy,
  checkPolicyForType,
  checkPolicyKnown,
  checkPrincipalArn,
  checkScope,
  checkUsername,
  policyArnFor,
  RESERVED_USERNAME_PREFIXES,
  SSO_ROLE_PATH,
} from './rules.js';
export { ACCESS_ENTRIES_SOURCE_NAME, callerArnOf, createAccessEntrySource, orderSourcesForMode, type AccessEntrySourceOptions, type EksSources } from './source.js';
export {
  AUTHENTICATION_MODES,
  ENTRY_TYPES,
  NODE_ENTRY_TYPES,
  type AccessEntry,
  type AccessScope,
  type AssociatePolicyRequest,
  type AuthenticationMode,
  type CreateEntryRequest,
  type EntryProblem,
  type EntryProblemCode,
  type EntryType,
  type PolicyAssociation,
  type UpdateEntryRequest,
} from './types.js';
export { validateAssociate, validateCreate, validateUpdate, type ClusterFacts } from './validate.js';
export { waitForUpdate, type WaitOptions } from './wait.js';
