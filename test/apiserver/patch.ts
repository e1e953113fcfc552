import { badRequest, unsupportedMediaType } from './status.js';
import { isRecord } from './store.js';

export const PATCH_TYPES = {
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
} as const;

/**
 * Applies a PATCH body to an object by its content type. For a ConfigMap a strategic merge patch
 * behaves like a JSON merge patch, because none of its fields is a list with a merge key; the
 * `$patch`, `$retainKeys` and `$setElementOrder` directives are dropped.
 */
export function applyPatch(target: unknown, contentType: string, body: string): unknown {
  const type = contentType.split(';')[0]?.trim() ?? '';
  const patch = parseJson(body);
  if (type === PATCH_TYPES.merge) return mergePatch(target, patch, false);
  if (type === PATCH_TYPES.strategic) return mergePatch(target, patch, true);
  if (type === PATCH_TYPES.json) return jsonPatch(target, patch);
  // NOTE: server-side apply (application/apply-patch+yaml) is not served; kubectl's client-side
  // apply sends a strategic merge patch.
  throw unsupportedMediaType(type);
}

/** RFC 7386 JSON merge patch: null removes a field, objects merge, everything else replaces. */
function mergePatch(target: unknown, patch: unknown, strategic: boolean): unknown {
  if (!isRecord(patch)) return patch;
  const result: Record<string, unknown> = isRecord(target) ? { ...target } : {};
  for (const [field, value] of Object.entries(patch)) {
    if (strategic && field.startsWith('$')) continue;
    if (value === null) delete result[field];
    else result[field] = mergePatch(result[field], value, strategic);
  }
  return result;
}

/** RFC 6902 JSON patch with the add, replace, remove and test operations. */
function jsonPatch(target: unknown, patch: unknown): unknown {
  if (!Array.isArray(patch)) throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let document = structuredClone(target);
  for (const operation of patch) {
    if (!isRecord(operation) || typeof operation['op'] !== 'string' || typeof operation['path'] !== 'string') {
      throw badRequest('the JSON patch operation is missing op or path');
    }
    document = applyOperation(document, operation['op'], operation['path'], operation['value']);
  }
  return document;
}

function applyOperation(document: unknown, op: string, path: string, value: unknown): unknown {
  const segments = path.split('/').slice(1).map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
  const last = segments.pop();
  if (last === undefined) return op === 'remove' ? undefined : value;
  let parent: unknown = document;
  for (const segment of segments) parent = isRecord(parent) ? parent[segment] : undefined;
  if (!isRecord(parent)) throw badRequest(`the JSON patch path ${path} does not exist`);

  if (op === 'add' || op === 'replace') {
    if (op === 'replace' && !(last in parent)) throw badRequest(`replace operation does not apply: doc is missing key: ${path}`);
    parent[last] = value;
  } else if (op === 'remove') {
    if (!(last in parent)) throw badRequest(`remove operation does not apply: doc is missing path: ${path}`);
    delete parent[last];
  } else if (op === 'test') {
    if (JSON.stringify(parent[last]) !== JSON.stringify(value)) throw badRequest(`testing value ${path} failed`);
  } else {
    throw badRequest(`unsupported JSON patch operation ${op}`);
  }
  return document;
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch (error) {
    throw badRequest(`error decoding patch: ${(error as Error).message}`);
  }
}
