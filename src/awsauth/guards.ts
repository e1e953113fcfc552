import { parseArn, parsePrincipal, stripPath, type Principal } from '../arn/index.js';
import { KubeiamError } from '../errors.js';
import { TEMPLATE_PLACEHOLDERS } from '../mapping/templates.js';

/** Codes of the errors an edit is rejected with. */
export type EditErrorCode =
  | 'EDIT_DOCUMENT_INVALID'
  | 'EDIT_KEY_BROKEN'
  | 'EDIT_ENTRY_UNSUPPORTED'
  | 'EDIT_MEANING_CHANGED'
  | 'ARN_INVALID'
  | 'ARN_WRONG_KIND'
  | 'ROLE_ARN_HAS_PATH'
  | 'ASSUMED_ROLE_ARN'
  | 'USERNAME_MISSING'
  | 'USERNAME_INVALID'
  | 'TEMPLATE_INVALID'
  | 'GROUP_INVALID'
  | 'ACCOUNT_ID_INVALID'
  | 'ENTRY_NOT_FOUND';

export function editError(code: EditErrorCode, message: string, details: Record<string, unknown> = {}): KubeiamError {
  return new KubeiamError(code, message, details);
}

/** IAM user, role and path names: letters, digits and `+=,.@_-`, as the IAM API allows. */
const IAM_NAME = /^[\w+=,.@-]{1,64}$/;
const ACCOUNT_ID = /^\d{12}$/;

function principalOf(arn: string): Principal {
  let principal: Principal;
  try {
    principal = parsePrincipal(arn);
  } catch (error) {
    throw invalidArn(arn, (error as Error).message);
  }
  const problem = shapeProblem(principal);
  if (problem !== undefined) throw invalidArn(arn, problem);
  return principal;
}

function invalidArn(arn: string, reason: string): KubeiamError {
  return editError('ARN_INVALID', `'${arn}' is not a valid IAM principal ARN: ${reason}; use the ARN that \`aws sts get-caller-identity\` prints`, { arn });
}

/**
 * Finds what makes a parsed principal ARN impossible in AWS: an account ID that is not 12 digits,
 * or a user, role or path name with characters IAM rejects (spaces, `*`, non-ASCII letters) or of
 * the wrong length. Such an entry could never match a caller.
 */
export function shapeProblem(principal: Principal): string | undefined {
  const issue = shapeIssue(principal);
  if (issue === undefined) return undefined;
  if (issue.kind === 'account') return `account ID '${principal.accountId}' is not 12 digits`;
  return `name '${issue.name}' must be 1 to 64 of the characters A-Z a-z 0-9 + = , . @ _ -`;
}

/** Finds the part of a principal ARN that shapeProblem rejects: the account ID, or the first bad name. */
export function shapeIssue(principal: Principal): { kind: 'account' } | { kind: 'name'; name: string } | undefined {
  if (!ACCOUNT_ID.test(principal.accountId)) return { kind: 'account' };
  if (principal.type === 'ROOT') return undefined;

  const names = parseArn(principal.arn).resource.split('/').slice(1);
  if (principal.type === 'ASSUMED_ROLE') names.pop();
  const bad = names.find((name) => !IAM_NAME.test(name));
  return bad === undefined ? undefined : { kind: 'name', name: bad };
}

/**
 * Checks a role ARN for mapRoles: a role ARN without path. An STS session ARN or a path would never
 * match, because callers are compared by the path-less role ARN.
 */
export function checkRoleArn(arn: string): void {
  const principal = principalOf(arn);
  if (principal.type === 'ASSUMED_ROLE') {
    throw editError('ASSUMED_ROLE_ARN', `'${arn}' is an STS assumed-role (session) ARN; map the role instead: ${principal.canonicalArn}`, { arn, fix: principal.canonicalArn });
  }
  if (principal.type !== 'ROLE') {
    throw editError('ARN_WRONG_KIND', `'${arn}' is not a role ARN; map users with \`kubeiam grant user ${arn}\``, { arn });
  }
  const stripped = stripPath(arn);
  if (stripped !== arn) {
    throw editError('ROLE_ARN_HAS_PATH', `role ARN '${arn}' has a path, but STS reports assumed roles without it, so the entry would never match; use ${stripped}`, { arn, fix: stripped });
  }
}

/** Checks a user ARN for mapUsers: an IAM user, root or federated user. */
export function checkUserArn(arn: string): void {
  const principal = principalOf(arn);
  if (principal.type === 'ROLE' || principal.type === 'ASSUMED_ROLE') {
    throw editError('ARN_WRONG_KIND', `'${arn}' is a role ARN; map roles with \`kubeiam grant role ${principal.canonicalArn}\``, { arn });
  }
}

const SESSION_PLACEHOLDERS = new Set(['{{EC2PrivateDNSName}}', '{{SessionName}}', '{{SessionNameRaw}}']);

/**
 * Checks the placeholders of a username or group: only known ones, balanced braces, and no session
 * placeholder for IAM users (they have no session, so it would render empty).
 */
export function checkTemplate(value: string, fieldName: string, forUsers: boolean): void {
  const placeholders = value.match(/\{\{[^{}]*\}\}/g) ?? [];
  const rest = value.replace(/\{\{[^{}]*\}\}/g, '');
  if (rest.includes('{{') || rest.includes('}}')) {
    throw editError('TEMPLATE_INVALID', `${fieldName} '${value}' has unbalanced template braces; write placeholders as {{SessionName}}`, { value });
  }
  for (const placeholder of placeholders) {
    if (!(TEMPLATE_PLACEHOLDERS as readonly string[]).includes(placeholder)) {
      throw editError('TEMPLATE_INVALID', `${fieldName} '${value}' uses the unknown placeholder ${placeholder}, which would stay as written; use one of ${TEMPLATE_PLACEHOLDERS.join(', ')}`, { value });
    }
    if (forUsers && SESSION_PLACEHOLDERS.has(placeholder)) {
      throw editError('TEMPLATE_INVALID', `${fieldName} '${value}' uses ${placeholder}, which renders empty for IAM users because they have no session; use a fixed name`, { value });
    }
  }
}

/** Checks username and groups of a grant. */
export function checkMapping(username: string, groups: readonly string[], forUsers: boolean): void {
  if (username.trim() === '') throw editError('USERNAME_MISSING', 'a username is required; pass --username');
  if (/[\n\r]/.test(username)) throw editError('USERNAME_INVALID', `username '${username}' spans lines; pass a single-line username`);
  checkTemplate(username, 'username', forUsers);
  for (const group of groups) {
    if (group.trim() === '' || /[\n\r]/.test(group)) throw editError('GROUP_INVALID', `group '${group}' is empty or spans lines; pass one group name per --group`, { group });
    checkTemplate(group, 'group', forUsers);
  }
}

export function checkAccountId(accountId: string): void {
  if (!/^[0-9]{12}$/.test(accountId)) {
    throw editError('ACCOUNT_ID_INVALID', `'${accountId}' is not an AWS account ID: write its 12 digits, leading zeros included`, { accountId });
  }
}
