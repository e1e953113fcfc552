import type { ArnErrorCode } from '../arn/arn.js';
import type { PrincipalWarning } from '../aws/iam.js';
import type { EditResult } from '../awsauth/edit.js';
import type { EditErrorCode } from '../awsauth/guards.js';
import type { Problem } from '../awsauth/types.js';
import type { KubeiamError } from '../errors.js';
import { hasAllParams, isMessageKey, type Lang, type MessageKey, type Translate } from '../i18n/catalog.js';

/*
 * Library code (src/arn, src/awsauth, the file store) raises errors and returns summaries in English
 * with a stable code. English output prints those texts as they are, because they carry the most
 * detail. Other languages render the catalogue entry of the code with values from the error's
 * `details`, and fall back to the English text when the code or one of the values is missing.
 */

/** Codes of the file store (src/cli/filestore.ts), which declares no union type for them. */
type FileStoreErrorCode = 'LOCK_TIMEOUT' | 'LOCK_FAILED' | 'FILE_READ_FAILED' | 'FILE_WRITE_FAILED' | 'BACKUP_FAILED';

/** Catalogue messages of library error codes; the type makes a new code of those unions a compile error here. */
const ERROR_KEYS: Readonly<Record<EditErrorCode | ArnErrorCode | FileStoreErrorCode, MessageKey>> = {
  ARN_INVALID: 'libError.ARN_INVALID',
  ARN_PARTITION: 'libError.ARN_PARTITION',
  ARN_SERVICE: 'libError.ARN_SERVICE',
  ARN_RESOURCE: 'libError.ARN_RESOURCE',
  ARN_ASSUMED_ROLE: 'libError.ARN_ASSUMED_ROLE',
  ARN_WRONG_KIND: 'libError.ARN_WRONG_KIND',
  ROLE_ARN_HAS_PATH: 'libError.ROLE_ARN_HAS_PATH',
  ASSUMED_ROLE_ARN: 'libError.ASSUMED_ROLE_ARN',
  USERNAME_MISSING: 'libError.USERNAME_MISSING',
  USERNAME_INVALID: 'libError.USERNAME_INVALID',
  TEMPLATE_INVALID: 'libError.TEMPLATE_INVALID',
  GROUP_INVALID: 'libError.GROUP_INVALID',
  ACCOUNT_ID_INVALID: 'libError.ACCOUNT_ID_INVALID',
  ENTRY_NOT_FOUND: 'libError.ENTRY_NOT_FOUND',
  EDIT_KEY_BROKEN: 'libError.EDIT_KEY_BROKEN',
  EDIT_DOCUMENT_INVALID: 'libError.EDIT_DOCUMENT_INVALID',
  EDIT_ENTRY_UNSUPPORTED: 'libError.EDIT_ENTRY_UNSUPPORTED',
  EDIT_MEANING_CHANGED: 'libError.EDIT_MEANING_CHANGED',
  LOCK_TIMEOUT: 'libError.LOCK_TIMEOUT',
  LOCK_FAILED: 'libError.LOCK_FAILED',
  FILE_READ_FAILED: 'libError.FILE_READ_FAILED',
  FILE_WRITE_FAILED: 'libError.FILE_WRITE_FAILED',
  BACKUP_FAILED: 'libError.BACKUP_FAILED',
};

/** Returns the catalogue key of a library error code, or undefined when the code has none. */
export function errorMessageKey(error: Pick<KubeiamError, 'code' | 'details'>): MessageKey | undefined {
  if (error.code === 'ENTRY_NOT_FOUND' && error.details.accountId !== undefined) return 'libError.ENTRY_NOT_FOUND.account';
  return Object.hasOwn(ERROR_KEYS, error.code) ? ERROR_KEYS[error.code as keyof typeof ERROR_KEYS] : undefined;
}

function stringParams(details: Readonly<Record<string, unknown>>): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(details)) {
    if (typeof value === 'string' || typeof value === 'number') params[name] = String(value);
  }
  return params;
}

/** Returns the message of a library error in the given language (see the header comment). */
export function describeLibraryError(error: KubeiamError, lang: Lang, t: Translate): string {
  const key = errorMessageKey(error);
  if (lang === 'en' || key === undefined) return error.message;

  const params = { ...stringParams(error.details), message: error.message };
  return hasAllParams(key, params) ? t(key, params) : error.message;
}

/** The change a grant or revoke requests, for the summary line. */
export interface EditRequest {
  readonly kind: 'user' | 'role' | 'account';
  readonly arn: string;
  readonly username?: string;
  readonly groups?: readonly string[];
}

