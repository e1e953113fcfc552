import type { Identity } from '../arn/identity.js';
import { renderTemplate } from './templates.js';
import type {
  EntryVerdict,
  MapErrorCode,
  MapOutcome,
  MappedUser,
  MappingSource,
  MatchedMapping,
  PrivateDnsLookup,
} from './types.js';

export interface MapOptions {
  /** Resolves `{{EC2PrivateDNSName}}`. Without it, mappings that use the placeholder are denied. */
  readonly lookupPrivateDns?: PrivateDnsLookup;
}

/** A verdict with the name of the source it came from. */
export interface ExplainStep extends EntryVerdict {
  readonly source: string;
}

/** Formats like Go's %q for the texts templates contain. NOTE: control characters are escaped JSON-style. */
function goQuote(text: string): string {
  return JSON.stringify(text);
}

/** Joins errors like Kubernetes' utilerrors.NewAggregate: one error as is, several as `[a, b]`, repeats once. */
function aggregate(errors: readonly string[]): string {
  const unique = [...new Set(errors)];
  return unique.length === 1 ? (unique[0] ?? '') : `[${unique.join(', ')}]`;
}

function deny(error: string, code: MapErrorCode): MapOutcome {
  return { ok: false, error, code };
}

interface RenderFailure {
  readonly error: string;
  readonly field: 'username' | 'group';
  readonly template: string;
  readonly cause: string;
}

function renderFailure(field: RenderFailure['field'], template: string, error: unknown): RenderFailure {
  const cause = (error as Error).message;
  return { error: `error rendering ${field} template ${goQuote(template)}: ${cause}`, field, template: goQuote(template), cause };
}

async function renderMapping(
  mapping: MatchedMapping,
  identity: Identity,
  options: MapOptions,
): Promise<{ username: string; groups: string[] } | RenderFailure> {
  let username: string;
  try {
    username = await renderTemplate(mapping.username, identity, options.lookupPrivateDns);
  } catch (error) {
    return renderFailure('username', mapping.username, error);
  }
  const groups: string[] = [];
  for (const group of mapping.groups) {
    try {
      groups.push(await renderTemplate(group, identity, options.lookupPrivateDns));
    } catch (error) {
      return renderFailure('group', group, error);
    }
  }
  return { username, groups };
}

function reservedPrefixError(source: MappingSource, username: string): string | undefined {
  const hit = source.reservedPrefixes.some((prefix) => prefix !== '' && username.startsWith(prefix));
  if (!hit) return undefined;
  // The doubled "with" is aws-iam-authenticator's text, kept so operators can search for it.
  return `invalid username '${username}' for mapper ${source.name}: username must not begin with with the following prefixes: [${source.reservedPrefixes.join(' ')}]`;
}

/** Receives the steps of the chain when explaining; a no-op for plain mapping. */
export type Trace = (step: ExplainStep) => void;

async function decide(
  source: MappingSource,
  mapping: MatchedMapping,
  identity: Identity,
  options: MapOptions,
  trace: Trace,
): Promise<MapOutcome> {
  const base = { source: source.name, kind: 'chain' as const, ...(mapping.origin ? { origin: mapping.origin } : {}) };
  const rendered = await renderMapping(mapping, identity, options);
  if ('error' in rendered) {
    const error = `mapper ${source.name} renderTemplates error: ${rendered.error}`;
    const params = { source: source.name, field: rendered.field, template: rendered.template, cause: rendered.cause };
    trace({ ...base, matched: false, reason: 'TEMPLATE_ERROR', message: `denied: ${error}`, detail: { id: 'TEMPLATE_ERROR', params } });
    return deny(error, 'RENDER_ERROR');
  }
  const reserved = reservedPrefixError(source, rendered.username);
  if (reserved !== undefined) {
    const params = { username: rendered.username, source: source.name, prefixes: source.reservedPrefixes.join(' ') };
    trace({ ...base, matched: false, reason: 'RESERVED_PREFIX', message: `denied: ${reserved}`, fix: 'choose a username without a reserved prefix', detail: { id: 'RESERVED_PREFIX', params } });
    return deny(reserved, 'RESERVED_PREFIX');
  }
  const user: MappedUser = { ...rendered, source: source.name, kind: mapping.kind, ...(mapping.origin ? { origin: mapping.origin } : {}) };
  trace({
    ...base,
    matched: true,
    reason: 'ACCEPTED',
    message: `mapped to username '${user.username}' with groups [${user.groups.join(', ')}]`,
    detail: { id: 'ACCEPTED', params: { username: user.username, groups: user.groups.join(', ') } },
  });
  return { ok: true, user };
}

/**
 * Runs the mapping chain like aws-iam-authenticator's doMapping, source by source. An explicit mapping
 * is rendered, checked against the source's reserved prefixes, and then accepts or denies. A lookup
 * error is remembered, and an allowed account accepts with the canonical ARN as username and no
 * groups. After the last source the chain denies with the remembered errors, else with
 * `identity is not mapped`.
 * With `trace`, every source's entry verdicts and every chain step are reported in order.
 */
export async function runChain(
  identity: Identity,
  sources: readonly MappingSource[],
  options: MapOptions,
  trace?: Trace,
): Promise<MapOutcome> {
  const record: Trace = trace ?? (() => undefined);
  const errors: string[] = [];
  for (const source of sources) {
    if (trace !== undefined) {
      for (const verdict of source.explain?.(identity) ?? []) trace({ ...verdict, source: source.name });
    }
    let mapping: MatchedMapping | undefined;
    try {
      mapping = source.map(identity);
    } catch (error) {
      const message = `mapper ${source.name} Map error: ${(error as Error).message}`;
      errors.push(message);
      record({ source: source.name, kind: 'chain', matched: false, reason: 'MAP_ERROR', message, detail: { id: 'MAP_ERROR', params: { source: source.name, error: (error as Error).message } } });
    }
    if (mapping !== undefined) return decide(source, mapping, identity, options, record);

    if (source.isAccountAllowed(identity.accountId)) {
      record({
        source: source.name,
        kind: 'account',
        matched: true,
        reason: 'ACCOUNT_ALLOWED',
        message: `account ${identity.accountId} is in mapAccounts, so the caller maps to its ARN with no groups`,
        detail: { id: 'ACCOUNT_ALLOWED', params: { account: identity.accountId } },
      });
      return { ok: true, user: { username: identity.canonicalArn, groups: [], source: source.name, kind: 'account' } };
    }
    if (source.hasAccountList !== false) {
      record({
        source: source.name,
        kind: 'account',
        matched: false,
        reason: 'ACCOUNT_NOT_LISTED',
        message: `account ${identity.accountId} is not in mapAccounts`,
        detail: { id: 'ACCOUNT_NOT_LISTED', params: { account: identity.accountId } },
      });
    }
  }
  return errors.length > 0 ? deny(aggregate(errors), 'MAP_ERRORS') : deny('identity is not mapped', 'NOT_MAPPED');
}

/** Maps a verified identity to a Kubernetes user through the sources in order (see runChain). */
export function mapIdentity(identity: Identity, sources: readonly MappingSource[], options: MapOptions = {}): Promise<MapOutcome> {
  return runChain(identity, sources, options);
}
