import { parseDynamicFile } from '../mapping/sources/dynamicfile.js';
import { KubeiamError } from '../errors.js';
import { checkMode } from './rules.js';
import type { AccessEntry, AccessScope, AuthenticationMode, PolicyAssociation } from './types.js';

/** Access entries read from a file, and the authentication mode when the file records it. */
export interface AccessEntriesFile {
  readonly entries: readonly AccessEntry[];
  readonly authenticationMode?: AuthenticationMode;
}

function fail(source: string, message: string): never {
  throw new KubeiamError('ACCESS_ENTRIES_FILE_INVALID', `access entries file ${source} is invalid: ${message}`, { source });
}

/**
 * Reads access entries from either of two JSON formats: the DynamicFile file aws-iam-authenticator
 * reads (`mapRoles`/`mapUsers` with `userid`, which becomes the entry's principal ID), or the output
 * of `kubeiam entry list -o json` (`{authenticationMode, entries: [...]}`).
 */
export function parseAccessEntriesFile(text: string, source: string): AccessEntriesFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    fail(source, `not JSON (${(error as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(source, 'expected a JSON object');
  const record = value as Record<string, unknown>;
  return 'entries' in record ? parseKubeiamFormat(record, source) : parseDynamicFormat(text, source);
}

function parseDynamicFormat(text: string, source: string): AccessEntriesFile {
  const parsed = parseDynamicFile(text);
  if (!parsed.ok) fail(source, parsed.error);
  const { roles, users } = parsed.content;
  const entries: AccessEntry[] = [
    ...roles.map((role) => ({ principalArn: role.rolearn, type: 'STANDARD', username: role.username, kubernetesGroups: role.groups, ...(role.userid ? { principalId: role.userid } : {}) })),
    ...users.map((user) => ({ principalArn: user.userarn, type: 'STANDARD', username: user.username, kubernetesGroups: user.groups, ...(user.userid ? { principalId: user.userid } : {}) })),
  ];
  return { entries };
}

function stringField(record: Record<string, unknown>, field: string, where: string, source: string, fallback?: string): string {
  const value = record[field];
  if (typeof value === 'string') return value;
  if (value === undefined && fallback !== undefined) return fallback;
  return fail(source, `${where}.${field} must be a string`);
}

function stringList(value: unknown, where: string, source: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) fail(source, `${where} must be a list of strings`);
  return value as string[];
}

function optionalDate(value: unknown, where: string, source: string): { createdAt?: Date } {
  if (value === undefined) return {};
  const date = typeof value === 'string' ? new Date(value) : undefined;
  if (date === undefined || Number.isNaN(date.getTime())) fail(source, `${where} must be an ISO 8601 time`);
  return { createdAt: date };
}

function parsePolicies(value: unknown, where: string, source: string): PolicyAssociation[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail(source, `${where} must be a list`);
  return value.map((item: unknown, index) => {
    const at = `${where}[${index}]`;
    if (typeof item !== 'object' || item === null) fail(source, `${at} must be an object`);
    const record = item as Record<string, unknown>;
    const scope = record['accessScope'] as Record<string, unknown> | undefined;
    const type = scope?.['type'];
    if (type !== 'cluster' && type !== 'namespace') fail(source, `${at}.accessScope.type must be cluster or namespace`);
    const accessScope: AccessScope = { type, namespaces: stringList(scope?.['namespaces'], `${at}.accessScope.namespaces`, source) };
    return { policyArn: stringField(record, 'policyArn', at, source), accessScope };
  });
}

function parseKubeiamFormat(record: Record<string, unknown>, source: string): AccessEntriesFile {
  const list = record['entries'];
  if (!Array.isArray(list)) fail(source, 'entries must be a list');
  const entries = list.map((item: unknown, index): AccessEntry => {
    const where = `entries[${index}]`;
    if (typeof item !== 'object' || item === null) fail(source, `${where} must be an object`);
    const entry = item as Record<string, unknown>;
    const principalId = entry['principalId'];
    return {
      principalArn: stringField(entry, 'principalArn', where, source),
      type: stringField(entry, 'type', where, source, 'STANDARD'),
      username: stringField(entry, 'username', where, source, ''),
      kubernetesGroups: stringList(entry['kubernetesGroups'], `${where}.kubernetesGroups`, source),
      policies: parsePolicies(entry['policies'], `${where}.policies`, source),
      ...optionalDate(entry['createdAt'], `${where}.createdAt`, source),
      ...(typeof principalId === 'string' && principalId !== '' ? { principalId } : {}),
    };
  });
  const mode = record['authenticationMode'];
  if (mode === undefined) return { entries };
  if (typeof mode !== 'string' || checkMode(mode).length > 0) fail(source, `authenticationMode '${String(mode)}' is not CONFIG_MAP, API_AND_CONFIG_MAP or API`);
  return { entries, authenticationMode: mode as AuthenticationMode };
}
