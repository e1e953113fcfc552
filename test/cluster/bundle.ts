import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

/**
 * Bundles the CLI from src/ with the options of scripts/bundle.mjs into a directory of its own under
 * node_modules/.cache, so the external packages resolve, and returns a script that runs it. The
 * tests spawn this instead of bin/kubeiam.js, because dist/ may be stale or being rebuilt by another
 * test run, and a fresh bundle takes about a second.
 */
export async function buildCliBundle(root: string): Promise<string> {
  const outdir = join(root, 'node_modules', '.cache', 'kubeiam-cluster-tests', `${process.pid}-${Date.now()}`);
  mkdirSync(outdir, { recursive: true });
  await build({
    entryPoints: { kubeiam: join(root, 'src', 'cli', 'entry.ts') },
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['@aws-sdk/*', '@kubernetes/*', 'pino', 'prom-client'],
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  const script = join(outdir, 'cli.mjs');
  writeFileSync(script, "import { main } from './kubeiam.mjs';\nawait main();\n");
  return script;
}
