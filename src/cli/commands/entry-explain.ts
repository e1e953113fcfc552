import type { Command } from 'commander';
import { promises as fs } from 'node:fs';
import { resolve } from 'node:path';
import type { AuthenticationMode } from '../../accessentries/types.js';
import type { MappingSource } from '../../mapping/types.js';
import { CliError, usageError } from '../errors.js';
import type { CommandContext } from '../io.js';
import type { ClusterOptions } from './entry-options.js';

/** The explain options this module adds: where access entries come from and the mode to apply. */
interface AccessEntryExplainOptions {
  readonly file?: string;
  readonly cluster?: string;
  readonly region?: string;
  readonly profile?: string;
  readonly endpointUrl?: string;
  readonly accessEntriesFile?: string;
  readonly authMode?: string;
}

/**
 * Adds the access-entry options to the `explain` command registered before: `--cluster` (read the
 * mode and entries from EKS), `--access-entries-file`, `--auth-mode`, and the AWS options.
 * NOTE: they are added here because explain.ts belongs to the explain renderer; moving them into
 * registerExplain would make `kubeiam explain --help` list them in one place.
 */
export function addExplainAccessEntryOptions(program: Command, context: CommandContext): void {
  const { t } = context;
  const explain = program.commands.find((command) => command.name() === 'explain');
  if (explain === undefined) return;
  explain
    .option('--cluster <name>', t('help.explain.eksCluster'))
    .option('--region <region>', t('help.eks.region'))
    .option('--profile <profile>', t('help.eks.profile'))
    .option('--endpoint-url <url>', t('help.eks.endpointUrl'))
    .option('--access-entries-file <path>', t('help.explain.accessEntriesFile'))
    .option('--auth-mode <mode>', t('help.explain.authMode'));
}

function pick(options: object): AccessEntryExplainOptions {
  const record = options as Record<string, unknown>;
  const text = (name: string): { [key: string]: string } => (typeof record[name] === 'string' ? { [name]: record[name] } : {});
  return { ...text('file'), ...text('cluster'), ...text('region'), ...text('profile'), ...text('endpointUrl'), ...text('accessEntriesFile'), ...text('authMode') };
}

async function readText(file: string, context: CommandContext): Promise<string> {
  try {
    return await fs.readFile(resolve(context.io.cwd, file), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new CliError('read.fileMissing', { file });
    throw error;
  }
}

async function checkedMode(mode: string | undefined): Promise<AuthenticationMode | undefined> {
  if (mode === undefined) return undefined;
  const { assertNoProblems } = await import('../../accessentries/errors.js');
  const { checkMode } = await import('../../accessentries/rules.js');
  assertNoProblems(checkMode(mode));
  return mode as AuthenticationMode;
}

/**
 * Adds access-entry sources to explain's sources and orders them by authentication mode (see
 * orderSourcesForMode): the mode comes from --auth-mode, else the cluster or the file, else
 * API_AND_CONFIG_MAP. Without --cluster or --access-entries-file the sources are returned as given.
 */
export async function withAccessEntrySources(sources: readonly MappingSource[], options: object, context: CommandContext): Promise<MappingSource[]> {
  const picked = pick(options);
  if (picked.cluster === undefined && picked.accessEntriesFile === undefined) return [...sources];
  if (picked.cluster !== undefined && picked.accessEntriesFile !== undefined) throw usageError('explain.entriesTwice');
  const { createAccessEntrySource, orderSourcesForMode } = await import('../../accessentries/source.js');

  const loaded = picked.cluster !== undefined ? await fromCluster({ ...picked, cluster: picked.cluster }, context) : await fromFile(picked.accessEntriesFile ?? '', context);
  const mode = (await checkedMode(picked.authMode)) ?? loaded.mode ?? 'API_AND_CONFIG_MAP';
  const awsAuth = sources.find((source) => source.name === picked.file);
  const others = sources.filter((source) => source !== awsAuth);
  const accessEntries = createAccessEntrySource(loaded.entries);
  return [...others, ...orderSourcesForMode({ mode, accessEntries, ...(awsAuth ? { awsAuth } : {}) })];
}

type Loaded = { entries: import('../../accessentries/types.js').AccessEntry[]; mode?: AuthenticationMode };

async function fromFile(file: string, context: CommandContext): Promise<Loaded> {
  const { parseAccessEntriesFile } = await import('../../accessentries/file.js');
  const parsed = parseAccessEntriesFile(await readText(file, context), file);
  return { entries: [...parsed.entries], ...(parsed.authenticationMode ? { mode: parsed.authenticationMode } : {}) };
}

async function fromCluster(options: ClusterOptions, context: CommandContext): Promise<Loaded> {
  const { eksClientFor } = await import('./entry-common.js');
  const client = await eksClientFor(options, context);
  const cluster = await client.describeCluster();
  const entries = cluster.authenticationMode === 'CONFIG_MAP' ? [] : await client.readAllEntries();
  return { entries, mode: cluster.authenticationMode };
}
