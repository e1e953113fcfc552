import { readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAwsAuth, type ParsedAwsAuth } from '../../src/awsauth/index.js';
import { ACCOUNT_ID, isolatedEnv, runBuiltCli, temporaryDirectory, type ProcessResult } from './support.js';

// Each kubeiam process takes the file's lock, edits, backs up and renames, so N concurrent writers
// must leave exactly the union of their edits. These tests spawn the built bin (`npm run build`).
const WRITERS = 20;
const temporary = temporaryDirectory('kubeiam-writers-');
const env = isolatedEnv(temporary.dir);

beforeAll(() => {
  writeFileSync(join(temporary.dir, 'aws-config'), '');
  writeFileSync(join(temporary.dir, 'aws-credentials'), '');
});

afterAll(() => temporary.remove());

const userArn = (name: string): string => `arn:aws:iam::${ACCOUNT_ID}:user/${name}`;

/** Builds an aws-auth ConfigMap with an admin role and one `viewers` user per name. */
function awsAuthWithUsers(names: readonly string[]): string {
  const users = names.flatMap((name) => [`    - userarn: ${userArn(name)}`, `      username: ${name}`, '      groups:', '        - viewers']);
  return [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: aws-auth',
    '  namespace: kube-system',
    'data:',
    '  mapRoles: |',
    `    - rolearn: arn:aws:iam::${ACCOUNT_ID}:role/admin`,
    '      username: admin',
    '      groups:',
    '        - system:masters',
    ...(users.length === 0 ? [] : ['  mapUsers: |', ...users]),
    '',
  ].join('\n');
}

function grant(file: string, name: string): Promise<ProcessResult> {
  return runBuiltCli(['grant', 'user', userArn(name), '--username', name, '--group', 'viewers', '--file', file], env);
}

function revoke(file: string, name: string): Promise<ProcessResult> {
  return runBuiltCli(['revoke', 'user', userArn(name), '--file', file], env);
}

function parseFile(file: string): ParsedAwsAuth {
  return parseAwsAuth(readFileSync(file, 'utf8'), { sourceName: file });
}

function usernames(parsed: ParsedAwsAuth): string[] {
  return parsed.users.map((entry) => entry.mapping.username).sort();
}

/**
 * Reads and parses the file again and again until `work` settles, and returns every snapshot that
 * failed to parse (an atomic rename never exposes one) and the entry counts seen.
 */
async function watchWhile(file: string, work: Promise<unknown>): Promise<{ broken: string[]; reads: number }> {
  let done = false;
  void work.finally(() => {
    done = true;
  });
  const broken: string[] = [];
  let reads = 0;
  while (!done) {
    const text = readFileSync(file, 'utf8');
    const parsed = parseAwsAuth(text, { sourceName: file });
    reads++;
    if (!parsed.valid || parsed.problems.some((problem) => problem.severity === 'error')) broken.push(text);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return { broken, reads };
}

function siblings(file: string, marker: string): string[] {
  const base = file.slice(file.lastIndexOf('/') + 1);
  return readdirSync(temporary.dir).filter((name) => name.includes(base) && name.includes(marker));
}

describe('concurrent grant processes', () => {
  const file = join(temporary.dir, 'grants.yaml');
  const names = Array.from({ length: WRITERS }, (_, index) => `writer-${index}`);
  let results: ProcessResult[];
  let watched: { broken: string[]; reads: number };

  beforeAll(async () => {
    writeFileSync(file, awsAuthWithUsers([]), { mode: 0o600 });
    const work = Promise.all(names.map((name) => grant(file, name)));
    watched = await watchWhile(file, work);
    results = await work;
  }, 120_000);

  it('concurrent grants all succeed', () => {
    for (const result of results) expect(result.code, result.stderr).toBe(0);
  });

  it('concurrent grants lose no update', () => {
    expect(usernames(parseFile(file))).toEqual([...names].sort());
  });

  it('concurrent grants keep other entries', () => {
    expect(parseFile(file).roles.map((entry) => entry.mapping.username)).toEqual(['admin']);
  });

  it('file parses at every read', () => {
    expect(watched.reads).toBeGreaterThan(0);
    expect(watched.broken).toEqual([]);
  });

  it('concurrent grants write one backup each', () => {
    expect(siblings(file, '.bak-')).toHaveLength(WRITERS);
  });

  it('backups hold successive versions', () => {
    const counts = siblings(file, '.bak-').map((name) => parseAwsAuth(readFileSync(join(temporary.dir, name), 'utf8'), { sourceName: name }).users.length);
    expect(counts.sort((left, right) => left - right)).toEqual(Array.from({ length: WRITERS }, (_, index) => index));
  });

  it('concurrent grants leave no lock', () => {
    expect(siblings(file, '.lock')).toEqual([]);
    expect(siblings(file, '.tmp')).toEqual([]);
  });

  it('concurrent grants keep file mode', () => {
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});

describe('concurrent grant and revoke processes', () => {
  const file = join(temporary.dir, 'mixed.yaml');
  const existing = Array.from({ length: WRITERS / 2 }, (_, index) => `existing-${index}`);
  const kept = ['kept-0', 'kept-1'];
  const added = Array.from({ length: WRITERS / 2 }, (_, index) => `added-${index}`);
  let results: ProcessResult[];
  let watched: { broken: string[]; reads: number };

  beforeAll(async () => {
    writeFileSync(file, awsAuthWithUsers([...existing, ...kept]), { mode: 0o600 });
    const work = Promise.all([...existing.map((name) => revoke(file, name)), ...added.map((name) => grant(file, name))]);
    watched = await watchWhile(file, work);
    results = await work;
  }, 120_000);

  it('mixed writers all succeed', () => {
    for (const result of results) expect(result.code, result.stderr).toBe(0);
  });

  it('mixed writers apply every edit', () => {
    expect(usernames(parseFile(file))).toEqual([...kept, ...added].sort());
  });

  it('mixed writers keep the admin role', () => {
    expect(parseFile(file).roles.map((entry) => entry.mapping.username)).toEqual(['admin']);
  });

  it('mixed file parses at every read', () => {
    expect(watched.broken).toEqual([]);
  });

  it('mixed writers write one backup each', () => {
    expect(siblings(file, '.bak-')).toHaveLength(WRITERS);
  });

  it('mixed writers leave no lock', () => {
    expect(siblings(file, '.lock')).toEqual([]);
  });
});

describe('grant after a crashed writer', () => {
  it('stale lock is taken over', async () => {
    const file = join(temporary.dir, 'stale.yaml');
    writeFileSync(file, awsAuthWithUsers([]), { mode: 0o600 });
    writeFileSync(`${file}.lock`, '999999\n');
    const twoMinutesAgo = new Date(Date.now() - 2 * 60 * 1000);
    utimesSync(`${file}.lock`, twoMinutesAgo, twoMinutesAgo);

    const result = await grant(file, 'after-crash');

    expect(result.code, result.stderr).toBe(0);
    expect(usernames(parseFile(file))).toEqual(['after-crash']);
    expect(siblings(file, '.lock')).toEqual([]);
  });
});
