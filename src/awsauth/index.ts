export { diffLines, unifiedDiff, type DiffLine, type UnifiedDiffOptions } from './diff.js';
export {
  addAccount,
  addRole,
  addUser,
  meaningOf,
  removeAccount,
  removeRole,
  removeUser,
  verifyEdit,
  type EditOptions,
  type EditResult,
  type RoleGrant,
  type UserGrant,
} from './edit.js';
export { encodeMap } from './encode.js';
export { equalFold, foldKey } from './gofold.js';
export type { EditErrorCode } from './guards.js';
export { lintAwsAuth, type LintOptions, type LintResult } from './lint.js';
export { parseAwsAuth, type ParseOptions } from './parse.js';
export { listEntries, type EntryRow } from './render.js';
export { resolveAwsAuth, type ResolvedAwsAuth, type ShadowedEntry } from './resolve.js';
export { RULES, type Rule, type RuleContext } from './rules.js';
export {
  DATA_KEYS,
  type AccountEntry,
  type DataKey,
  type KeyState,
  type ParsedAwsAuth,
  type Problem,
  type RejectedEntry,
  type RoleEntry,
  type Severity,
  type TypeMismatch,
  type UserEntry,
} from './types.js';
