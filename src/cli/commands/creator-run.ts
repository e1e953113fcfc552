import { resolve } from 'node:path';
import { lookupCreateCluster, type CreateClusterLookup } from '../../aws/cloudtrail.js';
import { createAwsTarget } from '../../aws/target.js';
import { searchTrailFiles, type TrailFileLookup } from '../../aws/trail-files.js';
import { creatorFromRecord, EVENT_HISTORY_DAYS, type ClusterCreator } from '../../aws/trail.js';
import { explicitRegion } from '../../aws/config.js';
import { CliError } from '../errors.js';
import { EXIT, type CommandContext } from '../io.js';
import { renderJson } from '../output.js';
import { listAdminEntries, type AdminEntries } from './creator-entries.js';
import { createProgress } from './creator-progress.js';
import type { CreatorOptions } from './creator.js';

/**
 * The `-o json` document of `kubeiam creator`. Stable: fields are only ever added.
 *
 * {
 *   "cluster": "prod", "region": "eu-west-1", "found": true,
 *   "search": { "source": "event-history", "start": "…Z", "end": "…Z", "days": 90, "pages": 3, "events": 120 }
 *           | { "source": "trail-logs", "directory": "/abs/dir", "files": 12, "records": 3400, "problems": [{ "file", "message" }] },
 *   "creator": { "identityType": "AssumedRole", "identityArn": "…:assumed-role/Admin/alice",
 *                "principalArn": "…:role/team/Admin", "canonicalArn": "…:role/Admin",
 *                "eventTime": "…", "eventId": "…", "notes": ["…"] },    // absent when not found
 *   "adminEntries": { "status": "listed", "policyArn": "…AmazonEKSClusterAdminPolicy", "principalArns": ["…"] }
 *                 | { "status": "config-map-only" } | { "status": "failed", "message": "…" }
 *                   // only when event history had no CreateCluster of the cluster
 * }
 */
interface CreatorReport {
  readonly cluster: string;
  readonly region: string;
  readonly found: boolean;
  readonly search: HistorySearch | LogSearch;
  readonly creator?: Omit<ClusterCreator, 'clusterName' | 'region'>;
  readonly adminEntries?: AdminEntries;
}

interface HistorySearch {
  readonly source: 'event-history';
  readonly start: string;
  readonly end: string;
  readonly days: number;
  readonly pages: number;
  readonly events: number;
}

interface LogSearch {
  readonly source: 'trail-logs';
  readonly directory: string;
  readonly files: number;
  readonly records: number;
  readonly problems: TrailFileLookup['problems'];
}

export async function runCreator(options: CreatorOptions, context: CommandContext): Promise<number> {
  const report = options.fromLogs ? await searchLogs(options, context) : await searchHistory(options, context);
  const { io } = context;
  if (options.output === 'json') io.stdout(renderJson(report));
  else if (report.found) io.stdout(renderText(report, context));
  else if (report.search.source === 'trail-logs') printProblems(report.search, context);
  else if (report.adminEntries !== undefined) io.stdout(renderAdminEntries(report.adminEntries, context));

  if (report.found) return EXIT.ok;
  if (report.search.source === 'event-history') {
    throw new CliError('creator.notFoundHistory', {
      cluster: report.cluster, region: report.region, start: report.search.start, end: report.search.end, days: EVENT_HISTORY_DAYS,
    });
  }
  throw new CliError('creator.notFoundLogs', {
    cluster: report.cluster, files: report.search.files, directory: report.search.directory, region: report.region || '*',
  });
}

/** How often a wait for a CloudTrail page is checked for the progress line. */
const WAIT_TICK_MS = 250;

async function searchHistory(options: CreatorOptions, context: CommandContext): Promise<CreatorReport> {
  const { io, t } = context;
  const target = await createAwsTarget(io.env, options);
  const progress = createProgress(io, options.output !== 'json');
  const lastPage = { pages: 0, events: 0, at: io.now().getTime() };
  // The SDK retries throttled calls (2 LookupEvents a second) internally, so a slow page gets its own line.
  const ticker = setInterval(() => {
    const seconds = Math.floor((io.now().getTime() - lastPage.at) / 1000);
    if (seconds >= 1) progress.update(t('creator.progressWaiting', { page: lastPage.pages + 1, events: lastPage.events, seconds }));
  }, WAIT_TICK_MS);
  ticker.unref();
  let lookup: CreateClusterLookup;
  try {
    lookup = await lookupCreateCluster(target, {
      clusterName: options.cluster,
      now: io.now(),
      onPage: ({ pages, events }) => {
        Object.assign(lastPage, { pages, events, at: io.now().getTime() });
        progress.update(t('creator.progressHistory', { pages, events }));
      },
    });
  } finally {
    clearInterval(ticker);
    progress.done();
  }
  const search: HistorySearch = {
    source: 'event-history',
    start: lookup.start.toISOString(),
    end: lookup.end.toISOString(),
    days: EVENT_HISTORY_DAYS,
    pages: lookup.pages,
    events: lookup.events,
  };
  if (lookup.record !== undefined) return reportOf(options.cluster, target.region, search, creatorFromRecord(lookup.record));
  const adminEntries = await listAdminEntries(target, options.cluster);
  return { ...reportOf(options.cluster, target.region, search, undefined), adminEntries };
}

