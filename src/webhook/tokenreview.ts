import { foldName } from '../sts/goDecode.js';
import { goJsonString } from '../token/execCredential.js';
import { GoJsonSyntaxError, readFirstJsonValue, type JsonNode } from './gojson.js';

/**
 * TokenReview requests and responses as aws-iam-authenticator reads and writes them: the request is
 * decoded with Go's encoding/json into the `authentication.k8s.io/v1beta1` TokenReview struct, and
 * the responses are that struct encoded by Go.
 */

/** The part of a TokenReview request the webhook uses. */
export interface TokenReviewRequest {
  /** `spec.token`; '' when absent or null, which the verifier rejects as a malformed token. */
  readonly token: string;
}

export type TokenReviewDecodeResult =
  | { readonly ok: true; readonly review: TokenReviewRequest }
  | { readonly ok: false; readonly reason: string };

/** A Go type of the TokenReview struct tree, enough to reproduce Go's type errors. */
type GoType =
  | { readonly kind: 'string' | 'bool' | 'int64' | 'time' | 'rawJson'; readonly name: string }
  | { readonly kind: 'slice' | 'map' | 'pointer'; readonly name: string; readonly elem: GoType }
  | GoStruct;

interface GoStruct {
  readonly kind: 'struct';
  readonly name: string;
  readonly fields: ReadonlyMap<string, GoType>;
  /** Field names by their folded form; on a collision the first declared field wins, as in Go. */
  readonly foldedNames: ReadonlyMap<string, string>;
}

const STRING: GoType = { kind: 'string', name: 'string' };
const BOOL: GoType = { kind: 'bool', name: 'bool' };
const INT64: GoType = { kind: 'int64', name: 'int64' };
const TIME: GoType = { kind: 'time', name: 'v1.Time' };
const FIELDS_V1: GoType = { kind: 'rawJson', name: 'v1.FieldsV1' };

function sliceOf(elem: GoType): GoType {
  return { kind: 'slice', name: `[]${elem.name}`, elem };
}

function mapOf(elem: GoType): GoType {
  return { kind: 'map', name: `map[string]${elem.name}`, elem };
}

function pointerTo(elem: GoType): GoType {
  return { kind: 'pointer', name: `*${elem.name}`, elem };
}

function struct(name: string, fields: Record<string, GoType>): GoStruct {
  const foldedNames = new Map<string, string>();
  for (const field of Object.keys(fields)) {
    const folded = foldName(field);
    if (!foldedNames.has(folded)) {
      foldedNames.set(folded, field);
    }
  }
  return { kind: 'struct', name, fields: new Map(Object.entries(fields)), foldedNames };
}

const OWNER_REFERENCE = struct('v1.OwnerReference', {
  apiVersion: STRING,
  kind: STRING,
  name: STRING,
  uid: STRING,
  controller: pointerTo(BOOL),
  blockOwnerDeletion: pointerTo(BOOL),
});

const MANAGED_FIELDS_ENTRY = struct('v1.ManagedFieldsEntry', {
  manager: STRING,
  operation: STRING,
  apiVersion: STRING,
  time: pointerTo(TIME),
  fieldsType: STRING,
  fieldsV1: pointerTo(FIELDS_V1),
  subresource: STRING,
});

const OBJECT_META = struct('v1.ObjectMeta', {
  name: STRING,
  generateName: STRING,
  namespace: STRING,
  selfLink: STRING,
  uid: STRING,
  resourceVersion: STRING,
  generation: INT64,
  creationTimestamp: TIME,
  deletionTimestamp: pointerTo(TIME),
  deletionGracePeriodSeconds: pointerTo(INT64),
  labels: mapOf(STRING),
  annotations: mapOf(STRING),
  ownerReferences: sliceOf(OWNER_REFERENCE),
  finalizers: sliceOf(STRING),
  managedFields: sliceOf(MANAGED_FIELDS_ENTRY),
});

const USER_INFO = struct('v1beta1.UserInfo', {
  username: STRING,
  uid: STRING,
  groups: sliceOf(STRING),
  extra: mapOf({ kind: 'slice', name: 'v1beta1.ExtraValue', elem: STRING }),
});

