import {
  DEFAULT_SESSION_DURATION_SECONDS,
  EXTERNAL_ID_LENGTH,
  EXTERNAL_ID_PATTERN,
  MAX_SESSION_DURATION_SECONDS,
  MIN_SESSION_DURATION_SECONDS,
  ROLE_CHAINING_MAX_SECONDS,
  ROLE_SESSION_NAME_LENGTH,
  ROLE_SESSION_NAME_PATTERN,
  STS_VERSION,
} from './constants.js';
import type { ParameterList } from './encoding.js';
import {
  StsError,
  accessDenied,
  constraintErrors,
  invalidAction,
  invalidParameterValue,
  validationError,
} from './errors.js';
import type { CallerIdentity, IamRegistry, RoleSession } from './registry.js';

export interface ActionContext {
  readonly registry: IamRegistry;
  /** The identity whose verified signature the request carries. */
  readonly caller: CallerIdentity;
  readonly now: Date;
}

export type ActionResult =
  | { readonly action: 'GetCallerIdentity'; readonly caller: CallerIdentity }
  | { readonly action: 'AssumeRole'; readonly session: RoleSession };

/** AssumeRole parameters the emulator does not implement; it rejects them rather than ignore a policy. */
const UNSUPPORTED_ASSUME_ROLE_PARAMETERS = [
  'Policy',
  'PolicyArns.',
  'Tags.',
  'TransitiveTagKeys.',
  'SerialNumber',
  'TokenCode',
  'SourceIdentity',
  'ProvidedContexts.',
];

/** Names of the SigV4 query parameters, which carry authentication and are no action input. */
const AUTH_PARAMETER_PREFIX = 'X-Amz-';

/**
 * Collects the Query API parameters of a request (query string, then form body) into a map.
 * A name given twice raises InvalidParameterValue, because STS would have to guess which one counts.
 */
export function collectParameters(...lists: ParameterList[]): Map<string, string> {
  const parameters = new Map<string, string>();
  for (const [name, value] of lists.flat()) {
    if (name.startsWith(AUTH_PARAMETER_PREFIX)) continue;
    if (parameters.has(name)) throw invalidParameterValue(`The parameter ${name} appears more than once.`);
    parameters.set(name, value);
  }
  return parameters;
}

/** Runs the action a request names, as its verified caller. Throws StsError for every rejection. */
export function runAction(parameters: ReadonlyMap<string, string>, context: ActionContext): ActionResult {
  const action = parameters.get('Action');
  if (action === undefined || action === '') {
    throw new StsError('MissingAction', 400, 'The request must contain the parameter Action.');
  }
  const version = parameters.get('Version') ?? 'NO_VERSION_SPECIFIED';
  if (version !== STS_VERSION) throw invalidAction(action, version);

  if (action === 'GetCallerIdentity') return { action, caller: context.caller };
  if (action === 'AssumeRole') return { action, session: assumeRole(parameters, context) };
  throw invalidAction(action, version);
}

interface AssumeRoleInput {
  readonly roleArn: string;
  readonly sessionName: string;
  readonly durationSeconds: number;
  readonly externalId: string | undefined;
}

function assumeRole(parameters: ReadonlyMap<string, string>, context: ActionContext): RoleSession {
  const input = parseAssumeRole(parameters);
  const { registry, caller, now } = context;

  const role = registry.findRole(input.roleArn);
  const externalIdMatches = role?.externalId === undefined || role.externalId === input.externalId;
  if (role === undefined || !registry.trusts(role, caller) || !externalIdMatches) {
    throw accessDenied(caller.arn, 'sts:AssumeRole', input.roleArn);
  }

  if (caller.isRoleSession && input.durationSeconds > ROLE_CHAINING_MAX_SECONDS) {
    throw validationError(
      'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
    );
  }
  if (input.durationSeconds > role.maxSessionDurationSeconds) {
    throw validationError('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  }
  return registry.issueRoleSession({ role, sessionName: input.sessionName, durationSeconds: input.durationSeconds, now });
}

/** Validates the AssumeRole parameters and reports every violated constraint at once, as STS does. */
function parseAssumeRole(parameters: ReadonlyMap<string, string>): AssumeRoleInput {
  const unsupported = [...parameters.keys()].find((name) =>
    UNSUPPORTED_ASSUME_ROLE_PARAMETERS.some((prefix) => name === prefix || (prefix.endsWith('.') && name.startsWith(prefix))),
  );
  if (unsupported !== undefined) {
    throw invalidParameterValue(`The STS emulator does not support the AssumeRole parameter ${unsupported}.`);
  }

  const roleArn = parameters.get('RoleArn');
  const sessionName = parameters.get('RoleSessionName');
  const duration = parameters.get('DurationSeconds');
  const externalId = parameters.get('ExternalId');
  const violations = [
    ...checkString('roleArn', roleArn, { min: 20, max: 2048 }),
    ...checkString('roleSessionName', sessionName, {
      ...ROLE_SESSION_NAME_LENGTH,
      pattern: ROLE_SESSION_NAME_PATTERN,
      patternText: '[\\w+=,.@-]*',
    }),
    ...checkDuration(duration),
    ...(externalId === undefined
      ? []
      : checkString('externalId', externalId, {
          ...EXTERNAL_ID_LENGTH,
          pattern: EXTERNAL_ID_PATTERN,
          patternText: '[\\w+=,.@:\\/-]*',
        })),
  ];
  if (violations.length > 0) throw constraintErrors(violations);

  return {
    roleArn: roleArn ?? '',
    sessionName: sessionName ?? '',
    durationSeconds: duration === undefined ? DEFAULT_SESSION_DURATION_SECONDS : Number(duration),
    externalId,
  };
}

interface StringConstraint {
  readonly min: number;
  readonly max: number;
  readonly pattern?: RegExp;
  readonly patternText?: string;
}

function checkString(member: string, value: string | undefined, constraint: StringConstraint): string[] {
  if (value === undefined) return [`Value null at '${member}' failed to satisfy constraint: Member must not be null`];

  const prefix = `Value '${value}' at '${member}' failed to satisfy constraint:`;
  const violations: string[] = [];
  if (value.length < constraint.min) {
    violations.push(`${prefix} Member must have length greater than or equal to ${constraint.min}`);
  }
  if (value.length > constraint.max) {
    violations.push(`${prefix} Member must have length less than or equal to ${constraint.max}`);
  }
  if (constraint.pattern !== undefined && !constraint.pattern.test(value) && value.length <= constraint.max) {
    violations.push(`${prefix} Member must satisfy regular expression pattern: ${constraint.patternText ?? ''}`);
  }
  return violations;
}

function checkDuration(value: string | undefined): string[] {
  if (value === undefined) return [];
  const prefix = `Value '${value}' at 'durationSeconds' failed to satisfy constraint:`;
  if (!/^\d{1,9}$/.test(value)) return [`${prefix} Member must be an integer`];

  const seconds = Number(value);
  if (seconds < MIN_SESSION_DURATION_SECONDS) {
    return [`${prefix} Member must have value greater than or equal to ${MIN_SESSION_DURATION_SECONDS}`];
  }
  if (seconds > MAX_SESSION_DURATION_SECONDS) {
    return [`${prefix} Member must have value less than or equal to ${MAX_SESSION_DURATION_SECONDS}`];
  }
  return [];
}
