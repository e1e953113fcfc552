// Child processes for benchmarks: servers that print their URL, and peak resident memory.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = fileURLToPath(new URL('../../bin/kubeiam.js', import.meta.url));

const URL_PATTERN = /(https?:\/\/127\.0\.0\.1:\d+)/;
const START_TIMEOUT_MS = 20_000;

/**
 * Spawns a server and resolves once it prints a loopback URL on stdout. Its stderr goes to
 * /dev/null, so request logs cost what they cost in production without filling a pipe.
 */
export function startServer(command, args, env) {
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'ignore'] });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${args.join(' ')} printed no URL within ${START_TIMEOUT_MS} ms: ${output}`));
    }, START_TIMEOUT_MS);
    let started = false;
    child.stdout.on('data', (chunk) => {
      output += chunk.toString('utf8');
      if (started) return;
      const match = URL_PATTERN.exec(output);
      if (match === null) return;
      started = true;
      clearTimeout(timer);
      resolve({ url: match[1], pid: child.pid, output: () => output, peakRssKb: () => peakRssKb(child.pid), stop: () => stop(child) });
    });
    child.on('exit', (code) => {
      if (started) return;
      clearTimeout(timer);
      reject(new Error(`${args.join(' ')} exited with ${code} before printing a URL: ${output}`));
    });
  });
}

function stop(child) {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
  });
}

/** Peak resident set size of a running process in KiB (VmHWM in /proc), or NaN off Linux. */
export function peakRssKb(pid) {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match === null ? Number.NaN : Number(match[1]);
  } catch {
    return Number.NaN;
  }
}

/**
 * Runs a command to completion and returns its wall time in ms and peak RSS in KiB: from
 * `/usr/bin/time -v` when present, else from process.resourceUsage() in a preloaded exit hook.
 */
export function runMeasured(command, args, env) {
  const useTime = existsSync('/usr/bin/time');
  const started = performance.now();
  const result = useTime
    ? spawnSync('/usr/bin/time', ['-v', command, ...args], { cwd: ROOT, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 })
    : spawnSync(command, ['--import', fileURLToPath(new URL('./max-rss-hook.mjs', import.meta.url)), ...args], {
        cwd: ROOT,
        env,
        encoding: 'utf8',
        maxBuffer: 256 * 1024 * 1024,
      });
  const ms = performance.now() - started;
  const pattern = useTime ? /Maximum resident set size \(kbytes\): (\d+)/ : /kubeiam-bench-max-rss-kb=(\d+)/;
  const match = pattern.exec(result.stderr);
  return { status: result.status, ms, peakRssKb: match === null ? Number.NaN : Number(match[1]), stderr: result.stderr };
}
