// A bounded closed-loop HTTP(S) load generator: `connections` keep-alive connections, each sending
// its next request as soon as the previous response ends, until `durationMs` passes or
// `maxRequests` were sent, whichever comes first. Latency is measured per request from send to the
// end of the response body.
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/**
 * Runs the load and returns throughput, latency percentiles in milliseconds and status counts.
 * `nextRequest(index)` returns `{ method, path, headers, body }` for the request with that index,
 * or undefined when there is nothing left to send.
 */
export async function runLoad({ url, connections, durationMs, maxRequests, ca, nextRequest }) {
  const base = new URL(url);
  const https = base.protocol === 'https:';
  const agent = https
    ? new HttpsAgent({ keepAlive: true, maxSockets: connections, ca })
    : new HttpAgent({ keepAlive: true, maxSockets: connections });
  const send = https ? httpsRequest : httpRequest;

  const latencies = new Float64Array(maxRequests);
  const statuses = new Map();
  let issued = 0;
  let completed = 0;
  let errors = 0;
  const started = performance.now();
  const deadline = started + durationMs;

  const worker = async () => {
    while (performance.now() < deadline && issued < maxRequests) {
      const index = issued++;
      const request = nextRequest(index);
      if (request === undefined) return;
      const sent = performance.now();
      try {
        const status = await sendOnce(send, agent, base, request);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        latencies[completed++] = performance.now() - sent;
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();

  const sorted = latencies.slice(0, completed).sort();
  return {
    requests: completed,
    errors,
    seconds,
    rps: completed / seconds,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    statuses: Object.fromEntries(statuses),
  };
}

function sendOnce(send, agent, base, { method = 'GET', path, headers = {}, body }) {
  return new Promise((resolve, reject) => {
    const outgoing = send(
      { agent, hostname: base.hostname, port: base.port, method, path, headers, setHost: headers.host === undefined },
      (response) => {
        response.on('data', () => undefined);
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      },
    );
    outgoing.setTimeout(30_000, () => outgoing.destroy(new Error('request timed out after 30 s')));
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** Returns the nearest-rank percentile of sorted values, or NaN when there are none. */
export function percentile(sorted, fraction) {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[rank];
}

/** Builds the v1beta1 TokenReview request that kube-apiserver sends for a token. */
export function tokenReviewRequest(token) {
  const body = JSON.stringify({ apiVersion: 'authentication.k8s.io/v1beta1', kind: 'TokenReview', spec: { token } });
  return {
    method: 'POST',
    path: '/authenticate',
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    body,
  };
}

/** Formats a load result as one table row. */
export function formatRow(name, result) {
  const statuses = Object.entries(result.statuses)
    .map(([status, count]) => `${status}:${count}`)
    .join(' ');
  return `  ${name.padEnd(44)} ${result.rps.toFixed(0).padStart(7)} req/s  p50 ${result.p50.toFixed(2).padStart(7)} ms  p99 ${result.p99
    .toFixed(2)
    .padStart(7)} ms  n=${result.requests} errors=${result.errors} [${statuses}]`;
}
