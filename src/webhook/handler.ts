import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import type { Identity } from '../arn/identity.js';
import { isKubeiamError } from '../errors.js';
import type { MapOutcome, MappedUser } from '../mapping/types.js';
import type { VerifiedToken } from '../token/index.js';
import { HttpError, type WebhookResponse } from './errors.js';
import type { AuthenticationResult, WebhookMetrics } from './metrics.js';
import { redactSecrets } from './redact.js';
import { ResponseCache, type ResponseCacheOptions } from './response-cache.js';
import { decodeTokenReview, DENY_BODY, encodeSuccessBody, type TokenReviewUser } from './tokenreview.js';

/** The token verifier the handler needs; `TokenVerifier` in src/token implements it. */
export interface TokenVerifierLike {
  /** Resolves to the caller's identity, or rejects with a TokenError (or any other error). */
  verify(token: string): Promise<Identity>;
  /** Verifies like `verify` and also returns the token's X-Amz-Date, so a cache need not parse the token again. */
  verifyToken?(token: string): Promise<VerifiedToken>;
}

/**
 * A mapping outcome. `reusable` is true when the outcome depends only on the identity and the
 * mapping sources (no EC2 lookup, for example), so a response built from it may be reused until the
 * mapping generation changes.
 */
export type ReusableMapOutcome = MapOutcome & { readonly reusable?: boolean };

/** Maps a verified identity to a Kubernetes user through the configured mapping sources. */
export type MapIdentity = (identity: Identity) => Promise<ReusableMapOutcome>;

export interface AuthenticateRequest {
  readonly method: string;
  readonly path: string;
  /** The request body; undefined only when a caller has none at all (a server always has one). */
  readonly body: Uint8Array | undefined;
  /** Client `address:port`, for logs. */
  readonly remoteAddress?: string;
  /** Id that ties the log line to the server's request. Default: a random UUID. */
  readonly requestId?: string;
}

export type AuthenticateHandler = (request: AuthenticateRequest) => Promise<WebhookResponse>;

export interface AuthenticateHandlerOptions {
  readonly verifier: TokenVerifierLike;
  readonly mapIdentity: MapIdentity;
  readonly metrics: WebhookMetrics;
  readonly logger: Logger;
  /**
   * Account IDs whose identities are never logged; their users get the uid
   * `aws-iam-authenticator:administrative:<username>` and no extra. Default: none.
   */
  readonly scrubbedAccounts?: Iterable<string>;
  /** Monotonic time in milliseconds, for the latency metric. Default: `performance.now`. */
  readonly clock?: () => number;
  /**
   * Reuse of whole responses for byte-identical bodies of repeated tokens (see ResponseCache).
   * `tokenCache` must be the `verifier`. Default: every request is decoded, verified and mapped.
   */
  readonly responseCache?: ResponseCacheOptions;
}

const JSON_CONTENT_TYPE = 'application/json; charset=UTF-8';
const UID_PREFIX = 'aws-iam-authenticator';

