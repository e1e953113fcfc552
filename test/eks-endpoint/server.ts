import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ApiError,
  checkModeChange,
  checkNodeRules,
  checkPrincipalShape,
  checkScopeRules,
  checkUsernameRules,
  defaultGroups,
  defaultUsername,
  ENDPOINT_ENTRY_TYPES,
  entryArn,
  inUse,
  invalidParameter,
  isNodeType,
  notFound,
  requireApiMode,
  type PrincipalResolver,
  type StoredCluster,
  type StoredEntry,
  type StoredUpdate,
} from './model.js';

/** A request the endpoint received: method and decoded path segments, for "no call was made" asserts. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
}

export interface EksEndpointOptions {
  /** Looks up principals (e.g. in moto's IAM). Default: every well-formed principal exists. */
  readonly resolvePrincipal?: PrincipalResolver;
  /** Names served by ListAccessPolicies. */
  readonly policyNames?: readonly string[];
  /** DescribeUpdate calls an update stays InProgress. Default: 2. */
  readonly updatePolls?: number;
  /** Page size of list operations when the caller sets none. Default: 100, as EKS. */
  readonly pageSize?: number;
  /** Default: the real time. */
  readonly now?: () => Date;
}

export interface EksEndpoint {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Requests that would change state (POST and DELETE). */
  mutatingRequests(): RecordedRequest[];
  addCluster(name: string, options?: { account?: string; region?: string; mode?: string }): StoredCluster;
  cluster(name: string): StoredCluster;
  close(): Promise<void>;
}

/** A handful of policy names as `aws eks list-access-policies` prints them; tests may pass their own. */
export const DEFAULT_POLICY_NAMES = [
  'AmazonEKSAdminPolicy',
  'AmazonEKSAdminViewPolicy',
  'AmazonEKSClusterAdminPolicy',
  'AmazonEKSEditPolicy',
  'AmazonEKSViewPolicy',
  'AmazonEKSSecretReaderPolicy',
  'AmazonEMRJobPolicy',
];

interface Context {
  readonly options: Required<Omit<EksEndpointOptions, 'resolvePrincipal'>> & { resolvePrincipal: PrincipalResolver };
  readonly clusters: Map<string, StoredCluster>;
  nextUpdate: number;
}

type Json = Record<string, unknown>;
interface Reply {
  status: number;
  body: Json;
}

const fakeId = (arn: string): string => `AROA${createHash('sha256').update(arn).digest('hex').slice(0, 17).toUpperCase()}`;

