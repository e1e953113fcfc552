#!/usr/bin/env node
// Thin shim, loaded as CommonJS (bin/package.json), because the ES module loader added about 3 ms to
// every start (Node.js 20.20, measured with empty entry files). kubectl runs `kubeiam token` before every command, so a token cached by
// --exec-cache is printed by a small CommonJS bundle first, and the bundled ES module CLI loads only
// when that bundle finds no usable entry.
'use strict';

const { printCachedTokenForProcess } = require('../dist/bundle/token-fast.cjs');

if (!printCachedTokenForProcess()) {
  import('../dist/bundle/kubeiam.mjs').then(({ main }) => main());
}