/** The result of one request: its response, metric label and log event. */
interface Outcome {
  readonly result: AuthenticationResult;
  readonly response: WebhookResponse;
  readonly level: 'info' | 'warn' | 'error';
  readonly message: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

/**
 * A stored outcome and, once it is served again, a child logger that contains its fixed log fields:
 * the outcome's fields, `result` and `status`.
 */
interface ReusedOutcome {
  readonly outcome: Outcome;
  logger: Logger | undefined;
}

/** Dependencies of `authenticate` besides the request. */
interface HandlerContext {
  readonly options: AuthenticateHandlerOptions;
  readonly scrubbedAccounts: ReadonlySet<string>;
  readonly responses: ResponseCache<ReusedOutcome> | undefined;
}

/**
 * Creates the `/authenticate` handler: a function of one request that decodes the TokenReview,
 * verifies the token, maps the identity and responds with aws-iam-authenticator's status, body and
 * content type. It records the latency metric and writes one log line per request, also when the
 * response cache serves the request.
 */
export function createAuthenticateHandler(options: AuthenticateHandlerOptions): AuthenticateHandler {
  const clock = options.clock ?? (() => performance.now());
  const context: HandlerContext = {
    options,
    scrubbedAccounts: new Set(options.scrubbedAccounts ?? []),
    responses: options.responseCache === undefined ? undefined : new ResponseCache(options.responseCache),
  };

  return async (request) => {
    const started = clock();
    const key = request.method === 'POST' && request.body !== undefined ? context.responses?.keyOf(request.body) : undefined;
    const reused = key === undefined ? undefined : context.responses?.lookup(key);
    if (reused !== undefined) {
      serveReused(request, options, reused, (clock() - started) / 1000);
      return reused.outcome.response;
    }

    const outcome = await authenticate(request, context, key);
    const seconds = (clock() - started) / 1000;
    options.metrics.recordAuthentication(outcome.result, seconds);
    const fields = {
      requestId: request.requestId ?? randomUUID(),
      path: request.path,
      client: request.remoteAddress,
      method: request.method,
      result: outcome.result,
      status: outcome.response.status,
      durationMs: roundedMilliseconds(seconds),
      ...outcome.fields,
    };
    options.logger[outcome.level](fields, outcome.message);
    return outcome.response;
  };
}

/** Converts seconds to milliseconds rounded to the microsecond, the log's `durationMs`. */
function roundedMilliseconds(seconds: number): number {
  return Math.round(seconds * 1e6) / 1e3;
}

/**
 * Records the metric and the log line of a reused outcome. The line goes through a child logger
 * that serialized the outcome's fixed fields once, so each request serializes only the five fields
 * that vary. The line has the same fields and values as on the uncached path. A child keeps the
 * level of its parent at creation, so a child of another level is replaced.
 */
function serveReused(request: AuthenticateRequest, options: AuthenticateHandlerOptions, reused: ReusedOutcome, seconds: number): void {
  const { outcome } = reused;
  options.metrics.recordAuthentication(outcome.result, seconds);

  const logger = options.logger;
  if (reused.logger === undefined || reused.logger.levelVal !== logger.levelVal) {
    reused.logger = logger.child({ result: outcome.result, status: outcome.response.status, ...outcome.fields });
  }
  reused.logger[outcome.level](
    {
      requestId: request.requestId ?? randomUUID(),
      path: request.path,
      client: request.remoteAddress,
      method: request.method,
      durationMs: roundedMilliseconds(seconds),
    },
    outcome.message,
  );
}

async function authenticate(request: AuthenticateRequest, context: HandlerContext, key: string | undefined): Promise<Outcome> {
  const { options, scrubbedAccounts } = context;
  let token: string;
  try {
    token = readToken(request);
  } catch (error) {
    if (error instanceof HttpError) {
      return malformedRequest(error);
    }
    throw error;
  }

  const generation = key === undefined ? undefined : context.responses?.generation();
  let identity: Identity;
  try {
    identity = await options.verifier.verify(token);
  } catch (error) {
    return rejectToken(error, token);
  }

  const identityFields = loggableIdentity(identity, scrubbedAccounts);
  const mapped = await mapSafely(options.mapIdentity, identity);
  if (!mapped.ok) {
    const error = redactSecrets(mapped.error, token);
    return deny('unknown_user', 403, mapped.unexpected ? 'error' : 'warn', { ...identityFields, error });
  }
  const outcome = grant(identity, mapped.user, scrubbedAccounts, identityFields);
  if (key !== undefined && mapped.reusable === true) {
    context.responses?.store(key, generation, token, identity, { outcome, logger: undefined });
  }
  return outcome;
}

/** Reads `spec.token`; throws HttpError 405 or 400 with the reference's texts. */
function readToken(request: AuthenticateRequest): string {
  if (request.method !== 'POST') {
    throw new HttpError(405, 'expected POST');
  }
  if (request.body === undefined) {
    throw new HttpError(400, 'expected a request body');
  }

  const decoded = decodeTokenReview(request.body);
  if (!decoded.ok) {
    throw new HttpError(400, 'expected a request body to be a TokenReview', {}, decoded.reason);
  }
  return decoded.review.token;
}

function malformedRequest(error: HttpError): Outcome {
  return {
    result: 'malformed_request',
    response: error.toResponse(),
    level: 'warn',
    message: 'malformed request',
    fields: { error: redactSecrets(error.reason ?? error.message) },
  };
}

/** Turns a verifier failure into the reference's status: 429 for throttling, 403 otherwise. */
function rejectToken(error: unknown, token: string): Outcome {
  const message = redactSecrets(error instanceof Error ? error.message : String(error), token);

  if (isKubeiamError(error, 'STS_THROTTLING')) {
    return deny('sts_throttling', 429, 'warn', { code: error.code, error: message });
  }
  if (isKubeiamError(error, 'STS_ERROR')) {
    return deny('sts_error', 403, 'warn', { code: error.code, error: message });
  }
  if (isKubeiamError(error)) {
    return deny('invalid_token', 403, 'warn', { code: error.code, error: message });
  }
  // Not a TokenError: a bug or an unexpected failure. The reference returns 403 for every error it
  // does not classify, so kubeiam does too, and logs it as an error.
  return deny('invalid_token', 403, 'error', { error: `unexpected verifier failure: ${message}` });
}

type SafeMapOutcome = ReusableMapOutcome & { readonly unexpected?: boolean };

/** Treats a mapper that throws like a mapping failure (403), but logs it as an error. */
async function mapSafely(mapIdentity: MapIdentity, identity: Identity): Promise<SafeMapOutcome> {
  try {
    return await mapIdentity(identity);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, error: `unexpected mapping failure: ${message}`, unexpected: true };
  }
}

