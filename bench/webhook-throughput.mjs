// P2: /authenticate throughput and latency on 127.0.0.1, each row against an anchor measured in the
// same run with the same client (bench/lib/load.mjs: closed loop, keep-alive HTTPS connections).
// The anchor and (a) run side by side and are measured in interleaved rounds. The ratio is the
// median of the per-round ratios, so a burst of load from other processes moves one round only.
//   anchor   a minimal Node HTTPS handler that returns a fixed TokenReview (same certificate and TLS)
//   (a)      the webhook with one token repeated and an in-process STS that responds at once. The
//            verified-token cache serves the second request and the response cache every later
//            one, so this is the cache path. Without the token cache it is the uncached path.
//   (b)      `kubeiam serve` with distinct tokens verified by `kubeiam emulator` (real SigV4 checks)
//   ceiling  the same presigned requests sent straight to the emulator: the most (b) can reach
// Also prints the peak RSS of the `kubeiam serve` process under load (b). When wrk is installed, the
// anchor and (a) are measured with wrk too, which shows whether the Node client limits the anchor.
// Usage: node bench/webhook-throughput.mjs [seconds per row and round, default 5] [connections, default 16]
// Needs `npm run build`. Every server is a child process on 127.0.0.1; nothing contacts AWS.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSelfSignedCertificate } from '../dist/webhook/index.js';
import { awsAuthForUsers, benchUser, CLUSTER_ID, distinctTokens, seedFor } from './lib/fixtures.mjs';
import { formatRow, runLoad, tokenReviewRequest } from './lib/load.mjs';
import { CLI, startServer } from './lib/processes.mjs';

const seconds = Number(process.argv[2] ?? 5);
const connections = Number(process.argv[3] ?? 16);
const WARM_UP_MS = 1_000;
/** Users of the token pool. 200 users sign 60,000 distinct tokens within 300 s, well inside the 15-minute window. */
const USERS = 200;
/** Upper bound on requests of a row with one repeated request. */
const MAX_REQUESTS = 2_000_000;
/** Size of each distinct-token pool, so also the upper bound on requests of rows (b) and ceiling. */
const MAX_DISTINCT = 60_000;
const THROUGHPUT_TARGET = 0.7;
/** Interleaved rounds of the anchor and row (a), with each client. */
const ROUNDS = 3;

const dir = mkdtempSync(join(tmpdir(), 'kubeiam-bench-p2-'));
const env = {
  PATH: process.env.PATH,
  HOME: dir,
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_CONFIG_FILE: join(dir, 'empty'),
  AWS_SHARED_CREDENTIALS_FILE: join(dir, 'empty'),
};

/** Measures one target after an unrecorded warm-up of the same load. */
async function measure(url, ca, nextRequest, maxRequests = MAX_REQUESTS) {
  await runLoad({ url, ca, connections, durationMs: WARM_UP_MS, maxRequests, nextRequest });
  return runLoad({ url, ca, connections, durationMs: seconds * 1000, maxRequests, nextRequest });
}

function writeFixtures(users) {
  const tls = generateSelfSignedCertificate({ commonName: 'kubeiam-bench', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] });
  const files = {
    cert: join(dir, 'cert.pem'),
    key: join(dir, 'key.pem'),
    awsAuth: join(dir, 'aws-auth.yaml'),
    seed: join(dir, 'seed.json'),
  };
  writeFileSync(join(dir, 'empty'), '');
  writeFileSync(files.cert, tls.cert);
  writeFileSync(files.key, tls.key, { mode: 0o600 });
  writeFileSync(files.awsAuth, awsAuthForUsers(users));
  writeFileSync(files.seed, JSON.stringify(seedFor(users)));
  return { ...files, ca: tls.cert };
}

const WRK = ['/usr/bin/wrk', '/usr/local/bin/wrk'].find((path) => spawnSync(path, ['--version']).error === undefined);

