// P3: how aws-auth handling grows with the number of entries (100, 1,000, 10,000, 100,000).
//   parse+index  parseAwsAuth of the whole ConfigMap text, then createAwsAuthSource (the lookup table)
//   lookup       source.map() per identity, averaged over hits on roles (as assumed roles), hits on
//                users and misses
//   grant        `kubeiam grant user … --file` end to end (a new process: read, edit, validate, lint
//                guards, diff, backup, atomic write), and its peak RSS
// Targets at 10,000 entries: parse+index <= 100 ms, lookup <= 5 µs, grant <= 0.5 s. Growth columns
// divide each size's time by the 100-entry time; `node -e 0` is the floor of any process.
// Usage: node bench/mapping-scale.mjs [largest size, default 100000]. Needs `npm run build`.
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAwsAuth } from '../dist/awsauth/index.js';
import { createAwsAuthSource, identityFromArn } from '../dist/mapping/index.js';
import { ACCOUNT_ID, generatedAwsAuth } from './lib/fixtures.mjs';
import { CLI, runMeasured } from './lib/processes.mjs';

const largest = Number(process.argv[2] ?? 100_000);
const SIZES = [100, 1_000, 10_000, 100_000].filter((size) => size <= largest);
const LOOKUPS = 300_000;
const TARGETS = { size: 10_000, parseMs: 100, lookupUs: 5, grantMs: 500 };

const dir = mkdtempSync(join(tmpdir(), 'kubeiam-bench-p3-'));
const env = {
  PATH: process.env.PATH,
  HOME: dir,
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_CONFIG_FILE: join(dir, 'empty'),
  AWS_SHARED_CREDENTIALS_FILE: join(dir, 'empty'),
};

