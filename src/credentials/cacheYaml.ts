/**
 * The YAML layout of aws-iam-authenticator's credential cache file (0.7.18, written with Go's
 * yaml.v2), so both programs can share one file:
 *
 *   clusters:
 *     <cluster ID>:
 *       <profile>:
 *         <role ARN, "" without a role>:
 *           accesskeyid: …
 *           secretaccesskey: …
 *           sessiontoken: …
 *           source: …
 *           canexpire: true
 *           expires: 2026-12-04T19:31:00.123456789-08:00
 *           accountid: ""
 *
 * Reading follows yaml.v2 into Go structs: every scalar is read as text and converted per field
 * (YAML 1.1 booleans for `canexpire`), and unknown keys such as the legacy `credential:` are ignored.
 */
import { parse } from 'yaml';

export interface CachedCredential {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  /** Name of the provider the credentials came from. */
  readonly source: string;
  /** Whether `expires` applies; an entry that cannot expire is used until it is replaced. */
  readonly canExpire: boolean;
  /** Undefined for Go's zero time (`0001-01-01T00:00:00Z`). */
  readonly expires: Date | undefined;
  readonly accountId: string;
}

/** Entries by cluster ID, then profile, then role ARN. */
export type CacheEntries = Map<string, Map<string, Map<string, CachedCredential>>>;

export class CacheFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CacheFormatError';
  }
}

const GO_ZERO_TIME = '0001-01-01T00:00:00Z';

/** Parses the file content; an empty file has no entries. Throws CacheFormatError. */
export function parseCacheFile(text: string): CacheEntries {
  let document: unknown;
  try {
    // The failsafe schema keeps every scalar as a string, as yaml.v2 hands scalars to string fields.
    document = parse(text, { schema: 'failsafe', version: '1.1', uniqueKeys: false });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new CacheFormatError(`yaml: ${(message.split('\n')[0] ?? '').replace(/:$/, '')}`);
  }

  const entries: CacheEntries = new Map();
  if (isNull(document)) return entries;
  const clusters = mappingAt(document, 'the document').get('clusters');
  if (isNull(clusters)) return entries;

  for (const [clusterId, profiles] of mappingAt(clusters, 'clusters')) {
    const byProfile = new Map<string, Map<string, CachedCredential>>();
    for (const [profile, roles] of mappingAt(profiles, `clusters.${clusterId}`)) {
      const byRole = new Map<string, CachedCredential>();
      for (const [roleArn, credential] of mappingAt(roles, `clusters.${clusterId}.${profile}`)) {
        byRole.set(roleArn, readCredential(credential, `clusters.${clusterId}.${profile}.${roleArn}`));
      }
      byProfile.set(profile, byRole);
    }
    entries.set(clusterId, byProfile);
  }
  return entries;
}

