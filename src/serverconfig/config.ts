import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { isPartitionId, parseArn, PARTITION_IDS } from '../arn/index.js';
import type { MountedRoleInput, MountedUserInput } from '../mapping/index.js';
import { DEFAULT_BACKEND_MODES, splitBackendModes, validateBackendModes, type BackendMode } from './backendmode.js';
import { ServerConfigError } from './errors.js';
import { isPlainObject, lookupKey, type ConfigTree } from './keys.js';
import { Decoder, describeValue, field } from './mapstructure.js';

/** The server configuration after flags, environment, file and defaults were merged and validated. */
export interface ServerConfig {
  readonly clusterId: string;
  readonly partition: string;
  readonly port: number;
  readonly address: string;
  /** Host name in the webhook kubeconfig's server URL and the certificate. */
  readonly hostname: string;
  /** Directory of cert.pem and key.pem; '' when not configured. */
  readonly stateDir: string;
  /** Path of the webhook kubeconfig to write, or '' when not configured. */
  readonly generateKubeconfig: string;
  readonly kubeconfigPregenerated: boolean;
  readonly kubeconfig: string;
  readonly master: string;
  readonly backendModes: readonly BackendMode[];
  /** True when backend modes came from a flag or the file, not the default. */
  readonly backendModesConfigured: boolean;
  /** `server.mapRoles`, `server.mapUsers`, `server.mapAccounts`: the MountedFile backend. */
  readonly mounted: {
    readonly mapRoles: readonly MountedRoleInput[];
    readonly mapUsers: readonly MountedUserInput[];
    readonly mapAccounts: readonly string[];
  };
  readonly scrubbedAccounts: readonly string[];
  /** Reserved username prefixes by backend name (`server.reservedPrefixConfig`). */
  readonly reservedPrefixes: Readonly<Record<string, readonly string[]>>;
  readonly dynamicFilePath: string;
  readonly dynamicFileUserIdStrict: boolean;
  readonly dynamicBackendModePath: string;
  readonly ec2DescribeInstancesRoleArn: string;
  readonly sourceArn: string;
  readonly ec2DescribeInstancesQps: number;
  readonly ec2DescribeInstancesBurst: number;
  /** Deprecation warnings to log at start. */
  readonly warnings: readonly string[];
}

/** Flag values the user gave explicitly; undefined means "not given", so lower layers apply. */
export interface ServerConfigFlags {
  readonly clusterId?: string;
  readonly partition?: string;
  readonly port?: string;
  readonly address?: string;
  readonly hostname?: string;
  readonly stateDir?: string;
  readonly generateKubeconfig?: string;
  readonly kubeconfigPregenerated?: boolean;
  readonly kubeconfig?: string;
  readonly master?: string;
  /** Comma-separated list, like aws-iam-authenticator's `--backend-mode`. */
  readonly backendMode?: string;
  readonly ec2DescribeInstancesQps?: string;
  readonly ec2DescribeInstancesBurst?: string;
}

export interface ServerConfigInput {
  /** The configuration file (`-c`), already read. */
  readonly file?: { readonly path: string; readonly text: string };
  readonly flags?: ServerConfigFlags;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Environment variable of the cluster ID, as in aws-iam-authenticator. */
export const CLUSTER_ID_ENV = 'KUBERNETES_AWS_AUTHENTICATOR_CLUSTER_ID';

/** Defaults of aws-iam-authenticator 0.7.18, except the two paths kubeiam leaves unset (see ServerConfig). */
export const SERVER_DEFAULTS = {
  partition: 'aws',
  port: 21362,
  address: '127.0.0.1',
  hostname: 'localhost',
  ec2DescribeInstancesQps: 15,
  ec2DescribeInstancesBurst: 5,
} as const;

/**
 * Parses a configuration file as YAML or JSON. `.json` files are parsed as JSON; every other
 * extension as YAML 1.2, which also reads JSON. Throws ServerConfigError naming the file and line.
 */
export function parseConfigFile(path: string, text: string): ConfigTree {
  let value: unknown;
  try {
    value = extname(path).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text, { uniqueKeys: false });
  } catch (error) {
    throw new ServerConfigError('CONFIG_FILE_INVALID', `cannot parse configuration file ${path}: ${(error as Error).message}`, { path });
  }
  if (value === null || value === undefined) return {};
  if (!isPlainObject(value)) {
    throw new ServerConfigError('CONFIG_FILE_INVALID', `configuration file ${path} must contain a map of keys, got ${describeValue(value)}`, { path });
  }
  return value;
}

/**
 * Merges flags, environment, configuration file and defaults (in that order of precedence, as viper
 * does), decodes the mapping lists with mapstructure's rules and validates the result. Throws
 * ServerConfigError naming the key and the fix.
 */
