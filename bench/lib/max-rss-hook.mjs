// Preloaded with `node --import` when /usr/bin/time is missing: prints the process's peak RSS on exit.
process.on('exit', () => {
  process.stderr.write(`kubeiam-bench-max-rss-kb=${process.resourceUsage().maxRSS}\n`);
});
