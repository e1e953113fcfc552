// Bundles the CLI into dist/kubeiam.mjs. Dependencies stay external (installed by npm) except the
// small ones on the token path; the AWS SDK is imported lazily, so esbuild keeps those imports
// dynamic and `kubeiam token` with static credentials never loads it.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/cli/entry.ts'],
  outfile: 'dist/kubeiam.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  packages: 'external',
  logLevel: 'warning',
});