/** Runs wrk with the same connections and duration, or returns undefined without wrk. */
function measureWithWrk(url, request) {
  if (WRK === undefined) return undefined;
  const script = join(dir, 'post.lua');
  writeFileSync(script, `wrk.method = "POST"\nwrk.body = ${JSON.stringify(request.body)}\nwrk.headers["Content-Type"] = "application/json"\n`);
  const args = ['-t', '2', '-c', String(connections), '-d', `${seconds}s`, '--latency', '-s', script, `${url}/authenticate`];
  const output = spawnSync(WRK, args, { encoding: 'utf8' }).stdout;
  const milliseconds = (pattern) => {
    const match = pattern.exec(output);
    if (match === null) return Number.NaN;
    const factor = { us: 0.001, ms: 1, s: 1000 }[match[2]] ?? Number.NaN;
    return Number(match[1]) * factor;
  };
  const requests = Number(/(\d+) requests in/.exec(output)?.[1] ?? Number.NaN);
  const errors = Number(/Non-2xx or 3xx responses: (\d+)/.exec(output)?.[1] ?? 0);
  return {
    requests,
    errors,
    seconds,
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(output)?.[1] ?? Number.NaN),
    p50: milliseconds(/50%\s+([\d.]+)(us|ms|s)/),
    p99: milliseconds(/99%\s+([\d.]+)(us|ms|s)/),
    statuses: {},
  };
}

/**
 * Returns a request source that uses each token once, across the warm-up and the measured run, and
 * ends the run when the pool is used up.
 */
function nextOf(tokens, toRequest) {
  let cursor = 0;
  return () => (cursor < tokens.length ? toRequest(tokens[cursor++]) : undefined);
}

/** Clock ticks per second of /proc CPU times. */
const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;

/** User plus system CPU seconds of a process so far (utime and stime in /proc), or NaN off Linux. */
function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which ends at the last ')'. State is the first and utime the 12th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}

/** Runs `measureOnce` and adds the server's CPU time per request in µs to its result. */
async function withServerCpu(pid, measureOnce) {
  const before = cpuSeconds(pid);
  const result = await measureOnce();
  return { ...result, cpuUs: ((cpuSeconds(pid) - before) * 1e6) / result.requests };
}

/**
 * Measures the anchor and row (a) in ROUNDS interleaved rounds, each round with the Node.js client
 * and then with wrk, alternating which of the two goes first. Also returns how many STS calls the
 * in-process transport of (a) received.
 */
async function measureCachedRows(files, token) {
  const anchor = await startServer(process.execPath, ['bench/servers/anchor.mjs', files.cert, files.key], env);
  const fakeArgs = ['bench/servers/webhook-fake-sts.mjs', files.cert, files.key, files.awsAuth, String(USERS)];
  const webhook = await startServer(process.execPath, fakeArgs, env);
  try {
    const targets = {
      anchor: { pid: anchor.pid, url: anchor.url, request: tokenReviewRequest('k8s-aws-v1.anchor') },
      fake: { pid: webhook.pid, url: webhook.url, request: tokenReviewRequest(token) },
    };
    const load = (name, durationMs) => {
      const { pid, url, request } = targets[name];
      const options = { url, ca: files.ca, connections, durationMs, maxRequests: MAX_REQUESTS, nextRequest: () => request };
      return withServerCpu(pid, () => runLoad(options));
    };
    await load('anchor', WARM_UP_MS);
    await load('fake', WARM_UP_MS);

    const rounds = [];
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? ['anchor', 'fake'] : ['fake', 'anchor'];
      const node = {};
      const wrk = {};
      for (const name of order) node[name] = await load(name, seconds * 1000);
      for (const name of order) {
        const { pid, url, request } = targets[name];
        wrk[name] = WRK === undefined ? undefined : await withServerCpu(pid, async () => measureWithWrk(url, request));
      }
      rounds.push({ node, wrk });
    }

    await webhook.stop();
    const calls = /sts-calls=(\d+)/.exec(webhook.output());
    return { rounds, stsCalls: calls === null ? Number.NaN : Number(calls[1]) };
  } finally {
    await webhook.stop();
    await anchor.stop();
  }
}

/**
 * Returns the round whose (a)/anchor ratio is the median, with that ratio and every round's ratio,
 * and the median server CPU per request of each row over all rounds.
 */
function medianRound(rounds, client) {
  const ratios = rounds.map((round) => round[client].fake.rps / round[client].anchor.rps);
  const order = ratios.map((ratio, index) => index).sort((left, right) => ratios[left] - ratios[right]);
  const median = order[Math.floor(order.length / 2)];
  const medianCpu = (name) => rounds.map((round) => round[client][name].cpuUs).sort((left, right) => left - right)[Math.floor(rounds.length / 2)];
  return { round: rounds[median][client], ratio: ratios[median], ratios, cpuUs: { anchor: medianCpu('anchor'), fake: medianCpu('fake') } };
}