function editSummaryKey(result: EditResult, request: EditRequest): MessageKey {
  if (request.kind === 'account') {
    if (result.action === 'removed') return 'edit.removed.mapAccounts';
    return result.action === 'unchanged' ? 'edit.unchanged.mapAccounts' : 'edit.added.mapAccounts';
  }

  const isRole = request.kind === 'role';
  if (result.action === 'added') return isRole ? 'edit.added.mapRoles' : 'edit.added.mapUsers';
  if (result.action === 'removed') return isRole ? 'edit.removed.mapRoles' : 'edit.removed.mapUsers';
  return result.action === 'updated' ? 'edit.updated' : 'edit.unchanged';
}

/** Returns the one-line summary of an edit in the given language; English keeps the library's line numbers. */
export function describeEdit(result: EditResult, request: EditRequest, lang: Lang, t: Translate): string {
  if (lang === 'en') return result.summary;
  const params = { arn: request.arn, username: request.username ?? '', groups: (request.groups ?? []).join(', ') };
  return t(editSummaryKey(result, request), params);
}

/** The parts of a lint problem its text output renders from. */
export type ProblemText = Pick<Problem, 'code' | 'message' | 'fix' | 'params' | 'terms' | 'variant'>;

/** Finds the catalogue template of a problem's message or fix: the variant's key first, then the code's. */
function problemKey(prefix: 'lintMessage' | 'lintFix', problem: ProblemText): MessageKey | undefined {
  const base = `${prefix}.${problem.code}`;
  const candidates = problem.variant === undefined ? [base] : [`${base}.${problem.variant}`, base];
  return candidates.find(isMessageKey);
}

/**
 * Renders a problem's message or fix from the catalogue with its values, the `lintTerm.*` phrases
 * of `terms` first. Returns undefined when the template or one of its values is missing.
 */
export function renderProblemPart(problem: ProblemText, part: 'message' | 'fix', t: Translate): string | undefined {
  const key = problemKey(part === 'message' ? 'lintMessage' : 'lintFix', problem);
  if (key === undefined || problem.params === undefined) return undefined;

  const params: Record<string, string | number> = { ...problem.params };
  for (const [name, id] of Object.entries(problem.terms ?? {})) {
    const termKey = `lintTerm.${id}`;
    if (!isMessageKey(termKey) || !hasAllParams(termKey, problem.params)) return undefined;
    params[name] = t(termKey, problem.params);
  }
  return hasAllParams(key, params) ? t(key, params) : undefined;
}

/**
 * Returns a lint finding's message in the given language. English prints the rule's own text, and
 * other languages render the catalogue template. A problem without values gets the translated title
 * of its code before the English text, and a test keeps every kubeiam rule off that path.
 */
export function describeProblem(problem: ProblemText, lang: Lang, t: Translate): string {
  if (lang === 'en') return problem.message;
  const rendered = renderProblemPart(problem, 'message', t);
  if (rendered !== undefined) return rendered;

  const key = `lintCode.${problem.code}`;
  return isMessageKey(key) ? t('lint.titled', { title: t(key), message: problem.message }) : problem.message;
}

/** Returns a lint finding's fix in the given language, or undefined when it has none. */
export function describeFix(problem: ProblemText, lang: Lang, t: Translate): string | undefined {
  if (problem.fix === undefined || lang === 'en') return problem.fix;
  return renderProblemPart(problem, 'fix', t) ?? problem.fix;
}

/** Returns a warning of `grant --check-iam` in the given language; one without a template stays English. */
export function describeIamWarning(warning: PrincipalWarning, lang: Lang, t: Translate): string {
  if (lang === 'en') return warning.message;
  const key = warning.variant === undefined ? `iamWarning.${warning.code}` : `iamWarning.${warning.code}.${warning.variant}`;
  return isMessageKey(key) && hasAllParams(key, warning.params) ? t(key, warning.params) : warning.message;
}

/** Returns the warnings of an edit in the given language, in order; a warning without values stays English. */
export function describeEditWarnings(result: Pick<EditResult, 'warnings' | 'warningDetails'>, lang: Lang, t: Translate): string[] {
  if (lang === 'en') return [...result.warnings];
  return result.warnings.map((message, index) => {
    const detail = result.warningDetails?.[index];
    if (detail === undefined) return message;
    const key = `editWarning.${detail.code}`;
    return isMessageKey(key) && hasAllParams(key, detail.params) ? t(key, detail.params) : message;
  });
}
