import { copyFileSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_ID, awsAuthMappingUser, CLI, isolatedEnv, temporaryDirectory } from './support.js';

// The aws-auth file commands need no cluster, so they should not load the Kubernetes client, which
// costs a 100-entry `grant --file` about 0.1 s and 75 MiB of peak RSS (docs/benchmarks.md, P3).
// A preloaded hook lists the CommonJS packages each process loaded: the client's own transport
// dependencies (ws, node-fetch) mark that the client was imported.
const CLIENT_MARKERS = ['ws', 'node-fetch'];
const HOOK = `import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
process.on('exit', () => {
  const names = Object.keys(require.cache).map((path) => /node_modules\\/((?:@[^/]+\\/)?[^/]+)/.exec(path)?.[1]).filter(Boolean);
  process.stderr.write(\`loaded-packages=\${JSON.stringify([...new Set(names)].sort())}\\n\`);
});
`;

const temporary = temporaryDirectory('kubeiam-footprint-');
const hook = join(temporary.dir, 'loaded-packages.mjs');
const file = join(temporary.dir, 'aws-auth.yaml');
const userArn = `arn:aws:iam::${ACCOUNT_ID}:user/footprint`;

beforeAll(() => {
  writeFileSync(hook, HOOK);
  writeFileSync(join(temporary.dir, 'aws-config'), '');
  writeFileSync(join(temporary.dir, 'aws-credentials'), '');
  writeFileSync(join(temporary.dir, 'original.yaml'), awsAuthMappingUser(`arn:aws:iam::${ACCOUNT_ID}:user/admin`, 'admin'));
  writeFileSync(join(temporary.dir, 'granted.yaml'), awsAuthMappingUser(userArn, 'footprint'));
});

afterAll(() => temporary.remove());

/** Runs the built CLI with the hook and returns the packages it loaded, or undefined without a report. */
function loadedPackages(args: readonly string[]): Promise<{ code: number | null; packages: string[] | undefined }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', hook, CLI, ...args], { env: isolatedEnv(temporary.dir), stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      const report = /loaded-packages=(\[.*\])/.exec(stderr)?.[1];
      resolve({ code, packages: report === undefined ? undefined : (JSON.parse(report) as string[]) });
    });
  });
}

/** Command name, arguments, and the file the command starts from. */
const FILE_COMMANDS: ReadonlyArray<readonly [string, readonly string[], string]> = [
  ['grant', ['grant', 'user', userArn, '--username', 'footprint', '--group', 'viewers', '--file', file], 'original.yaml'],
  ['revoke', ['revoke', 'user', userArn, '--file', file], 'granted.yaml'],
  ['list', ['list', '--file', file], 'original.yaml'],
  ['lint', ['lint', file], 'original.yaml'],
];

describe('file commands footprint', () => {
  it.each(FILE_COMMANDS)('%s reports its packages', async (_name, args, start) => {
    copyFileSync(join(temporary.dir, start), file);

    const result = await loadedPackages(args);

    expect(result.code).toBe(0);
    expect(result.packages).toBeDefined();
  });

  it.each(FILE_COMMANDS)('%s loads no Kubernetes client', async (_name, args, start) => {
    copyFileSync(join(temporary.dir, start), file);

    const result = await loadedPackages(args);

    expect(result.packages).toBeDefined();
    expect((result.packages ?? []).filter((name) => CLIENT_MARKERS.includes(name))).toEqual([]);
  });
});