/** Rows (b) and ceiling, with the peak RSS of `kubeiam serve` before and after the load. */
async function measureEmulator(files, users) {
  const emulator = await startServer(process.execPath, [CLI, 'emulator', '--seed', files.seed], env);
  const serveArgs = [CLI, 'serve', '--cluster-id', CLUSTER_ID, '--aws-auth-file', files.awsAuth, '--tls-cert', files.cert, '--tls-key', files.key];
  const serve = await startServer(process.execPath, [...serveArgs, '--port', '0', '--sts-endpoint-override', emulator.url], env);
  try {
    const idleRssKb = serve.peakRssKb();
    const webhookTokens = await distinctTokens(users, MAX_DISTINCT);
    const viaWebhook = await measure(serve.url, files.ca, nextOf(webhookTokens, (token) => tokenReviewRequest(token.token)), MAX_DISTINCT);
    const peakRssKb = serve.peakRssKb();

    const directTokens = await distinctTokens(users, MAX_DISTINCT, new Date(Date.now() - 300_000));
    const headers = { host: 'sts.us-east-1.amazonaws.com', 'x-k8s-aws-id': CLUSTER_ID, accept: 'application/json' };
    const direct = await measure(
      emulator.url,
      undefined,
      nextOf(directTokens, (token) => ({ method: 'GET', path: token.url.slice(token.url.indexOf('/', 'https://'.length)), headers })),
      MAX_DISTINCT,
    );
    return { viaWebhook, direct, idleRssKb, peakRssKb };
  } finally {
    await serve.stop();
    await emulator.stop();
  }
}

try {
  const users = Array.from({ length: USERS }, (_, index) => benchUser(index));
  const files = writeFixtures(users);
  const [cachedToken] = await distinctTokens(users.slice(0, 1), 1);

  const cachedRows = await measureCachedRows(files, cachedToken.token);
  const emulated = await measureEmulator(files, users);

  const totalRequests = cachedRows.rounds.reduce((sum, round) => sum + round.node.fake.requests, 0);
  const cached = cachedRows.stsCalls < totalRequests / 2;
  const label = cached ? '(a) webhook, cached token' : '(a) webhook, in-process STS, no cache';
  const verdict = (ratio) => `target >= ${THROUGHPUT_TARGET}: ${ratio >= THROUGHPUT_TARGET ? 'met' : 'missed'}`;
  const listed = (ratios) => ratios.map((ratio) => ratio.toFixed(3)).join(' ');
  const nodeClient = medianRound(cachedRows.rounds, 'node');

  console.log(`P2 webhook throughput (${connections} connections, ${seconds} s per row and round, ${ROUNDS} rounds after ${WARM_UP_MS / 1000} s warm-up, ${process.version}):`);
  console.log(formatRow('anchor: fixed TokenReview (median round)', nodeClient.round.anchor));
  console.log(formatRow(`${label} (median round)`, nodeClient.round.fake));
  console.log(formatRow('(b) kubeiam serve + emulator, distinct tokens', emulated.viaWebhook));
  console.log(formatRow('ceiling: emulator alone, distinct tokens', emulated.direct));
  if (WRK !== undefined) {
    const wrk = medianRound(cachedRows.rounds, 'wrk');
    console.log(formatRow('anchor with wrk (median round)', wrk.round.anchor));
    console.log(formatRow(`${label.slice(0, 3)} with wrk (median round)`, wrk.round.fake));
    console.log(`  (a) ratio vs anchor, wrk  ${wrk.ratio.toFixed(3)} (rounds: ${listed(wrk.ratios)}; ${verdict(wrk.ratio)})`);
    console.log(`  server CPU per request, wrk: anchor ${wrk.cpuUs.anchor.toFixed(1)} µs, (a) ${wrk.cpuUs.fake.toFixed(1)} µs (medians of rounds)`);
  }
  console.log(`  STS calls during (a): ${cachedRows.stsCalls} for ${totalRequests} requests from the Node.js client (plus warm-up and wrk)`);
  console.log(`  (a) ratio vs anchor       ${nodeClient.ratio.toFixed(3)} (rounds: ${listed(nodeClient.ratios)}; ${verdict(nodeClient.ratio)})`);
  console.log(`  server CPU per request, Node.js client: anchor ${nodeClient.cpuUs.anchor.toFixed(1)} µs, (a) ${nodeClient.cpuUs.fake.toFixed(1)} µs`);
  console.log(`  (b) ratio vs emulator     ${(emulated.viaWebhook.rps / emulated.direct.rps).toFixed(3)}`);
  console.log(`  kubeiam serve peak RSS    ${(emulated.idleRssKb / 1024).toFixed(1)} MiB idle, ${(emulated.peakRssKb / 1024).toFixed(1)} MiB after load (b)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
