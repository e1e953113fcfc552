import { KubeiamError } from '../errors.js';
import type { EntryProblem } from './types.js';

/** Rules that failed before any EKS call. `code` is the first problem's code; all of them are in `problems`. */
export class EntryRuleError extends KubeiamError {
  readonly problems: readonly EntryProblem[];

  constructor(problems: readonly EntryProblem[]) {
    const first = problems[0];
    super(`ENTRY_${first?.code ?? 'INVALID'}`, problems.map((item) => item.message).join('; '), { problems });
    this.name = 'EntryRuleError';
    this.problems = problems;
  }
}

/** Throws an EntryRuleError when any rule found a problem. */
export function assertNoProblems(problems: readonly EntryProblem[]): void {
  if (problems.length > 0) throw new EntryRuleError(problems);
}

/** An EKS call that failed: the AWS error name (ResourceNotFoundException…) and the operation. */
export class EksCallError extends KubeiamError {
  readonly awsCode: string;

  constructor(operation: string, target: string, awsCode: string, message: string, hint: string) {
    super('EKS_CALL_FAILED', `EKS ${operation} for ${target} failed: ${awsCode}: ${message}${hint === '' ? '' : `: ${hint}`}`, { operation, target, awsCode });
    this.name = 'EksCallError';
    this.awsCode = awsCode;
  }
}