function deny(
  result: AuthenticationResult,
  status: 403 | 429,
  level: Outcome['level'],
  fields: Record<string, unknown>,
): Outcome {
  return {
    result,
    response: { status, headers: { 'content-type': JSON_CONTENT_TYPE }, body: DENY_BODY },
    level,
    message: 'access denied',
    fields,
  };
}

function grant(
  identity: Identity,
  mapped: MappedUser,
  scrubbedAccounts: ReadonlySet<string>,
  identityFields: Record<string, unknown>,
): Outcome {
  const user = reviewUser(identity, mapped, scrubbedAccounts);
  return {
    result: 'success',
    response: { status: 200, headers: { 'content-type': JSON_CONTENT_TYPE }, body: encodeSuccessBody(user) },
    level: 'info',
    message: 'access granted',
    fields: {
      ...identityFields,
      username: user.username,
      uid: user.uid,
      groups: user.groups,
      mappingSource: mapped.source,
      mappingKind: mapped.kind,
    },
  };
}

/** Builds the reviewed user: uid and extra exactly as aws-iam-authenticator fills them. */
export function reviewUser(
  identity: Identity,
  mapped: Pick<MappedUser, 'username' | 'groups'>,
  scrubbedAccounts: ReadonlySet<string>,
): TokenReviewUser {
  if (scrubbedAccounts.has(identity.accountId)) {
    return {
      username: mapped.username,
      uid: `${UID_PREFIX}:administrative:${mapped.username}`,
      groups: mapped.groups,
    };
  }
  return {
    username: mapped.username,
    uid: `${UID_PREFIX}:${identity.accountId}:${identity.userId}`,
    groups: mapped.groups,
    extra: {
      accessKeyId: [identity.accessKeyId],
      arn: [identity.arn],
      canonicalArn: [identity.canonicalArn],
      principalId: [identity.userId],
      sessionName: [identity.sessionName],
      'sigs.k8s.io/aws-iam-authenticator/principalId': [identity.userId],
    },
  };
}

/** Identity fields for the log line; none for scrubbed accounts. */
function loggableIdentity(identity: Identity, scrubbedAccounts: ReadonlySet<string>): Record<string, unknown> {
  if (scrubbedAccounts.has(identity.accountId)) {
    return { stsEndpoint: identity.stsEndpoint };
  }
  return {
    arn: identity.arn,
    accountId: identity.accountId,
    userId: identity.userId,
    sessionName: identity.sessionName,
    accessKeyId: identity.accessKeyId,
    stsEndpoint: identity.stsEndpoint,
  };
}
