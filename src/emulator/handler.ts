import { partitionForRegion } from '../arn/index.js';
import { collectParameters, runAction } from './actions.js';
import { HEADER_CLUSTER_ID } from './constants.js';
import { parseFormEncoded, type ParameterList } from './encoding.js';
import { StsError, invalidClientTokenId, malformedQueryString } from './errors.js';
import type { AccessKeyRecord, IamRegistry } from './registry.js';
import { renderError, renderResult, responseFormat, type RenderedResponse } from './responses.js';
import { verifySigV4 } from './sigv4.js';

/** An HTTP request as the listener received it. */
export interface StsHttpRequest {
  readonly method: string;
  /** The request target: path and query, still percent-encoded. */
  readonly target: string;
  /** Header names and values in received order. */
  readonly headers: ParameterList;
  readonly body: Uint8Array;
}

export interface HandlerContext {
  readonly registry: IamRegistry;
  readonly now: Date;
  readonly requestId: string;
}

/** The response and what the request log keeps of the request: no signature, token or secret. */
export interface HandlerOutcome {
  readonly response: RenderedResponse;
  readonly path: string;
  readonly action: string | undefined;
  readonly accessKeyId: string | undefined;
  readonly errorCode: string | undefined;
}

const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';

/**
 * Serves one STS Query API request: parse, verify the SigV4 signature against the registry, run the
 * action as the signer, and render XML or JSON. Every rejection becomes an STS error response.
 */
export function handleStsRequest(request: StsHttpRequest, context: HandlerContext): HandlerOutcome {
  const format = responseFormat(firstHeader(request.headers, 'accept'));
  const [path = '', rawQuery = ''] = splitTarget(request.target);
  let action: string | undefined;
  let accessKeyId: string | undefined;

  try {
    const query = parseTarget(path, rawQuery);
    action = query.find(([name]) => name === 'Action')?.[1];

    const lookup = (keyId: string, region: string): AccessKeyRecord | undefined =>
      context.registry.lookupAccessKey(keyId, partitionForRegion(region).id);
    const verified = verifySigV4({ ...request, path, query }, { lookup, now: context.now });
    accessKeyId = verified.accessKeyId;
    const record = lookup(verified.accessKeyId, verified.region);
    if (record === undefined) throw invalidClientTokenId();

    const parameters = collectParameters(query, formParameters(request));
    action = parameters.get('Action');
    const result = runAction(parameters, { registry: context.registry, caller: record.identity, now: context.now });
    return { response: renderResult(result, context.requestId, format), path, action, accessKeyId, errorCode: undefined };
  } catch (error) {
    if (!(error instanceof StsError)) throw error;
    return { response: renderError(error, context.requestId, format), path, action, accessKeyId, errorCode: error.code };
  }
}

/** Returns the cluster id header, which the request log keeps because it is no secret. */
export function clusterIdOf(headers: ParameterList): string | undefined {
  return firstHeader(headers, HEADER_CLUSTER_ID);
}

function splitTarget(target: string): [string, string] {
  const question = target.indexOf('?');
  if (question < 0) return [target, ''];
  return [target.slice(0, question), target.slice(question + 1)];
}

function parseTarget(path: string, rawQuery: string): Array<[string, string]> {
  if (!/^\/[\x21-\x7e]*$/.test(path)) {
    throw malformedQueryString('The request target must be a path that starts with / and is percent-encoded.');
  }
  return parseFormEncoded(rawQuery);
}

/** Reads parameters from a form body; other bodies carry no parameters but are still signed. */
function formParameters(request: StsHttpRequest): Array<[string, string]> {
  const contentType = (firstHeader(request.headers, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (request.method !== 'POST' || contentType !== FORM_CONTENT_TYPE) return [];
  return parseFormEncoded(Buffer.from(request.body).toString('latin1'));
}

function firstHeader(headers: ParameterList, lowerCaseName: string): string | undefined {
  return headers.find(([name]) => name.toLowerCase() === lowerCaseName)?.[1];
}