/** Formats the entries as yaml.v2 would marshal them: keys sorted, two-space indent. */
export function formatCacheFile(entries: CacheEntries): string {
  if (entries.size === 0) return 'clusters: {}\n';
  const lines = ['clusters:'];
  for (const [clusterId, profiles] of sorted(entries)) {
    lines.push(`  ${yamlString(clusterId)}:${profiles.size === 0 ? ' {}' : ''}`);
    for (const [profile, roles] of sorted(profiles)) {
      lines.push(`    ${yamlString(profile)}:${roles.size === 0 ? ' {}' : ''}`);
      for (const [roleArn, credential] of sorted(roles)) {
        lines.push(`      ${yamlString(roleArn)}:`, ...credentialLines(credential).map((line) => `        ${line}`));
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

function credentialLines(credential: CachedCredential): string[] {
  return [
    `accesskeyid: ${yamlString(credential.accessKeyId)}`,
    `secretaccesskey: ${yamlString(credential.secretAccessKey)}`,
    `sessiontoken: ${yamlString(credential.sessionToken)}`,
    `source: ${yamlString(credential.source)}`,
    `canexpire: ${credential.canExpire}`,
    `expires: ${credential.expires === undefined ? GO_ZERO_TIME : formatRfc3339NanoLocal(credential.expires)}`,
    `accountid: ${yamlString(credential.accountId)}`,
  ];
}

function readCredential(node: unknown, where: string): CachedCredential {
  const fields = mappingAt(node, where);
  return {
    accessKeyId: stringField(fields, 'accesskeyid', where),
    secretAccessKey: stringField(fields, 'secretaccesskey', where),
    sessionToken: stringField(fields, 'sessiontoken', where),
    source: stringField(fields, 'source', where),
    canExpire: boolField(fields, 'canexpire', where),
    expires: timeField(fields, 'expires', where),
    accountId: stringField(fields, 'accountid', where),
  };
}

function mappingAt(node: unknown, where: string): Map<string, unknown> {
  if (isNull(node)) return new Map();
  if (typeof node !== 'object' || node === null || Array.isArray(node)) {
    throw new CacheFormatError(`yaml: ${where} is not a mapping`);
  }
  return new Map(Object.entries(node as Record<string, unknown>));
}

function stringField(fields: Map<string, unknown>, key: string, where: string): string {
  const value = fields.get(key);
  if (isNull(value)) return '';
  if (typeof value !== 'string') throw new CacheFormatError(`yaml: ${where}.${key} is not a string`);
  return value;
}

/** YAML 1.1 booleans, as yaml.v2 resolves them. */
const YAML11_TRUE = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']);
const YAML11_FALSE = new Set(['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']);

function boolField(fields: Map<string, unknown>, key: string, where: string): boolean {
  const value = fields.get(key);
  if (isNull(value)) return false;
  if (typeof value === 'string' && YAML11_TRUE.has(value)) return true;
  if (typeof value === 'string' && YAML11_FALSE.has(value)) return false;
  throw new CacheFormatError(`yaml: ${where}.${key} is not a boolean`);
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?\s*(Z|z|[+-]\d{2}:\d{2})$/;

function timeField(fields: Map<string, unknown>, key: string, where: string): Date | undefined {
  const value = fields.get(key);
  if (isNull(value) || value === GO_ZERO_TIME) return undefined;
  const date = typeof value === 'string' ? parseRfc3339(value) : undefined;
  if (date === undefined) throw new CacheFormatError(`yaml: ${where}.${key} is not an RFC 3339 time`);
  return date;
}

/** Parses an RFC 3339 time to millisecond precision; returns undefined when the text is not one. */
export function parseRfc3339(text: string): Date | undefined {
  const match = RFC3339.exec(text);
  if (match === null) return undefined;
  const [, year, month, day, hour, minute, second, fraction = '', zone = 'Z'] = match;
  const date = new Date(0);
  date.setUTCFullYear(Number(year), Number(month) - 1, Number(day));
  date.setUTCHours(Number(hour), Number(minute), Number(second), Number(fraction.padEnd(3, '0').slice(0, 3)));
  if (zone !== 'Z' && zone !== 'z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const offsetMinutes = Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6));
    date.setTime(date.getTime() - sign * offsetMinutes * 60 * 1000);
  }
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * Formats a time like Go's `time.RFC3339Nano` in the local zone: trailing zeros of the fraction
 * are dropped, and a zero offset is written `Z`.
 */
export function formatRfc3339NanoLocal(date: Date): string {
  const offsetMinutes = -date.getTimezoneOffset();
  const local = new Date(date.getTime() + offsetMinutes * 60 * 1000);
  const base = local.toISOString().slice(0, 19);
  const millis = local.getUTCMilliseconds();
  const fraction = millis === 0 ? '' : `.${String(millis).padStart(3, '0').replace(/0+$/, '')}`;
  if (offsetMinutes === 0) return `${base}${fraction}Z`;
  const sign = offsetMinutes < 0 ? '-' : '+';
  const absolute = Math.abs(offsetMinutes);
  const zone = `${sign}${pad2(Math.floor(absolute / 60))}:${pad2(absolute % 60)}`;
  return `${base}${fraction}${zone}`;
}

function pad2(value: number): string {
  return String(value).padStart(2, '0');
}

/** Words YAML 1.1 reads as booleans or null; such strings must be quoted to stay strings. */
const YAML11_WORDS = new Set([...YAML11_TRUE, ...YAML11_FALSE, 'null', 'Null', 'NULL', '~']);

/**
 * Writes a string plain when no YAML 1.1 or 1.2 reader could take it for another type, and
 * double-quoted otherwise (JSON string syntax is valid YAML). Plain strings start with a letter,
 * `_` or `/`, so they are never numbers or timestamps.
 */
function yamlString(value: string): string {
  const plain = /^[A-Za-z_/][A-Za-z0-9_\-./+=@:]*$/.test(value) && !value.endsWith(':') && !YAML11_WORDS.has(value);
  return plain ? value : JSON.stringify(value);
}

function isNull(value: unknown): boolean {
  return value === null || value === undefined || value === '' || value === '~' || value === 'null' || value === 'Null' || value === 'NULL';
}

/** Returns the entries in code-unit order of their keys (yaml.v2 sorts map keys when it marshals). */
function sorted<Value>(map: Map<string, Value>): Array<[string, Value]> {
  const byKey = ([a]: [string, Value], [b]: [string, Value]): number => {
    if (a === b) return 0;
    return a < b ? -1 : 1;
  };
  return [...map.entries()].sort(byKey);
}
