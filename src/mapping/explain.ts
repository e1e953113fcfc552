import type { Identity } from '../arn/identity.js';
import { parseArn, parsePrincipal } from '../arn/index.js';
import { runChain, type ExplainStep, type MapOptions } from './chain.js';
import type { MapOutcome, MappingSource } from './types.js';

/** The ordered trace of how the chain treats an identity, its result, and the change that fixes a denial. */
export interface Explanation {
  readonly identity: Identity;
  readonly steps: readonly ExplainStep[];
  readonly outcome: MapOutcome;
  /** The status kubectl gets: 200 when the caller maps to a user, else 401 Unauthorized. */
  readonly httpStatus: 200 | 401;
  /** The first change to make for a denied caller. */
  readonly fix?: string;
  /** `kubeiam grant …` that maps the caller, for unmapped callers. */
  readonly grantCommand?: string;
}

/** Verdicts whose entry was meant for this caller; their username and groups seed the grant command. */
const NEAR_MISS_REASONS = new Set<ExplainStep['reason']>([
  'PATH_IN_CONFIGURED_ARN',
  'STS_ARN_CONFIGURED',
  'SSO_DISABLED',
  'WRONG_ACCOUNT',
  'ENTRY_INVALID',
]);

const SHELL_SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

function shellQuote(value: string): string {
  return SHELL_SAFE.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

function lastResourcePart(arn: string): string {
  return parseArn(arn).resource.split('/').at(-1) ?? '';
}

/**
 * Builds the `kubeiam grant` command that maps the caller: `user` for IAM users, root and federated
 * users, `role` for roles. Username and groups come from an entry that was meant for the caller, else
 * the username is the IAM name and no group is given (RBAC can bind the username directly).
 */
export function suggestGrantCommand(identity: Identity, steps: readonly ExplainStep[]): string {
  const type = parsePrincipal(identity.canonicalArn).type;
  const kind = type === 'ROLE' || type === 'ASSUMED_ROLE' ? 'role' : 'user';
  const nearMiss = steps.find((step) => NEAR_MISS_REASONS.has(step.reason) && step.entry !== undefined && step.entry.username !== '');
  const username = nearMiss?.entry?.username ?? lastResourcePart(identity.canonicalArn);
  const groups = nearMiss?.entry?.groups ?? [];
  const parts = ['kubeiam', 'grant', kind, identity.canonicalArn, '--username', shellQuote(username)];
  for (const group of groups) parts.push('--group', shellQuote(group));
  return parts.join(' ');
}

/** Phrasing of the first fix of a denial: after the step's message, after its entry, or the fix alone. */
export type FixSubject = 'message' | 'entry' | 'none';

/**
 * Finds the step whose fix comes first for a denied caller: a broken key, then a chain denial, then an
 * entry meant for the caller. Undefined means the grant command is the fix.
 */
export function findFixStep(steps: readonly ExplainStep[]): { step: ExplainStep; subject: FixSubject } | undefined {
  const broken = steps.find((step) => step.reason === 'ENTRY_IN_BROKEN_KEY');
  if (broken?.fix !== undefined) return { step: broken, subject: 'message' };
  const denial = steps.find((step) => step.kind === 'chain' && !step.matched && step.fix !== undefined);
  if (denial !== undefined) return { step: denial, subject: 'none' };
  const nearMiss = steps.find((step) => NEAR_MISS_REASONS.has(step.reason) && step.fix !== undefined);
  if (nearMiss !== undefined) return { step: nearMiss, subject: 'entry' };
  return undefined;
}

function primaryFix(steps: readonly ExplainStep[], grantCommand: string | undefined): string | undefined {
  const found = findFixStep(steps);
  if (found === undefined) return grantCommand;
  const { step, subject } = found;
  if (subject === 'message') return `${step.message}: ${step.fix}`;
  if (subject === 'entry') return `${describeStep(step)}: ${step.fix}`;
  return step.fix;
}

function describeStep(step: ExplainStep): string {
  const origin = step.origin;
  if (origin === undefined) return step.source;
  return `${origin.source} ${origin.key}[${origin.index}]${origin.line === undefined ? '' : ` (line ${origin.line})`}`;
}

/**
 * Explains how the chain maps an identity: every source's verdict on every entry it compared (matched,
 * or why not), every chain step, the result, and for a denied caller the fix. The result is the one
 * mapIdentity returns for the same arguments.
 */
export async function explainIdentity(identity: Identity, sources: readonly MappingSource[], options: MapOptions = {}): Promise<Explanation> {
  const steps: ExplainStep[] = [];
  const outcome = await runChain(identity, sources, options, (step) => steps.push(step));
  if (outcome.ok) return { identity, steps, outcome, httpStatus: 200 };

  const unmapped = outcome.code === 'NOT_MAPPED' || outcome.code === 'MAP_ERRORS';
  const grantCommand = unmapped ? suggestGrantCommand(identity, steps) : undefined;
  if (unmapped) {
    const message = `denied: ${outcome.error}; kubectl reports "You must be logged in to the server (Unauthorized)"`;
    steps.push({ source: 'chain', kind: 'chain', matched: false, reason: 'NOT_MAPPED', message, detail: { id: 'NOT_MAPPED', params: { error: outcome.error } } });
  }
  const fix = primaryFix(steps, grantCommand);
  return {
    identity,
    steps,
    outcome,
    httpStatus: 401,
    ...(fix === undefined ? {} : { fix }),
    ...(grantCommand === undefined ? {} : { grantCommand }),
  };
}
