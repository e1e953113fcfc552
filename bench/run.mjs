// Runs every benchmark under bench/ in turn. Usage: npm run bench (after npm run build).
// Each prints its rows next to anchors measured in the same run; docs/benchmarks.md explains them.
const benches = ['./token-latency.mjs', './webhook-throughput.mjs', './mapping-scale.mjs'];
for (const bench of benches) {
  await import(bench);
}
