import { parseArn, parsePrincipal, roleHasPath, stripPath, type Principal } from '../arn/index.js';
import { equalFold } from '../awsauth/gofold.js';
import type { ExplainReason } from './types.js';

/** The likely mistake in a configured ARN that was meant for the caller but does not match. */
export interface NearMiss {
  readonly reason: Extract<ExplainReason, 'PATH_IN_CONFIGURED_ARN' | 'STS_ARN_CONFIGURED' | 'WRONG_ACCOUNT' | 'ARN_DIFFERS'>;
  readonly detail: string;
  /** The ARN that would match, when the configured one is a fixable form of it. */
  readonly suggestedArn?: string;
  /** Template id and values of `detail`, for messages in other languages. */
  readonly detailId: 'ARN_NOT_PRINCIPAL' | NearMiss['reason'];
  readonly params: Readonly<Record<string, string>>;
}

function tryPrincipal(arn: string): Principal | undefined {
  try {
    return parsePrincipal(arn);
  } catch {
    return undefined;
  }
}

/** Returns the name that identifies a principal across accounts: roles without path, users with. */
function principalName(principal: Principal): string {
  const resource = parseArn(principal.canonicalArn).resource;
  return resource.startsWith('role/') ? `role/${resource.split('/').at(-1) ?? ''}` : resource;
}

/**
 * Explains why `configured` (an entry's ARN as written) does not equal `canonical` (the caller's
 * canonical ARN), naming the common mistakes: a role path, an STS assumed-role ARN, another account.
 * `canonicalizesAtLoad` is true for sources that canonicalise configured role ARNs (MountedFile), where
 * an assumed-role ARN is not a mistake.
 */
export function explainArnDifference(configured: string, canonical: string, canonicalizesAtLoad = false): NearMiss {
  const principal = tryPrincipal(configured);
  const caller = tryPrincipal(canonical);
  if (principal === undefined) {
    return {
      reason: 'ARN_DIFFERS',
      detail: `'${configured}' is not a valid IAM principal ARN, so it never matches`,
      detailId: 'ARN_NOT_PRINCIPAL',
      params: { configured },
    };
  }
  if (principal.type === 'ASSUMED_ROLE' && !canonicalizesAtLoad && equalFold(principal.canonicalArn, canonical)) {
    return {
      reason: 'STS_ARN_CONFIGURED',
      detail: `'${configured}' is an STS assumed-role (session) ARN; entries must name the role, ${principal.canonicalArn}`,
      suggestedArn: principal.canonicalArn,
      detailId: 'STS_ARN_CONFIGURED',
      params: { configured, suggested: principal.canonicalArn },
    };
  }
  if (principal.type === 'ROLE' && roleHasPath(configured) && equalFold(stripPath(configured), canonical)) {
    return {
      reason: 'PATH_IN_CONFIGURED_ARN',
      detail: `'${configured}' has a path, but STS reports assumed roles without it, so the caller is ${canonical}`,
      suggestedArn: stripPath(configured),
      detailId: 'PATH_IN_CONFIGURED_ARN',
      params: { configured, arn: canonical, suggested: stripPath(configured) },
    };
  }
  if (caller !== undefined && principal.accountId !== caller.accountId && equalFold(principalName(principal), principalName(caller))) {
    return {
      reason: 'WRONG_ACCOUNT',
      detail: `'${configured}' names the same ${principal.type === 'USER' ? 'user' : 'principal'} in account ${principal.accountId}, but the caller is in account ${caller.accountId}`,
      detailId: 'WRONG_ACCOUNT',
      params: { configured, principalType: principal.type === 'USER' ? 'user' : 'principal', account: principal.accountId, callerAccount: caller.accountId },
    };
  }
  return { reason: 'ARN_DIFFERS', detail: `'${configured}' is another principal`, detailId: 'ARN_DIFFERS', params: { configured } };
}