/** `authentication.k8s.io/v1beta1` TokenReview with its embedded TypeMeta fields promoted. */
const TOKEN_REVIEW = struct('v1beta1.TokenReview', {
  kind: STRING,
  apiVersion: STRING,
  metadata: OBJECT_META,
  spec: struct('v1beta1.TokenReviewSpec', { token: STRING, audiences: sliceOf(STRING) }),
  status: struct('v1beta1.TokenReviewStatus', {
    authenticated: BOOL,
    user: USER_INFO,
    audiences: sliceOf(STRING),
    error: STRING,
  }),
});

class GoDecodeError extends Error {}

/**
 * Decodes a request body like `json.NewDecoder(body).Decode(&tokenReview)`: only the first JSON
 * value counts, keys match field names case-insensitively, unknown keys are ignored, a type error
 * anywhere in the TokenReview struct fails the decode, and `null` leaves a field unchanged. The
 * apiVersion and kind are not checked, so v1 and v1beta1 requests both decode.
 */
export function decodeTokenReview(body: Uint8Array): TokenReviewDecodeResult {
  let root: JsonNode;
  try {
    root = readFirstJsonValue(body);
  } catch (error) {
    if (error instanceof GoJsonSyntaxError) {
      return { ok: false, reason: error.message };
    }
    throw error;
  }

  try {
    const review = decodeValue(root, TOKEN_REVIEW, undefined, '');
    return { ok: true, review: { token: readToken(review) } };
  } catch (error) {
    if (error instanceof GoDecodeError) {
      return { ok: false, reason: error.message };
    }
    throw error;
  }
}

/** A decoded Go value: a record (struct), Map, array, string, boolean, bigint, JsonNode or nil. */
type Decoded = unknown;

function readToken(review: Decoded): string {
  const spec = (review as Record<string, unknown> | undefined)?.['spec'] as Record<string, unknown> | undefined;
  const token = spec?.['token'];
  return typeof token === 'string' ? token : '';
}

/**
 * Decodes `node` into a value of `type`, starting from `current` as Go decodes into an existing
 * value: structs merge, array elements decode into the existing elements, and `null` changes only
 * maps, slices and pointers (to nil). `path` is the dotted JSON field path for error messages.
 */
function decodeValue(node: JsonNode, type: GoType, current: Decoded, path: string): Decoded {
  if (node.kind === 'null') {
    const nilable = type.kind === 'slice' || type.kind === 'map' || type.kind === 'pointer';
    return nilable ? null : current;
  }

  switch (type.kind) {
    case 'struct':
      return decodeStruct(node, type, current, path);
    case 'slice':
      return decodeSlice(node, type, current, path);
    case 'map':
      return decodeMap(node, type, path);
    case 'pointer':
      return decodeValue(node, type.elem, current ?? undefined, path);
    case 'rawJson':
      return node;
    case 'time':
      return decodeTime(node, path);
    default:
      return decodeScalar(node, type, path);
  }
}

function decodeStruct(node: JsonNode, type: GoStruct, current: Decoded, path: string): Decoded {
  if (node.kind !== 'object') {
    throw typeError(node, type, path);
  }
  const fields: Record<string, unknown> = { ...((current as Record<string, unknown> | undefined) ?? {}) };

  for (const [key, value] of node.entries) {
    const name = type.fields.has(key) ? key : type.foldedNames.get(foldName(key));
    const fieldType = name === undefined ? undefined : type.fields.get(name);
    if (name === undefined || fieldType === undefined) {
      continue;
    }
    const fieldPath = path === '' ? name : `${path}.${name}`;
    fields[name] = decodeValue(value, fieldType, fields[name], fieldPath);
  }
  return fields;
}

function decodeSlice(node: JsonNode, type: GoType & { elem: GoType }, current: Decoded, path: string): Decoded {
  if (node.kind !== 'array') {
    throw typeError(node, type, path);
  }
  const existing: unknown[] = Array.isArray(current) ? current : [];
  return node.items.map((item, i) => decodeValue(item, type.elem, existing[i], path));
}

/** Go decodes each map value into a fresh zero value and never folds map keys. */
function decodeMap(node: JsonNode, type: GoType & { elem: GoType }, path: string): Decoded {
  if (node.kind !== 'object') {
    throw typeError(node, type, path);
  }
  const entries = new Map<string, unknown>();
  for (const [key, value] of node.entries) {
    entries.set(key, decodeValue(value, type.elem, undefined, path));
  }
  return entries;
}