/** Starts the endpoint on 127.0.0.1 on a free port. */
export async function startEksEndpoint(options: EksEndpointOptions = {}): Promise<EksEndpoint> {
  const context: Context = {
    options: {
      resolvePrincipal: options.resolvePrincipal ?? (async (arn) => fakeId(arn)),
      policyNames: options.policyNames ?? DEFAULT_POLICY_NAMES,
      updatePolls: options.updatePolls ?? 2,
      pageSize: options.pageSize ?? 100,
      now: options.now ?? (() => new Date()),
    },
    clusters: new Map(),
    nextUpdate: 1,
  };
  const requests: RecordedRequest[] = [];
  const server = createServer((request, response) => {
    void serve(context, requests, request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    mutatingRequests: () => requests.filter((item) => item.method !== 'GET'),
    addCluster(name, clusterOptions = {}) {
      const cluster: StoredCluster = {
        name,
        account: clusterOptions.account ?? '111122223333',
        region: clusterOptions.region ?? 'eu-west-1',
        mode: clusterOptions.mode ?? 'API_AND_CONFIG_MAP',
        entries: new Map(),
        updates: new Map(),
      };
      context.clusters.set(name, cluster);
      return cluster;
    },
    cluster(name) {
      const cluster = context.clusters.get(name);
      if (cluster === undefined) throw new Error(`no cluster ${name}`);
      return cluster;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function serve(context: Context, requests: RecordedRequest[], request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  const segments = url.pathname.split('/').filter((part) => part !== '').map((part) => decodeURIComponent(part));
  const method = request.method ?? 'GET';
  requests.push({ method, path: `/${segments.join('/')}` });
  try {
    const body = await readBody(request);
    const reply = await route(context, method, segments, url.searchParams, body);
    send(response, reply.status, reply.body);
  } catch (error) {
    if (error instanceof ApiError) {
      response.setHeader('x-amzn-ErrorType', error.type);
      send(response, error.status, { message: error.message });
      return;
    }
    response.setHeader('x-amzn-ErrorType', 'ServerException');
    send(response, 500, { message: error instanceof Error ? error.message : String(error) });
  }
}

async function readBody(request: IncomingMessage): Promise<Json> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return {};
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null) throw invalidParameter('request body must be a JSON object');
  return parsed as Json;
}

function send(response: ServerResponse, status: number, body: Json): void {
  response.statusCode = status;
  response.setHeader('content-type', 'application/json');
  response.end(JSON.stringify(body));
}

async function route(context: Context, method: string, path: string[], query: URLSearchParams, body: Json): Promise<Reply> {
  if (path[0] === 'access-policies' && path.length === 1 && method === 'GET') return listPolicies(context, query);
  if (path[0] !== 'clusters' || path[1] === undefined) throw notFound(`no route for ${method} /${path.join('/')}`);
  const cluster = context.clusters.get(path[1]);
  if (cluster === undefined) throw notFound(`No cluster found for name: ${path[1]}.`);
  const [, , section, principal, sub, policy] = path;

  if (section === undefined && method === 'GET') return ok({ cluster: describeCluster(cluster) });
  if (section === 'update-config' && method === 'POST') return updateConfig(context, cluster, body);
  if (section === 'updates' && principal !== undefined && method === 'GET') return describeUpdate(context, cluster, principal);
  if (section !== 'access-entries') throw notFound(`no route for ${method} /${path.join('/')}`);
  requireApiMode(cluster);

  if (principal === undefined) {
    if (method === 'POST') return createEntry(context, cluster, body);
    if (method === 'GET') return listEntries(context, cluster, query);
  } else if (sub === undefined) {
    if (method === 'GET') return ok({ accessEntry: renderEntry(cluster, findEntry(cluster, principal)) });
    if (method === 'POST') return updateEntry(context, cluster, findEntry(cluster, principal), body);
    if (method === 'DELETE') {
      cluster.entries.delete(findEntry(cluster, principal).principalArn);
      return ok({});
    }
  } else if (sub === 'access-policies') {
    const entry = findEntry(cluster, principal);
    if (policy === undefined && method === 'POST') return associate(context, cluster, entry, body);
    if (policy === undefined && method === 'GET') return listAssociated(context, cluster, entry, query);
    if (policy !== undefined && method === 'DELETE') {
      if (!entry.policies.delete(policy)) throw notFound(`The specified policy ${policy} is not associated with ${entry.principalArn}.`);
      return ok({});
    }
  }
  throw notFound(`no route for ${method} /${path.join('/')}`);
}

const ok = (body: Json): Reply => ({ status: 200, body });
const seconds = (date: Date): number => date.getTime() / 1000;

function describeCluster(cluster: StoredCluster): Json {
  return {
    name: cluster.name,
    arn: `arn:aws:eks:${cluster.region}:${cluster.account}:cluster/${cluster.name}`,
    status: 'ACTIVE',
    version: '1.31',
    platformVersion: 'eks.20',
    accessConfig: { authenticationMode: cluster.mode },
  };
}

function findEntry(cluster: StoredCluster, principalArn: string): StoredEntry {
  const entry = cluster.entries.get(principalArn);
  if (entry === undefined) throw notFound(`The specified access entry resource ${principalArn} could not be found.`);
  return entry;
}

function renderEntry(cluster: StoredCluster, entry: StoredEntry): Json {
  return {
    clusterName: cluster.name,
    principalArn: entry.principalArn,
    kubernetesGroups: entry.kubernetesGroups,
    accessEntryArn: entry.accessEntryArn,
    createdAt: seconds(entry.createdAt),
    modifiedAt: seconds(entry.modifiedAt),
    tags: entry.tags,
    username: entry.username,
    type: entry.type,
  };
}

function stringList(value: unknown, field: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) throw invalidParameter(`${field} must be a list of strings`);
  return value as string[];
}

async function createEntry(context: Context, cluster: StoredCluster, body: Json): Promise<Reply> {
  const arn = checkPrincipalShape(body['principalArn']);
  const type = typeof body['type'] === 'string' ? body['type'] : 'STANDARD';
  if (!ENDPOINT_ENTRY_TYPES.includes(type)) throw invalidParameter(`type ${type} is not valid`);
  const groups = stringList(body['kubernetesGroups'], 'kubernetesGroups');
  const username = body['username'];
  if (username !== undefined && typeof username !== 'string') throw invalidParameter('username must be a string');
  checkNodeRules(cluster, arn, type, username, groups);
  if (typeof username === 'string') checkUsernameRules(username);
  if (cluster.entries.has(arn)) throw inUse('The specified access entry resource is already in use on this cluster.');

  const principalId = await context.options.resolvePrincipal(arn);
  if (principalId === undefined) throw invalidParameter(`The specified principalArn is invalid: invalid principal`);
  const now = context.options.now();
  const entry: StoredEntry = {
    principalArn: arn,
    type,
    username: typeof username === 'string' ? username : defaultUsername(arn, type),
    kubernetesGroups: groups ?? defaultGroups(type),
    createdAt: now,
    modifiedAt: now,
    accessEntryArn: entryArn(cluster, arn, type),
    tags: (body['tags'] as Record<string, string> | undefined) ?? {},
    principalId,
    policies: new Map(),
  };
  cluster.entries.set(arn, entry);
  return ok({ accessEntry: renderEntry(cluster, entry) });
}

function updateEntry(context: Context, cluster: StoredCluster, entry: StoredEntry, body: Json): Reply {
  const groups = stringList(body['kubernetesGroups'], 'kubernetesGroups');
  const username = body['username'];
  if (username !== undefined && typeof username !== 'string') throw invalidParameter('username must be a string');
  if (isNodeType(entry.type) && (groups !== undefined || username !== undefined)) {
    throw invalidParameter(`kubernetesGroups and username cannot be updated for an access entry of type ${entry.type}`);
  }
  if (typeof username === 'string') {
    checkUsernameRules(username);
    entry.username = username;
  }
  if (groups !== undefined) entry.kubernetesGroups = groups;
  entry.modifiedAt = context.options.now();
  return ok({ accessEntry: renderEntry(cluster, entry) });
}

function page<Item>(context: Context, items: Item[], query: URLSearchParams): { items: Item[]; nextToken?: string } {
  const max = query.has('maxResults') ? Number(query.get('maxResults')) : context.options.pageSize;
  if (!Number.isInteger(max) || max < 1 || max > 100) throw invalidParameter('maxResults must be between 1 and 100');
  const start = query.has('nextToken') ? Number(query.get('nextToken')) : 0;
  if (!Number.isInteger(start) || start < 0 || start > items.length) throw invalidParameter('nextToken is not valid');
  const end = start + max;
  return { items: items.slice(start, end), ...(end < items.length ? { nextToken: String(end) } : {}) };
}

function listEntries(context: Context, cluster: StoredCluster, query: URLSearchParams): Reply {
  const filter = query.get('associatedPolicyArn');
  const arns = [...cluster.entries.values()].filter((entry) => filter === null || entry.policies.has(filter)).map((entry) => entry.principalArn);
  const { items, nextToken } = page(context, arns, query);
  return ok({ accessEntries: items, ...(nextToken ? { nextToken } : {}) });
}

function policyArns(context: Context): string[] {
  return context.options.policyNames.map((name) => `arn:aws:eks::aws:cluster-access-policy/${name}`);
}

function listPolicies(context: Context, query: URLSearchParams): Reply {
  const all = context.options.policyNames.map((name) => ({ name, arn: `arn:aws:eks::aws:cluster-access-policy/${name}` }));
  const { items, nextToken } = page(context, all, query);
  return ok({ accessPolicies: items, ...(nextToken ? { nextToken } : {}) });
}

function associate(context: Context, cluster: StoredCluster, entry: StoredEntry, body: Json): Reply {
  const policyArn = body['policyArn'];
  if (typeof policyArn !== 'string' || !policyArns(context).includes(policyArn)) throw invalidParameter(`The specified policyArn ${String(policyArn)} is invalid.`);
  if (isNodeType(entry.type)) throw invalidParameter(`Access policies cannot be associated with an access entry of type ${entry.type}`);
  const accessScope = checkScopeRules(body['accessScope']);
  const now = context.options.now();
  const previous = entry.policies.get(policyArn);
  const association = { policyArn, accessScope, associatedAt: previous?.associatedAt ?? now, modifiedAt: now };
  entry.policies.set(policyArn, association);
  return ok({
    clusterName: cluster.name,
    principalArn: entry.principalArn,
    associatedAccessPolicy: { ...association, associatedAt: seconds(association.associatedAt), modifiedAt: seconds(now) },
  });
}

function listAssociated(context: Context, cluster: StoredCluster, entry: StoredEntry, query: URLSearchParams): Reply {
  const all = [...entry.policies.values()].map((item) => ({ ...item, associatedAt: seconds(item.associatedAt), modifiedAt: seconds(item.modifiedAt) }));
  const { items, nextToken } = page(context, all, query);
  return ok({ clusterName: cluster.name, principalArn: entry.principalArn, associatedAccessPolicies: items, ...(nextToken ? { nextToken } : {}) });
}

function renderUpdate(update: StoredUpdate): Json {
  return {
    id: update.id,
    status: update.status,
    type: 'AccessConfigUpdate',
    params: [{ type: 'AuthenticationMode', value: update.mode }],
    createdAt: seconds(update.createdAt),
    errors: [],
  };
}

function updateConfig(context: Context, cluster: StoredCluster, body: Json): Reply {
  const accessConfig = body['accessConfig'] as { authenticationMode?: unknown } | undefined;
  if ([...cluster.updates.values()].some((update) => update.status === 'InProgress')) {
    throw inUse('Cannot update the cluster while another update is in progress.');
  }
  const mode = checkModeChange(cluster.mode, accessConfig?.authenticationMode);
  const update: StoredUpdate = { id: `update-${context.nextUpdate++}`, status: 'InProgress', mode, createdAt: context.options.now(), pollsLeft: context.options.updatePolls };
  cluster.updates.set(update.id, update);
  if (update.pollsLeft === 0) finish(cluster, update);
  return ok({ update: renderUpdate(update) });
}

function finish(cluster: StoredCluster, update: StoredUpdate): void {
  update.status = 'Successful';
  cluster.mode = update.mode;
}

function describeUpdate(_context: Context, cluster: StoredCluster, id: string): Reply {
  const update = cluster.updates.get(id);
  if (update === undefined) throw notFound(`No update found for ID: ${id}.`);
  if (update.status === 'InProgress') {
    update.pollsLeft -= 1;
    if (update.pollsLeft <= 0) finish(cluster, update);
  }
  return ok({ update: renderUpdate(update) });
}
