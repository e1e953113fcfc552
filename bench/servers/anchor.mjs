// P2 anchor: the least an HTTPS TokenReview endpoint can do. It reads the request body and returns a
// fixed TokenReview, with the same certificate, TLS settings and keep-alive as the webhook.
// Usage: node bench/servers/anchor.mjs <cert.pem> <key.pem>; prints its URL on stdout.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';

const [certFile, keyFile] = process.argv.slice(2);
const body = `${JSON.stringify({
  metadata: {},
  spec: {},
  status: { authenticated: true, user: { username: 'bench-user-0', uid: 'aws-iam-authenticator:111122223333:AIDA', groups: ['bench-readers'] } },
})}\n`;

const server = createServer({ cert: readFileSync(certFile), key: readFileSync(keyFile), minVersion: 'TLSv1.2', ALPNProtocols: ['http/1.1'] });
server.keepAliveTimeout = 5_000;
server.on('request', (request, response) => {
  request.on('data', () => undefined);
  request.on('end', () => {
    response.writeHead(200, { 'content-type': 'application/json; charset=UTF-8', 'content-length': Buffer.byteLength(body) });
    response.end(body);
  });
});
server.listen(0, '127.0.0.1', () => {
  console.log(`anchor listening on https://127.0.0.1:${server.address().port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
