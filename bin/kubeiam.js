#!/usr/bin/env node
// Thin shim: the bundled CLI keeps `kubeiam token` start-up fast (one file, lazy AWS SDK imports).
// kubectl runs `kubeiam token` before every command, so a token cached by --exec-cache is printed by
// a separate small bundle first, and the CLI itself loads only when that bundle finds no usable entry.
import { printCachedTokenForProcess } from '../dist/bundle/token-fast.mjs';

if (!printCachedTokenForProcess()) {
  const { main } = await import('../dist/bundle/kubeiam.mjs');
  await main();
}
