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

/** Where an entry came from, for explain and lint output. */
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
  /** Returns the explicit role or user mapping for the identity, or undefined when none matches. */
  map(identity: Identity): MatchedMapping | undefined;
  isAccountAllowed(accountId: string): boolean;
  /** Username prefixes this source may not produce (e.g. `system:`, `eks:`). Default: none. */
  readonly reservedPrefixes: readonly string[];
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

export type MapOutcome =
  | { readonly ok: true; readonly user: MappedUser }
  | { readonly ok: false; readonly error: string };
