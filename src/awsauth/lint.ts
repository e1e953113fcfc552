import { parseAwsAuth } from './parse.js';
import { resolveAwsAuth } from './resolve.js';
import { canonicalArns, RULES } from './rules.js';
import type { ParsedAwsAuth, Problem } from './types.js';

export interface LintOptions {
  /** ARNs of the cluster creator (user, role or assumed role). Default: none. */
  readonly creators?: readonly string[];
  /** Role ARNs of node groups that must stay mapped. Default: none. */
  readonly nodeRoleHints?: readonly string[];
  /** Name for messages when `input` is text. Default: `aws-auth`. */
  readonly sourceName?: string;
}

export interface LintResult {
  readonly parsed: ParsedAwsAuth;
  /** Parse problems and rule findings, ordered by line. */
  readonly problems: readonly Problem[];
  readonly errorCount: number;
  readonly warningCount: number;
}

/**
 * Checks an aws-auth document for mistakes that lock callers out or mean something other than they
 * seem: the parse problems plus every rule in RULES. Findings are returned, never thrown (a property
 * test feeds it arbitrary text).
 */
export function lintAwsAuth(input: string | ParsedAwsAuth, options: LintOptions = {}): LintResult {
  const parsed = typeof input === 'string' ? parseAwsAuth(input, { sourceName: options.sourceName ?? 'aws-auth' }) : input;
  const context = {
    parsed,
    resolved: resolveAwsAuth(parsed),
    creators: canonicalArns(options.creators ?? []),
    nodeRoles: canonicalArns(options.nodeRoleHints ?? []),
  };
  const problems = [...parsed.problems, ...RULES.flatMap((rule) => rule(context))].sort(
    (left, right) => (left.line ?? 0) - (right.line ?? 0),
  );
  return {
    parsed,
    problems,
    errorCount: problems.filter((problem) => problem.severity === 'error').length,
    warningCount: problems.filter((problem) => problem.severity === 'warning').length,
  };
}
