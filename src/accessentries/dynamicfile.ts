import type { PrincipalLookup } from './iam.js';
import type { AccessEntry } from './types.js';

/** One `mapRoles` or `mapUsers` item of the DynamicFile format. */
interface DynamicFileItem {
  readonly username: string;
  readonly groups: readonly string[];
  readonly userid?: string;
}

/** The access-entries JSON aws-iam-authenticator's DynamicFile backend (and `kubeiam serve`) reads. */
export interface DynamicFileDocument {
  readonly Version: string;
  /** Unix seconds as a string: the backend rejects a number. */
  readonly LastUpdatedDateTime: string;
  readonly ClusterId: string;
  readonly mapRoles: readonly (DynamicFileItem & { readonly rolearn: string })[];
  readonly mapUsers: readonly (DynamicFileItem & { readonly userarn: string })[];
  readonly mapAccounts: readonly string[];
}

/** A remark on the export: an entry left out, or the part of an entry the format cannot carry. */
export interface ExportNote {
  readonly principalArn: string;
  readonly message: string;
}

export interface ExportOptions {
  readonly clusterId: string;
  readonly now: Date;
  /** Looks up unique IDs for `userid`; without it the file is keyed by ARN only. */
  readonly lookup?: PrincipalLookup;
}

/**
 * Converts access entries to the DynamicFile format. With a lookup, each item carries the
 * principal's unique ID, so a server in user-ID-strict mode matches callers by ID as EKS does, and
 * role paths do not get in the way. Principals IAM no longer has are left out. Access policies have
 * no DynamicFile form, so they are reported as notes.
 */
export async function toDynamicFile(entries: readonly AccessEntry[], options: ExportOptions): Promise<{ document: DynamicFileDocument; notes: ExportNote[] }> {
  const roles: (DynamicFileItem & { rolearn: string })[] = [];
  const users: (DynamicFileItem & { userarn: string })[] = [];
  const notes: ExportNote[] = [];

  for (const entry of entries) {
    const id = await uniqueIdOf(entry, options.lookup);
    if (id === null) {
      notes.push({ principalArn: entry.principalArn, message: 'left out: IAM has no such principal (orphaned entry)' });
      continue;
    }
    const item = { username: entry.username, groups: [...entry.kubernetesGroups], ...(id === undefined ? {} : { userid: id }) };
    if (entry.principalArn.includes(':role/')) roles.push({ rolearn: entry.principalArn, ...item });
    else users.push({ userarn: entry.principalArn, ...item });
    if ((entry.policies ?? []).length > 0) {
      notes.push({ principalArn: entry.principalArn, message: 'access policies left out: the DynamicFile maps identities only, so bind RBAC to the entry instead' });
    }
  }

  const document: DynamicFileDocument = {
    Version: '1',
    LastUpdatedDateTime: String(Math.floor(options.now.getTime() / 1000)),
    ClusterId: options.clusterId,
    mapRoles: roles,
    mapUsers: users,
    mapAccounts: [],
  };
  return { document, notes };
}

/** Returns the unique ID, undefined without a lookup, or null when IAM has no such principal. */
async function uniqueIdOf(entry: AccessEntry, lookup: PrincipalLookup | undefined): Promise<string | undefined | null> {
  if (lookup === undefined) return entry.principalId;
  const found = await lookup(entry.principalArn);
  return found === undefined || found.arn !== entry.principalArn ? null : found.id;
}
