// P1: wall time of `kubeiam token` against its anchors measured in the same run on this machine:
// `aws eks get-token` (the AWS CLI) and `node -e 0` (the floor for any Node.js process).
// Static credentials come from the environment; nothing here touches the network, because presigning
// is local and IMDS is disabled. Usage: node bench/token-latency.mjs [runs] (default 15).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const runs = Number(process.argv[2] ?? 15);
const root = fileURLToPath(new URL('..', import.meta.url));
const home = mkdtempSync(join(tmpdir(), 'kubeiam-bench-'));
writeFileSync(join(home, 'empty'), '');

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

/** Returns the median wall time in milliseconds of `runs` executions, after one warm-up run. */
function medianMs(command, args) {
  const times = [];
  for (let i = 0; i <= runs; i++) {
    const start = process.hrtime.bigint();
    const result = spawnSync(command, args, { env, cwd: root, encoding: 'utf8' });
    const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
    if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
    if (i > 0) times.push(elapsed);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const kubeiam = medianMs(process.execPath, [join(root, 'bin/kubeiam.js'), 'token', '--cluster-name', 'demo']);
const awsCli = medianMs('aws', ['eks', 'get-token', '--cluster-name', 'demo']);
const nodeFloor = medianMs(process.execPath, ['-e', '0']);

console.log(`P1 token latency (median of ${runs} runs, ${process.version}):`);
console.log(`  kubeiam token          ${kubeiam.toFixed(1)} ms`);
console.log(`  aws eks get-token      ${awsCli.toFixed(1)} ms`);
console.log(`  node -e 0              ${nodeFloor.toFixed(1)} ms`);
console.log(`  ratio vs aws cli       ${(kubeiam / awsCli).toFixed(3)} (target <= 0.15)`);
console.log(`  ratio vs node -e 0     ${(kubeiam / nodeFloor).toFixed(3)} (warm-cache target <= 1.3; no cache yet)`);
