import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { awsError } from './errors.js';
import { isObject } from './json.js';
import { isCreateClusterOf, newestRecord, parseTrailRecord, type TrailRecord } from './trail.js';

const gunzipAsync = promisify(gunzip);
/** Largest decompressed log file read; CloudTrail delivers files of a few MiB. */
const MAX_FILE_BYTES = 256 * 1024 * 1024;

export interface TrailFileSearch {
  readonly clusterName: string;
  /** Only records of this region count; '' for any region (trails often cover all regions). */
  readonly region: string;
  /** Called after every file, for progress output. */
  readonly onFile?: (filesRead: number) => void;
}

export interface TrailFileProblem {
  readonly file: string;
  readonly message: string;
}

export interface TrailFileLookup {
  /** The newest successful EKS CreateCluster of the cluster in the files. */
  readonly record?: TrailRecord;
  readonly filesRead: number;
  readonly records: number;
  /** Files that could not be read or decoded; the others are still searched. */
  readonly problems: readonly TrailFileProblem[];
}

/**
 * Searches exported CloudTrail log files under a directory, recursively, for the CreateCluster call
 * of a cluster. A file is `*.json.gz` (as CloudTrail delivers it to S3) or `*.json`, and contains a
 * `{"Records":[…]}` object. Files without `Records` (digest files) are skipped. Throws
 * TRAIL_LOGS_UNREADABLE when the directory cannot be listed.
 */
export async function searchTrailFiles(directory: string, search: TrailFileSearch): Promise<TrailFileLookup> {
  const files = await listLogFiles(directory);
  const problems: TrailFileProblem[] = [];
  const matches: TrailRecord[] = [];
  let records = 0;
  let filesRead = 0;

  for (const file of files) {
    const result = await readRecords(file);
    filesRead += 1;
    search.onFile?.(filesRead);
    if ('problem' in result) {
      problems.push({ file, message: result.problem });
      continue;
    }
    records += result.records.length;
    matches.push(...result.records.filter((record) => isCreateClusterOf(record, search.clusterName, search.region)));
  }
  const record = newestRecord(matches);
  return { ...(record === undefined ? {} : { record }), filesRead, records, problems };
}

async function listLogFiles(directory: string): Promise<string[]> {
  let entries;
  try {
    entries = await fs.readdir(directory, { withFileTypes: true, recursive: true });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw awsError('TRAIL_LOGS_UNREADABLE', `cannot read the trail log directory ${directory}: ${reason}; pass the directory the trail files were downloaded to (aws s3 sync s3://BUCKET/AWSLogs/ DIR)`, { directory });
  }
  return entries
    .filter((entry) => entry.isFile() && (entry.name.endsWith('.json.gz') || entry.name.endsWith('.json')))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

async function readRecords(file: string): Promise<{ records: TrailRecord[] } | { problem: string }> {
  let text: string;
  try {
    const raw = await fs.readFile(file);
    const bytes = file.endsWith('.gz') ? await gunzipAsync(raw, { maxOutputLength: MAX_FILE_BYTES }) : raw;
    text = bytes.toString('utf8');
  } catch (error) {
    return { problem: error instanceof Error ? error.message : String(error) };
  }

  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { problem: `invalid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (!isObject(parsed) || !('Records' in parsed)) return { records: [] };
  const list = parsed.Records;
  if (!Array.isArray(list)) return { problem: 'Records is not a list' };
  return { records: list.map(parseTrailRecord).filter((record): record is TrailRecord => record !== undefined) };
}
