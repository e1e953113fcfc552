import { DATA_KEYS, parseAwsAuth, type DataKey, type ParsedAwsAuth, type Problem } from '../awsauth/index.js';
import { createAwsAuthSource } from '../mapping/index.js';
import type { SourceProblem } from './health.js';
import type { AwsAuthAdapter } from './webhook.js';

/** The entry list of ParsedAwsAuth that each data key fills. */
const ENTRY_FIELD = { mapRoles: 'roles', mapUsers: 'users', mapAccounts: 'accounts' } as const;

/**
 * Creates the parse and build functions for aws-auth files: kubeiam's aws-iam-authenticator-compatible
 * parser and EKSConfigMap lookup semantics. A key counts as broken when its text failed to parse.
 * Entries rejected one by one (e.g. a role without `rolearn`) are reported but do not break their key.
 */
export const awsAuthAdapter: AwsAuthAdapter<ParsedAwsAuth> = ({ name, reservedPrefixes, ssoRoleMatch }) => ({
  keys: DATA_KEYS,

  parse(text) {
    const parsed = parseAwsAuth(text, { sourceName: name });
    return {
      document: parsed,
      valid: parsed.valid,
      brokenKeys: DATA_KEYS.filter((key) => parsed.keys[key].status === 'broken'),
      problems: parsed.problems.filter((problem) => problem.severity === 'error').map(toSourceProblem),
    };
  },

  replaceKey(document, key, previous) {
    const dataKey = key as DataKey;
    const field = ENTRY_FIELD[dataKey];
    return {
      ...document,
      [field]: previous[field],
      keys: { ...document.keys, [dataKey]: previous.keys[dataKey] },
      rejected: [
        ...document.rejected.filter((entry) => entry.origin.key !== key),
        ...previous.rejected.filter((entry) => entry.origin.key === key),
      ],
      typeMismatches: [
        ...document.typeMismatches.filter((mismatch) => mismatch.key !== key),
        ...previous.typeMismatches.filter((mismatch) => mismatch.key === key),
      ],
    };
  },

  build: (document) => createAwsAuthSource(document, { name, reservedPrefixes, ssoRoleMatch }),
});

function toSourceProblem(problem: Problem): SourceProblem {
  const where = problem.line === undefined ? '' : ` (line ${problem.line})`;
  return { key: problem.key ?? 'document', message: `${problem.message}${where}` };
}