function median(values) {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Median parse, index and parse+index times in ms; also returns the source of the last run. */
function measureParse(text, size) {
  const runs = size >= 100_000 ? 1 : 7;
  const parseTimes = [];
  const indexTimes = [];
  let source;
  for (let run = 0; run <= runs; run++) {
    const started = performance.now();
    // A distinct source name per run, because parseAwsAuth keeps recent results for identical input.
    const parsed = parseAwsAuth(text, { sourceName: `aws-auth-run-${run}.yaml` });
    const parsedAt = performance.now();
    source = createAwsAuthSource(parsed);
    const indexedAt = performance.now();
    if (parsed.roles.length + parsed.users.length !== size) throw new Error(`parsed ${parsed.roles.length + parsed.users.length} entries, expected ${size}`);

    // The first run warms up the JIT, except at sizes where one run takes seconds.
    if (run > 0 || runs === 1) {
      parseTimes.push(parsedAt - started);
      indexTimes.push(indexedAt - parsedAt);
    }
    if (runs === 1) break;
  }
  const parseMs = median(parseTimes);
  const indexMs = median(indexTimes);
  return { parseMs, indexMs, ms: parseMs + indexMs, source };
}

/** Identities spread over the file: assumed roles, users, and unmapped roles in equal thirds. */
function identitiesFor(size) {
  const identities = [];
  const step = Math.max(1, Math.floor(size / 1000));
  for (let index = 0; index < size; index += step) {
    const arn = index % 3 === 2
      ? `arn:aws:iam::${ACCOUNT_ID}:user/team/user-${index}`
      : `arn:aws:sts::${ACCOUNT_ID}:assumed-role/role-${index}/session-${index}`;
    identities.push(identityFromArn(arn));
    identities.push(identityFromArn(`arn:aws:sts::${ACCOUNT_ID}:assumed-role/unmapped-${index}/session`));
  }
  return identities;
}

/** Mean µs per source.map() call; checks that hits and misses come out as generated. */
function measureLookup(source, size) {
  const identities = identitiesFor(size);
  let hits = 0;
  for (let index = 0; index < 10_000; index++) source.map(identities[index % identities.length]);

  const started = performance.now();
  for (let index = 0; index < LOOKUPS; index++) {
    if (source.map(identities[index % identities.length]) !== undefined) hits++;
  }
  const us = ((performance.now() - started) * 1000) / LOOKUPS;
  if (Math.abs(hits / LOOKUPS - 0.5) > 0.01) throw new Error(`lookup hit rate ${hits / LOOKUPS}, expected 0.5`);
  return us;
}

/** Median wall time and peak RSS of `kubeiam grant` on a fresh copy of the file. */
function measureGrant(file, size) {
  const runs = size >= 100_000 ? 1 : 3;
  const results = [];
  for (let run = 0; run < runs; run++) {
    const copy = join(dir, `grant-${size}-${run}.yaml`);
    copyFileSync(file, copy);
    const arn = `arn:aws:iam::${ACCOUNT_ID}:user/new-user-${run}`;
    const result = runMeasured(process.execPath, [CLI, 'grant', 'user', arn, '--username', `new-user-${run}`, '--group', 'viewers', '--file', copy], env);
    if (result.status !== 0) throw new Error(`grant on ${size} entries exited with ${result.status}: ${result.stderr}`);
    results.push(result);
  }
  return { ms: median(results.map((result) => result.ms)), peakRssKb: Math.max(...results.map((result) => result.peakRssKb)) };
}

function verdict(value, limit) {
  return value <= limit ? 'met' : 'MISSED';
}

try {
  writeFileSync(join(dir, 'empty'), '');
  const floor = median([0, 1, 2, 3, 4].map(() => runMeasured(process.execPath, ['-e', '0'], env).ms));
  const rows = [];
  for (const size of SIZES) {
    const text = generatedAwsAuth(size);
    const file = join(dir, `aws-auth-${size}.yaml`);
    writeFileSync(file, text);
    const parse = measureParse(text, size);
    const lookupUs = measureLookup(parse.source, size);
    const grant = measureGrant(file, size);
    rows.push({ size, bytes: text.length, parseOnlyMs: parse.parseMs, indexMs: parse.indexMs, parseMs: parse.ms, lookupUs, grantMs: grant.ms, grantRssKb: grant.peakRssKb });
  }
  const backups = readdirSync(dir).filter((name) => name.includes('.bak-')).length;

  const first = rows[0];
  console.log(`P3 mapping scale (${process.version}; ${LOOKUPS} lookups per size; node -e 0 takes ${floor.toFixed(1)} ms):`);
  console.log('  entries   file MiB  parse ms  index ms  parse+index ms  growth  lookup µs  growth  grant ms  growth  grant peak RSS MiB');
  for (const row of rows) {
    console.log(
      `  ${String(row.size).padStart(7)}  ${(row.bytes / 2 ** 20).toFixed(2).padStart(9)}  ${row.parseOnlyMs.toFixed(1).padStart(8)}  ${row.indexMs.toFixed(1).padStart(8)}  ${row.parseMs.toFixed(2).padStart(14)}  ${(row.parseMs / first.parseMs).toFixed(1).padStart(6)}  ${row.lookupUs
        .toFixed(3)
        .padStart(9)}  ${(row.lookupUs / first.lookupUs).toFixed(1).padStart(6)}  ${row.grantMs.toFixed(0).padStart(8)}  ${(row.grantMs / first.grantMs)
        .toFixed(1)
        .padStart(6)}  ${(row.grantRssKb / 1024).toFixed(1).padStart(18)}`,
    );
  }
  const target = rows.find((row) => row.size === TARGETS.size);
  if (target !== undefined) {
    console.log(`  at ${TARGETS.size}: parse+index ${target.parseMs.toFixed(1)} ms (target <= ${TARGETS.parseMs}: ${verdict(target.parseMs, TARGETS.parseMs)}), lookup ${target.lookupUs.toFixed(3)} µs (target <= ${TARGETS.lookupUs}: ${verdict(target.lookupUs, TARGETS.lookupUs)}), grant ${target.grantMs.toFixed(0)} ms (target <= ${TARGETS.grantMs}: ${verdict(target.grantMs, TARGETS.grantMs)})`);
  }
  console.log(`  grant wrote ${backups} backups, one per run`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
