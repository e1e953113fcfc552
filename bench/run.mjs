// Runs every benchmark under bench/ in turn. Usage: npm run bench (after npm run build).
const benches = ['./token-latency.mjs'];
for (const bench of benches) {
  await import(bench);
}
