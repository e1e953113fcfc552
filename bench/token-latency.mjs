// P1: wall time of `kubeiam token` against its anchors measured in the same run on this machine:
// `aws eks get-token` (the AWS CLI), `node -e 0` (the floor for any Node.js process) and `/bin/true`
// (the floor for any process).
// Rows: a cold `kubeiam token` (credentials, presign, output), a warm `kubeiam token --exec-cache`,
// whose token comes from the ExecCredential cache that the warm-up round fills, and the exec entry
// of `kubeiam kubeconfig --launcher` (/bin/sh printing the cached ExecCredential) with a warm cache.
// `node empty.mjs` shows what an ES module entry costs over `node -e 0`.
// Static credentials come from the environment; nothing here touches the network, because presigning
// is local and IMDS is disabled. Usage: node bench/token-latency.mjs [runs] (default 15).
// The commands run in interleaved rounds, so a change in machine load affects every row alike.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execConfig } from '../dist/aws/kubeconfig.js';

const runs = Number(process.argv[2] ?? 15);
const root = fileURLToPath(new URL('..', import.meta.url));
const home = mkdtempSync(join(tmpdir(), 'kubeiam-bench-'));
writeFileSync(join(home, 'empty'), '');
writeFileSync(join(home, 'empty.mjs'), '');

const env = {
  PATH: process.env.PATH,
  HOME: home,
  AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  AWS_REGION: 'us-east-1',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_CONFIG_FILE: join(home, 'empty'),
  AWS_SHARED_CREDENTIALS_FILE: join(home, 'empty'),
  AWS_EC2_METADATA_DISABLED: 'true',
};

const kubeiam = join(root, 'bin/kubeiam.js');
// The exec entry `kubeiam kubeconfig --launcher` writes, run with the exec info kubectl 1.32 passes.
const launcherEntry = execConfig({ clusterArn: 'arn', clusterName: 'demo', region: 'us-east-1', server: '', certificateAuthorityData: '', command: kubeiam, launcher: true });
const launcherEnv = {
  KUBERNETES_EXEC_INFO: '{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1beta1","spec":{"interactive":false}}\n',
};
const commands = {
  cold: [process.execPath, [kubeiam, 'token', '--cluster-name', 'demo']],
  warm: [process.execPath, [kubeiam, 'token', '--cluster-name', 'demo', '--exec-cache']],
  awsCli: ['aws', ['eks', 'get-token', '--cluster-name', 'demo']],
  nodeFloor: [process.execPath, ['-e', '0']],
  esmFloor: [process.execPath, [join(home, 'empty.mjs')]],
  launcher: [launcherEntry.command, launcherEntry.args, launcherEnv],
  trueFloor: ['/bin/true', []],
};

/** Runs one command (with extra environment variables, if any) and returns its wall time in milliseconds. */
function timeOnce(command, args, extraEnv = {}) {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { env: { ...env, ...extraEnv }, cwd: root, encoding: 'utf8' });
  const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
  return elapsed;
}

/** Returns the wall times of every command over `runs` interleaved rounds, after one warm-up round. */
function measure() {
  const times = Object.fromEntries(Object.keys(commands).map((name) => [name, []]));
  for (let round = 0; round <= runs; round++) {
    for (const [name, [command, args, extraEnv]] of Object.entries(commands)) {
      const elapsed = timeOnce(command, args, extraEnv);
      if (round > 0) times[name].push(elapsed);
    }
  }
  return times;
}

function medianOf(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * Returns the median of the per-round ratios of two rows. Load on a shared machine drifts between
 * rounds, and a ratio taken within one round cancels most of that drift.
 */
function pairedRatio(times, row, anchor) {
  return medianOf(times[row].map((value, round) => value / times[anchor][round]));
}

/** Throws unless the launcher prints what `kubeiam token --exec-cache` prints, so its row times a hit. */
function checkLauncherOutput() {
  const [warmCommand, warmArgs] = commands.warm;
  const [launcherCommand, launcherArgs, extraEnv] = commands.launcher;
  const warm = spawnSync(warmCommand, warmArgs, { env: { ...env, ...extraEnv }, cwd: root, encoding: 'utf8' });
  const launcher = spawnSync(launcherCommand, launcherArgs, { env: { ...env, ...extraEnv }, cwd: root, encoding: 'utf8' });
  if (launcher.stdout === '' || launcher.stdout !== warm.stdout) throw new Error('the sh launcher printed another credential than kubeiam token');
}

try {
  const times = measure();
  checkLauncherOutput();
  const median = Object.fromEntries(Object.entries(times).map(([name, values]) => [name, medianOf(values)]));
  console.log(`P1 token latency (median of ${runs} interleaved runs, ${process.version}):`);
  console.log(`  kubeiam token              ${median.cold.toFixed(1)} ms`);
  console.log(`  kubeiam token --exec-cache ${median.warm.toFixed(1)} ms (warm cache)`);
  console.log(`  aws eks get-token          ${median.awsCli.toFixed(1)} ms`);
  console.log(`  node -e 0                  ${median.nodeFloor.toFixed(1)} ms`);
  console.log(`  node empty.mjs             ${median.esmFloor.toFixed(1)} ms`);
  console.log(`  sh launcher (warm cache)   ${median.launcher.toFixed(1)} ms`);
  console.log(`  /bin/true                  ${median.trueFloor.toFixed(1)} ms`);
  console.log(`  cold ratio vs aws cli      ${(median.cold / median.awsCli).toFixed(3)} (target <= 0.15)`);
  console.log(`  cold ratio vs node -e 0    ${(median.cold / median.nodeFloor).toFixed(3)}`);
  console.log(`  warm ratio vs node -e 0    ${(median.warm / median.nodeFloor).toFixed(3)} (target <= 1.3)`);
  console.log(`  warm ratio vs empty.mjs    ${(median.warm / median.esmFloor).toFixed(3)}`);
  console.log(`  launcher vs /bin/true      ${(median.launcher / median.trueFloor).toFixed(3)}`);
  console.log(`  launcher vs node -e 0      ${(median.launcher / median.nodeFloor).toFixed(3)}`);
  console.log('  median of per-round ratios, which load drift affects less:');
  console.log(`    warm vs node -e 0        ${pairedRatio(times, 'warm', 'nodeFloor').toFixed(3)}`);
  console.log(`    launcher vs /bin/true    ${pairedRatio(times, 'launcher', 'trueFloor').toFixed(3)}`);
  console.log(`    launcher vs node -e 0    ${pairedRatio(times, 'launcher', 'nodeFloor').toFixed(3)}`);
} finally {
  rmSync(home, { recursive: true, force: true });
}