function renderAdminEntries(entries: AdminEntries, context: CommandContext): string {
  const { t } = context;
  if (entries.status === 'config-map-only') return `${t('creator.entriesConfigMap')}\n`;
  if (entries.status === 'failed') return `${t('creator.entriesFailed', { message: entries.message })}\n`;
  if (entries.principalArns.length === 0) return `${t('creator.entriesNone')}\n`;
  const lines = [t('creator.entriesListed'), ...entries.principalArns.map((arn) => `  ${arn}`)];
  return `${lines.join('\n')}\n`;
}

async function searchLogs(options: CreatorOptions, context: CommandContext): Promise<CreatorReport> {
  const { io, t } = context;
  const directory = resolve(io.cwd, options.fromLogs ?? '.');
  const region = explicitRegion(options.region, io.env);
  const progress = createProgress(io, options.output !== 'json');
  let lookup: TrailFileLookup;
  try {
    lookup = await searchTrailFiles(directory, {
      clusterName: options.cluster,
      region,
      onFile: (files) => progress.update(t('creator.progressLogs', { files })),
    });
  } finally {
    progress.done();
  }
  const search: LogSearch = { source: 'trail-logs', directory, files: lookup.filesRead, records: lookup.records, problems: lookup.problems };
  return reportOf(options.cluster, region, search, lookup.record === undefined ? undefined : creatorFromRecord(lookup.record));
}

function reportOf(cluster: string, region: string, search: HistorySearch | LogSearch, creator: ClusterCreator | undefined): CreatorReport {
  if (creator === undefined) return { cluster, region, found: false, search };
  const { clusterName: _name, region: recordRegion, ...rest } = creator;
  return { cluster, region: region || recordRegion, found: true, search, creator: rest };
}

function renderText(report: CreatorReport, context: CommandContext): string {
  const { t } = context;
  const creator = report.creator;
  if (creator === undefined) return '';
  const lines = [t('creator.title', { cluster: report.cluster, region: report.region })];
  if (creator.identityArn !== undefined) lines.push(`  ${t('creator.caller', { arn: creator.identityArn, type: creator.identityType })}`);
  else lines.push(`  ${t('creator.callerType', { type: creator.identityType })}`);
  if (creator.principalArn !== undefined && creator.principalArn !== creator.canonicalArn) {
    lines.push(`  ${t('creator.principal', { arn: creator.principalArn })}`);
  }
  if (creator.canonicalArn !== undefined) lines.push(`  ${t('creator.canonical', { arn: creator.canonicalArn })}`);
  if (creator.eventId === '') lines.push(`  ${t('creator.createdAt', { time: creator.eventTime })}`);
  else lines.push(`  ${t('creator.created', { time: creator.eventTime, eventId: creator.eventId })}`);
  for (const note of creator.notes) lines.push(`  ${t('creator.note', { note })}`);
  lines.push(searchLine(report, context));
  if (creator.canonicalArn !== undefined) lines.push(t('creator.warning', { arn: creator.canonicalArn }));
  else lines.push(t('creator.noPrincipal'));
  return `${lines.join('\n')}\n`;
}

function searchLine(report: CreatorReport, context: CommandContext): string {
  const { search } = report;
  if (search.source === 'event-history') {
    return context.t('creator.searchedHistory', { region: report.region, start: search.start, end: search.end, days: search.days, pages: search.pages, events: search.events });
  }
  printProblems(search, context);
  return context.t('creator.searchedLogs', { files: search.files, directory: search.directory, records: search.records });
}

function printProblems(search: LogSearch, context: CommandContext): void {
  for (const problem of search.problems) {
    context.io.stderr(`${context.t('creator.logProblem', { file: problem.file, message: problem.message })}\n`);
  }
}