export function loadServerConfig(input: ServerConfigInput): ServerConfig {
  const tree = input.file === undefined ? {} : parseConfigFile(input.file.path, input.file.text);
  const flags = input.flags ?? {};
  const decoder = new Decoder();
  const text = (flag: string | undefined, key: string, fallback: string): string =>
    flag ?? (lookupKey(tree, key) === undefined ? fallback : decoder.string(key, lookupKey(tree, key)));

  const clusterId = flags.clusterId || input.env?.[CLUSTER_ID_ENV] || text(undefined, 'clusterID', '');
  if (clusterId === '') {
    throw new ServerConfigError('CLUSTER_ID_MISSING', `cluster ID cannot be empty: pass -i CLUSTER, set ${CLUSTER_ID_ENV}, or set clusterID in the configuration file`);
  }
  const partition = text(flags.partition, 'server.partition', SERVER_DEFAULTS.partition);
  if (!isPartitionId(partition)) {
    throw new ServerConfigError('PARTITION_INVALID', `invalid partition "${partition}" (server.partition or --partition): use one of ${PARTITION_IDS.join(', ')}`, { partition });
  }

  const backend = readBackendModes(flags.backendMode, lookupKey(tree, 'server.backendMode'), decoder);
  const config: ServerConfig = {
    clusterId,
    partition,
    port: readInteger('server.port', flags.port ?? lookupKey(tree, 'server.port'), SERVER_DEFAULTS.port, { min: 0, max: 65535 }),
    address: text(flags.address, 'server.address', SERVER_DEFAULTS.address),
    hostname: text(flags.hostname, 'server.hostname', SERVER_DEFAULTS.hostname),
    stateDir: text(flags.stateDir, 'server.stateDir', ''),
    generateKubeconfig: text(flags.generateKubeconfig, 'server.generateKubeconfig', ''),
    kubeconfigPregenerated: flags.kubeconfigPregenerated ?? readBoolean('server.kubeconfigPregenerated', lookupKey(tree, 'server.kubeconfigPregenerated')),
    kubeconfig: text(flags.kubeconfig, 'server.kubeconfig', ''),
    master: text(flags.master, 'server.master', ''),
    backendModes: backend.modes,
    backendModesConfigured: backend.configured,
    mounted: readMounted(tree, decoder),
    scrubbedAccounts: decoder.strings('server.scrubbedAccounts', lookupKey(tree, 'server.scrubbedAccounts')),
    reservedPrefixes: readReservedPrefixes(lookupKey(tree, 'server.reservedPrefixConfig'), decoder),
    dynamicFilePath: text(undefined, 'server.dynamicfilepath', ''),
    dynamicFileUserIdStrict: readBoolean('server.dynamicfileUserIDStrict', lookupKey(tree, 'server.dynamicfileUserIDStrict')),
    dynamicBackendModePath: text(undefined, 'server.dynamicBackendModePath', ''),
    ec2DescribeInstancesRoleArn: readArn('server.ec2DescribeInstancesRoleARN', text(undefined, 'server.ec2DescribeInstancesRoleARN', '')),
    sourceArn: readArn('server.sourceARN', text(undefined, 'server.sourceARN', '')),
    ec2DescribeInstancesQps: readNumber('server.ec2DescribeInstancesQps', flags.ec2DescribeInstancesQps ?? lookupKey(tree, 'server.ec2DescribeInstancesQps'), SERVER_DEFAULTS.ec2DescribeInstancesQps),
    ec2DescribeInstancesBurst: readInteger('server.ec2DescribeInstancesBurst', flags.ec2DescribeInstancesBurst ?? lookupKey(tree, 'server.ec2DescribeInstancesBurst'), SERVER_DEFAULTS.ec2DescribeInstancesBurst, { min: 0 }),
    warnings: backend.warnings,
  };

  reportDecodeIssues(decoder);
  checkDynamicFileCoupling(config);
  checkRateLimit(config);
  return config;
}

function readBackendModes(flag: string | undefined, fileValue: unknown, decoder: Decoder) {
  let names: string[];
  if (flag !== undefined) {
    names = splitBackendModes(flag, 'comma');
  } else if (typeof fileValue === 'string') {
    names = splitBackendModes(fileValue, 'whitespace');
  } else if (fileValue !== undefined && fileValue !== null) {
    names = decoder.strings('server.backendMode', fileValue);
  } else {
    return { modes: DEFAULT_BACKEND_MODES, warnings: [], configured: false };
  }
  return { ...validateBackendModes(names), configured: true };
}

