// P2 (a): the kubeiam webhook (createWebhook: real TLS server, handler, token checks and aws-auth
// mapping) whose token verifier sends STS requests to an in-process transport. That transport
// responds at once with the caller the token's access key belongs to, so the run measures
// kubeiam's own cost per request without any STS round trip.
// Usage: node bench/servers/webhook-fake-sts.mjs <cert.pem> <key.pem> <aws-auth.yaml> <users>
import { openSync, readFileSync } from 'node:fs';
import { pino } from 'pino';
import { TokenVerifier } from '../../dist/token/index.js';
import { createBatchedLogDestination } from '../../dist/webhook/log-destination.js';
import { createWebhook } from '../../dist/webhook/index.js';
import { ACCOUNT_ID, benchUser, CLUSTER_ID } from '../lib/fixtures.mjs';

const [certFile, keyFile, awsAuthFile, userCount] = process.argv.slice(2);
const callers = new Map();
for (let index = 0; index < Number(userCount); index++) {
  const user = benchUser(index);
  const result = { Account: ACCOUNT_ID, Arn: user.arn, UserId: `AIDABENCH${index}` };
  callers.set(user.credentials.accessKeyId, Buffer.from(JSON.stringify({ GetCallerIdentityResponse: { GetCallerIdentityResult: result } })));
}

/** Returns the caller of the access key named in X-Amz-Credential, or a 403 like STS. */
let stsCalls = 0;
const transport = {
  async get(request) {
    stsCalls++;
    const credential = /X-Amz-Credential=([A-Z0-9]+)%2F/.exec(request.target);
    const body = credential === null ? undefined : callers.get(credential[1]);
    return {
      statusCode: body === undefined ? 403 : 200,
      readBody: async () => body ?? Buffer.from('{"Error":{"Code":"InvalidClientTokenId"}}'),
    };
  },
};

// The logger options and destination of `kubeiam serve`, aimed at /dev/null instead of stderr.
const logger = pino({ level: 'info', base: { service: 'kubeiam' } }, createBatchedLogDestination({ fd: openSync('/dev/null', 'w') }));
const verifier = new TokenVerifier({ clusterId: CLUSTER_ID, partition: 'aws', clock: () => new Date(), transport });
const webhook = await createWebhook(
  { clusterId: CLUSTER_ID, awsAuthFile, tls: { cert: readFileSync(certFile), key: readFileSync(keyFile) }, port: 0, logger },
  { verifier },
);
console.log(`webhook listening on ${webhook.server.url}`);
// The parent reads the call count to tell whether a verified-token cache served the requests.
process.on('SIGTERM', () => {
  console.log(`sts-calls=${stsCalls}`);
  void webhook.close().then(() => process.exit(0));
});
