#!/usr/bin/env node
// Thin shim: the bundled CLI keeps `kubeiam token` start-up fast (one file, lazy AWS SDK imports).
import { main } from '../dist/bundle/kubeiam.mjs';

await main();
