import { clientConfig, type AwsTarget } from './config.js';
import { callFailed } from './errors.js';
import {
  CREATE_CLUSTER_EVENT,
  EVENT_HISTORY_DAYS,
  isCreateClusterOf,
  newestRecord,
  parseTrailRecord,
  type TrailRecord,
} from './trail.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Largest page LookupEvents returns. */
const PAGE_SIZE = 50;

export interface CreateClusterSearch {
  readonly clusterName: string;
  readonly now: Date;
  /** Called after every page, for progress output. */
  readonly onPage?: (progress: SearchProgress) => void;
  /** Stops after this many pages. Default: no limit, since event history is bounded by its 90 days. */
  readonly maxPages?: number;
}

export interface SearchProgress {
  readonly pages: number;
  readonly events: number;
}

export interface CreateClusterLookup {
  /** The newest successful EKS CreateCluster of the cluster; undefined when event history has none. */
  readonly record?: TrailRecord;
  /** The window searched: event history keeps 90 days. */
  readonly start: Date;
  readonly end: Date;
  readonly pages: number;
  readonly events: number;
  /** Events whose CloudTrailEvent was not a valid CloudTrail record. */
  readonly invalid: number;
}

/**
 * Searches CloudTrail event history (LookupEvents, EventName=CreateCluster, 90 days, all pages) of
 * the target's region for the CreateCluster call of a cluster. Stops at the first page with a match,
 * because LookupEvents returns the newest events first. Throws AWS_CALL_FAILED when CloudTrail fails
 * after the SDK's retries (it allows 2 LookupEvents calls a second per account and region).
 */
export async function lookupCreateCluster(target: AwsTarget, search: CreateClusterSearch): Promise<CreateClusterLookup> {
  const { CloudTrailClient, LookupEventsCommand } = await import('@aws-sdk/client-cloudtrail');
  const client = new CloudTrailClient(clientConfig(target, 'CLOUDTRAIL'));
  const end = search.now;
  const start = new Date(end.getTime() - EVENT_HISTORY_DAYS * DAY_MS);
  let nextToken: string | undefined;
  const progress = { pages: 0, events: 0, invalid: 0 };
  try {
    do {
      const response = await client.send(new LookupEventsCommand({
        LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: CREATE_CLUSTER_EVENT }],
        StartTime: start,
        EndTime: end,
        MaxResults: PAGE_SIZE,
        ...(nextToken === undefined ? {} : { NextToken: nextToken }),
      }));
      const events = response.Events ?? [];
      progress.pages += 1;
      progress.events += events.length;
      search.onPage?.({ pages: progress.pages, events: progress.events });

      const records = events.map((event) => parseEvent(event.CloudTrailEvent));
      progress.invalid += records.filter((record) => record === undefined).length;
      const matches = records.filter((record): record is TrailRecord => record !== undefined && isCreateClusterOf(record, search.clusterName, target.region));
      const record = newestRecord(matches);
      if (record !== undefined) return { record, start, end, ...progress };
      nextToken = response.NextToken || undefined;
    } while (nextToken !== undefined && (search.maxPages === undefined || progress.pages < search.maxPages));
  } catch (error) {
    throw callFailed('cloudtrail:LookupEvents', `cluster ${search.clusterName}`, error);
  } finally {
    client.destroy();
  }
  return { start, end, ...progress };
}

/** `CloudTrailEvent` is the full record as a JSON string inside the LookupEvents response. */
function parseEvent(text: string | undefined): TrailRecord | undefined {
  if (text === undefined) return undefined;
  try {
    return parseTrailRecord(JSON.parse(text));
  } catch {
    return undefined;
  }
}