function decodeScalar(node: JsonNode, type: GoType, path: string): Decoded {
  if (type.kind === 'string' && node.kind === 'string') {
    return node.value;
  }
  if (type.kind === 'bool' && node.kind === 'bool') {
    return node.value;
  }
  if (type.kind === 'int64' && node.kind === 'number') {
    const value = /^-?\d+$/.test(node.literal) ? BigInt(node.literal) : undefined;
    if (value === undefined || value > 2n ** 63n - 1n || value < -(2n ** 63n)) {
      throw typeError(node, type, path, `number ${node.literal}`);
    }
    return value;
  }
  throw typeError(node, type, path);
}

/**
 * Decodes metav1.Time: its UnmarshalJSON unquotes the raw text with Go's strconv.Unquote (which,
 * unlike JSON, rejects `\/`) and parses it as RFC 3339.
 */
function decodeTime(node: JsonNode, path: string): Decoded {
  if (node.kind !== 'string' || node.raw.includes('\\/')) {
    throw new GoDecodeError(`${path}: invalid syntax`);
  }
  if (!isRfc3339(node.value)) {
    // The value itself stays out of the message, so a token pasted into a timestamp is never logged.
    throw new GoDecodeError(`${path}: parsing time as RFC 3339 failed`);
  }
  return node.value;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:[.,]\d+)?(?:Z|[+-](\d{2}):(\d{2}))$/;

/** Checks a timestamp the way Go's `time.Parse(time.RFC3339, …)` accepts it, ranges included. */
export function isRfc3339(text: string): boolean {
  const match = RFC3339.exec(text);
  if (match === null) {
    return false;
  }
  const [year, month, day, hour, minute, second, zoneHour, zoneMinute] = match.slice(1).map((part) => Number(part ?? 0)) as [
    number, number, number, number, number, number, number, number,
  ];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return (
    month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth &&
    hour <= 23 && minute <= 59 && second <= 59 && zoneHour <= 23 && zoneMinute <= 59
  );
}

function typeError(node: JsonNode, type: GoType, path: string, value: string = node.kind): GoDecodeError {
  const target = path === '' ? `Go value of type ${type.name}` : `Go struct field ${path} of type ${type.name}`;
  return new GoDecodeError(`json: cannot unmarshal ${value} into ${target}`);
}

/** The user a successful review reports. */
export interface TokenReviewUser {
  readonly username: string;
  readonly uid: string;
  readonly groups: readonly string[];
  /** Omitted from the response when undefined or empty. */
  readonly extra?: Readonly<Record<string, readonly string[]>>;
}

/**
 * Denial body, exactly as aws-iam-authenticator writes it (no trailing newline). Like the reference,
 * kubeiam leaves out apiVersion and kind; the kube-apiserver fills them in from its request type.
 */
export const DENY_BODY = '{"metadata":{},"spec":{},"status":{"user":{}}}';

/**
 * Encodes the success body with Go's field order and omitempty rules: an empty username, uid, group
 * list or extra map is left out, extra keys are sorted, and the body ends with a newline.
 */
export function encodeSuccessBody(user: TokenReviewUser): string {
  const members: string[] = [];
  if (user.username !== '') {
    members.push(`"username":${goJsonString(user.username)}`);
  }
  if (user.uid !== '') {
    members.push(`"uid":${goJsonString(user.uid)}`);
  }
  if (user.groups.length > 0) {
    members.push(`"groups":${encodeStringList(user.groups)}`);
  }
  const extra = encodeExtra(user.extra ?? {});
  if (extra !== undefined) {
    members.push(`"extra":${extra}`);
  }
  return `{"metadata":{},"spec":{},"status":{"authenticated":true,"user":{${members.join(',')}}}}\n`;
}

function encodeStringList(values: readonly string[]): string {
  return `[${values.map(goJsonString).join(',')}]`;
}

/** Go encodes map keys sorted by their UTF-8 bytes. */
function encodeExtra(extra: Readonly<Record<string, readonly string[]>>): string | undefined {
  const keys = Object.keys(extra).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  if (keys.length === 0) {
    return undefined;
  }
  const members = keys.map((key) => `${goJsonString(key)}:${encodeStringList(extra[key] ?? [])}`);
  return `{${members.join(',')}}`;
}
