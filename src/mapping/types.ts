import type { Identity } from '../arn/identity.js';

/** An IAM Identity Center (SSO) permission-set reference in a role mapping. */
export interface SsoReference {
  readonly permissionSetName: string;
  readonly accountID: string;
  /** '' means the commercial `aws` partition. */
  readonly partition: string;
}

/** One `mapRoles` entry. Exactly one of `rolearn` and `sso` is set. */
export interface RoleMapping {
  readonly rolearn: string;
  readonly sso?: SsoReference;
  readonly username: string;
  readonly groups: readonly string[];
  readonly userid?: string;
}

/** One `mapUsers` entry. */
export interface UserMapping {
  readonly userarn: string;
  readonly username: string;
  readonly groups: readonly string[];
  readonly userid?: string;
}

/** Source, key, position and line of an entry, for explain and lint output. */
export interface EntryOrigin {
  /** Source name, e.g. `aws-auth.yaml` or `kube-system/aws-auth`. */
  readonly source: string;
  /** `mapRoles`, `mapUsers`, `mapAccounts` or `bootstrap`. */
  readonly key: string;
  /** 0-based position in the key's list. */
  readonly index: number;
  /** 1-based line in the source text, when known. */
  readonly line?: number;
}

/** A mapping that matched an identity, before templates are rendered. */
export interface MatchedMapping {
  readonly kind: 'role' | 'user' | 'account' | 'bootstrap';
  readonly username: string;
  readonly groups: readonly string[];
  readonly origin?: EntryOrigin;
}

/**
 * One backend in the mapping chain (aws-auth file, mounted config, dynamic file, cluster ConfigMap,
 * bootstrap admins). Lookups are synchronous; sources that watch something keep their own snapshot.
 */
export interface MappingSource {
  readonly name: string;
  /**
   * Returns the explicit role or user mapping for the identity, or undefined when none matches.
   * Throws for a failure other than "not mapped" (e.g. a strict user-id mismatch); the chain records
   * the error as `mapper <name> Map error: …` and goes on to the account allow-list and the next source.
   */
  map(identity: Identity): MatchedMapping | undefined;
  isAccountAllowed(accountId: string): boolean;
  /** False for sources without a mapAccounts list (bootstrap admins), so explain skips that step. Default: true. */
  readonly hasAccountList?: boolean;
  /** Username prefixes this source may not produce (e.g. `system:`, `eks:`). Default: none. */
  readonly reservedPrefixes: readonly string[];
  /** Compares the identity with every entry of the source, for `kubeiam explain`. Optional. */
  explain?(identity: Identity): readonly EntryVerdict[];
}

/** Reason codes of `kubeiam explain`: why an entry or a chain step decided the mapping or not. */
export type ExplainReason =
  | 'MATCHED'
  | 'SSO_MATCHED'
  | 'CASE_ONLY_DIFFERENCE'
  | 'ARN_DIFFERS'
  | 'PATH_IN_CONFIGURED_ARN'
  | 'STS_ARN_CONFIGURED'
  | 'WRONG_ACCOUNT'
  | 'ENTRY_IN_BROKEN_KEY'
  | 'ENTRY_INVALID'
  | 'SHADOWED'
  | 'OUTRANKED'
  | 'SSO_DISABLED'
  | 'USER_ID_MISMATCH'
  | 'BOOTSTRAP_ADMIN'
  | 'TEMPLATE_ERROR'
  | 'RESERVED_PREFIX'
  | 'MAP_ERROR'
  | 'ACCOUNT_ALLOWED'
  | 'ACCOUNT_NOT_LISTED'
  | 'ACCEPTED'
  | 'NOT_MAPPED'
  /** The cluster's authentication mode does not read this source (aws-auth under API, access entries under CONFIG_MAP). */
  | 'AUTH_MODE_EXCLUDES';

/** The result of comparing an identity with one entry (or one step of the chain). */
export interface EntryVerdict {
  readonly kind: 'role' | 'user' | 'account' | 'bootstrap' | 'key' | 'chain';
  readonly matched: boolean;
  readonly reason: ExplainReason;
  /** One sentence naming the entry, the values compared and the consequence. */
  readonly message: string;
  readonly origin?: EntryOrigin;
  /** A concrete change that would make the entry match, when there is one. */
  readonly fix?: string;
  /** Username and groups of the entry, reused when kubeiam suggests a grant command. */
  readonly entry?: { readonly username: string; readonly groups: readonly string[] };
  /** `message` and `fix` as a template id and its values, so the CLI can render them in any language. */
  readonly detail?: VerdictDetail;
}

/**
 * Message templates of explain verdicts. Usually the reason code itself; a reason with several
 * sentence forms gets one id per form (e.g. `SSO_PATTERN_DIFFERS` for an `ARN_DIFFERS` SSO entry).
 */
export type VerdictMessageId =
  | 'MATCHED'
  | 'SSO_MATCHED'
  | 'CASE_ONLY_DIFFERENCE'
  | 'ARN_DIFFERS'
  | 'PATH_IN_CONFIGURED_ARN'
  | 'STS_ARN_CONFIGURED'
  | 'WRONG_ACCOUNT'
  | 'ENTRY_INVALID'
  | 'SHADOWED'
  | 'OUTRANKED'
  | 'SSO_DISABLED'
  | 'BOOTSTRAP_ADMIN'
  | 'TEMPLATE_ERROR'
  | 'RESERVED_PREFIX'
  | 'MAP_ERROR'
  | 'ACCOUNT_ALLOWED'
  | 'ACCOUNT_NOT_LISTED'
  | 'ACCEPTED'
  | 'NOT_MAPPED'
  | 'SSO_PATTERN_DIFFERS'
  | 'ARN_NOT_PRINCIPAL'
  | 'NOT_CREATOR'
  | 'KEY_BROKEN'
  | 'DOCUMENT_INVALID';

/**
 * The values of a verdict's message. Entries are named by `entry` (`mapRoles[2]`) and `entryLine`,
 * the entry that wins by `winner` and `winnerLine`; other names follow the message's wording.
 */
export interface VerdictDetail {
  readonly id: VerdictMessageId;
  readonly params: Readonly<Record<string, string>>;
}

/** Looks up the private DNS name of an EC2 instance, for `{{EC2PrivateDNSName}}`. */
export type PrivateDnsLookup = (instanceId: string) => Promise<string>;

/** The Kubernetes user an identity maps to. */
export interface MappedUser {
  readonly username: string;
  readonly groups: readonly string[];
  /** Name of the source that decided. */
  readonly source: string;
  readonly kind: MatchedMapping['kind'];
  readonly origin?: EntryOrigin;
}

/** Reason codes of a denial by the chain. */
export type MapErrorCode = 'NOT_MAPPED' | 'RENDER_ERROR' | 'RESERVED_PREFIX' | 'MAP_ERRORS';

export type MapOutcome =
  | { readonly ok: true; readonly user: MappedUser }
  | { readonly ok: false; readonly error: string; readonly code?: MapErrorCode };