function readMounted(tree: ConfigTree, decoder: Decoder): ServerConfig['mounted'] {
  const mapRoles = decoder.records('server.mapRoles', lookupKey(tree, 'server.mapRoles')).map((record, index) => {
    const path = `server.mapRoles[${index}]`;
    const sso = field(record, 'sso');
    return {
      rolearn: decoder.string(`${path}.rolearn`, field(record, 'rolearn')),
      ...(isPlainObject(sso)
        ? {
            sso: {
              permissionSetName: decoder.string(`${path}.sso.permissionSetName`, field(sso, 'permissionSetName')),
              accountID: decoder.string(`${path}.sso.accountID`, field(sso, 'accountID')),
              partition: decoder.string(`${path}.sso.partition`, field(sso, 'partition')),
            },
          }
        : {}),
      username: decoder.string(`${path}.username`, field(record, 'username')),
      groups: decoder.strings(`${path}.groups`, field(record, 'groups')),
      userid: decoder.string(`${path}.userid`, field(record, 'userid')),
    };
  });
  const mapUsers = decoder.records('server.mapUsers', lookupKey(tree, 'server.mapUsers')).map((record, index) => {
    const path = `server.mapUsers[${index}]`;
    return {
      userarn: decoder.string(`${path}.userarn`, field(record, 'userarn')),
      username: decoder.string(`${path}.username`, field(record, 'username')),
      groups: decoder.strings(`${path}.groups`, field(record, 'groups')),
      userid: decoder.string(`${path}.userid`, field(record, 'userid')),
    };
  });
  return { mapRoles, mapUsers, mapAccounts: decoder.strings('server.mapAccounts', lookupKey(tree, 'server.mapAccounts')) };
}

/** Reads `server.reservedPrefixConfig`: later entries for one backend replace earlier ones. */
function readReservedPrefixes(value: unknown, decoder: Decoder): Record<string, readonly string[]> {
  const byBackend: Record<string, readonly string[]> = {};
  decoder.records('server.reservedPrefixConfig', value).forEach((record, index) => {
    const path = `server.reservedPrefixConfig[${index}]`;
    const backend = decoder.string(`${path}.backendMode`, field(record, 'backendMode'));
    byBackend[backend] = decoder.strings(`${path}.usernamePrefixReserveList`, field(record, 'usernamePrefixReserveList'));
  });
  return byBackend;
}

function readBoolean(key: string, value: unknown): boolean {
  const decoder = new Decoder();
  const result = decoder.boolean(key, value);
  reportDecodeIssues(decoder);
  return result;
}

function readNumber(key: string, value: unknown, fallback: number): number {
  if (value === undefined || value === null || value === '') return fallback;
  let number = Number.NaN;
  if (typeof value === 'number') number = value;
  if (typeof value === 'string' && value.trim() !== '') number = Number(value.trim());
  if (!Number.isFinite(number) || number < 0) {
    throw new ServerConfigError('CONFIG_VALUE_INVALID', `invalid ${key} ${JSON.stringify(value)}: expected a number of 0 or more`, { key });
  }
  return number;
}

function readInteger(key: string, value: unknown, fallback: number, range: { min: number; max?: number }): number {
  const number = readNumber(key, value, fallback);
  const max = range.max ?? Number.MAX_SAFE_INTEGER;
  if (!Number.isInteger(number) || number < range.min || number > max) {
    throw new ServerConfigError('CONFIG_VALUE_INVALID', `invalid ${key} ${JSON.stringify(value)}: expected a whole number from ${range.min}${range.max === undefined ? '' : ` to ${range.max}`}`, { key });
  }
  return number;
}

function readArn(key: string, value: string): string {
  if (value === '') return value;
  try {
    parseArn(value);
  } catch {
    throw new ServerConfigError('CONFIG_VALUE_INVALID', `${key} "${value}" is not a valid ARN: expected arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`, { key });
  }
  return value;
}

function reportDecodeIssues(decoder: Decoder): void {
  const issue = decoder.issues[0];
  if (issue === undefined) return;
  const more = decoder.issues.length > 1 ? ` (and ${decoder.issues.length - 1} more)` : '';
  throw new ServerConfigError('CONFIG_VALUE_INVALID', `invalid value at ${issue.path}: ${issue.message}${more}`, { key: issue.path });
}

function checkDynamicFileCoupling(config: ServerConfig): void {
  const enabled = config.backendModes.includes('DynamicFile');
  if (enabled && config.dynamicFilePath === '') {
    throw new ServerConfigError('DYNAMIC_FILE_COUPLING', 'dynamicfile is set in backend-mode but dynamicfilepath is not set: set server.dynamicfilepath to the access-entries JSON file');
  }
  if (!enabled && config.dynamicFilePath !== '') {
    throw new ServerConfigError('DYNAMIC_FILE_COUPLING', 'dynamicfile is not set in backend-mode but dynamicfilepath is set: add DynamicFile to server.backendMode or remove server.dynamicfilepath');
  }
}

/** aws-iam-authenticator only logs a burst below 1 with a positive qps; kubeiam's limiter cannot run with it. */
function checkRateLimit(config: ServerConfig): void {
  if (config.ec2DescribeInstancesQps > 0 && config.ec2DescribeInstancesBurst < 1) {
    throw new ServerConfigError('CONFIG_VALUE_INVALID', `server.ec2DescribeInstancesBurst must be at least 1 when server.ec2DescribeInstancesQps is ${config.ec2DescribeInstancesQps}: raise the burst, or set the qps to 0 for no limit`);
  }
}

