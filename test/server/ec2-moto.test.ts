import { DescribeInstancesCommand, EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEc2DescribeInstances, createPrivateDnsResolver } from '../../src/ec2/index.js';
import { generateSelfSignedCertificate } from '../../src/webhook/certificate.js';
import { createWebhook } from '../../src/webhook/webhook.js';
import { startMoto, type MotoServer } from './moto.js';

const REGION = 'us-east-1';
let moto: MotoServer;
let ec2: EC2Client;
/** Instance ID → PrivateDnsName, as moto's DescribeInstances reports them. */
const expected = new Map<string, string>();

beforeAll(async () => {
  moto = await startMoto();
  ec2 = new EC2Client({ region: REGION, endpoint: moto.url, credentials: moto.credentials });
  const run = await ec2.send(new RunInstancesCommand({ ImageId: 'ami-12c6146b', MinCount: 100, MaxCount: 100, InstanceType: 't3.micro' }));
  const ids = (run.Instances ?? []).map((instance) => instance.InstanceId ?? '');
  const described = await ec2.send(new DescribeInstancesCommand({ InstanceIds: ids }));
  for (const reservation of described.Reservations ?? []) {
    for (const instance of reservation.Instances ?? []) expected.set(instance.InstanceId ?? '', instance.PrivateDnsName ?? '');
  }
});

afterAll(async () => {
  ec2?.destroy();
  await moto?.stop();
});

function resolverOnMoto(onCall?: () => void) {
  return createPrivateDnsResolver({
    describeInstances: createEc2DescribeInstances({ region: REGION, ec2Endpoint: moto.url, credentials: moto.credentials }),
    qps: 15,
    burst: 5,
    ...(onCall === undefined ? {} : { onCall }),
  });
}

describe('EC2 private DNS lookup on moto', () => {
  it('moto lookup resolves one instance', async () => {
    const [instanceId, name] = [...expected][0] ?? ['', ''];
    expect(name).not.toBe('');
    await expect(resolverOnMoto().lookup(instanceId)).resolves.toBe(name);
  });

  it('moto lookup resolves 100 concurrent lookups in one call', async () => {
    let calls = 0;
    const resolver = resolverOnMoto(() => calls++);
    const ids = [...expected.keys()];
    const names = await Promise.all(ids.map((instanceId) => resolver.lookup(instanceId)));
    expect(names).toEqual(ids.map((instanceId) => expected.get(instanceId)));
    expect(calls).toBe(1);
  });

  it('moto lookup rejects an unknown instance', async () => {
    await expect(resolverOnMoto().lookup('i-00000000000000000')).rejects.toThrow('i-00000000000000000');
  });

  it('moto lookup keeps known instances of a batch with an unknown one', async () => {
    const resolver = resolverOnMoto();
    const [known] = [...expected.keys()];
    const results = await Promise.allSettled([resolver.lookup(known ?? ''), resolver.lookup('i-0ffffffffffffffff')]);
    expect(results[0]).toEqual({ status: 'fulfilled', value: expected.get(known ?? '') });
    expect(results[1]?.status).toBe('rejected');
  });
});

describe('createWebhook with EC2 on moto', () => {
  it('webhook maps a node role through moto', async () => {
    const [instanceId, privateDnsName] = [...expected][1] ?? ['', ''];
    const webhook = await createWebhook(
      {
        clusterId: 'test',
        backendModes: ['MountedFile'],
        mounted: { mapRoles: [{ rolearn: 'arn:aws:iam::111122223333:role/node', username: 'system:node:{{EC2PrivateDNSName}}', groups: ['system:nodes'] }] },
        ec2: { region: REGION, ec2Endpoint: moto.url, credentials: moto.credentials, qps: 15, burst: 5 },
        tls: generateSelfSignedCertificate(),
        port: 0,
        logger: pino({ level: 'silent' }),
      },
      {
        verifier: {
          verify: async () => ({
            arn: `arn:aws:sts::111122223333:assumed-role/node/${instanceId}`,
            canonicalArn: 'arn:aws:iam::111122223333:role/node',
            accountId: '111122223333',
            userId: 'AROAEXAMPLE',
            sessionName: instanceId,
            accessKeyId: 'ASIAEXAMPLE',
            stsEndpoint: 'sts.us-east-1.amazonaws.com',
          }),
        },
      },
    );
    try {
      const body = new TextEncoder().encode(JSON.stringify({ kind: 'TokenReview', spec: { token: 'k8s-aws-v1.node' } }));
      const first = await webhook.handler({ method: 'POST', path: '/authenticate', body });
      const second = await webhook.handler({ method: 'POST', path: '/authenticate', body });
      expect(first.status).toBe(200);
      expect(JSON.parse(first.body)).toMatchObject({ status: { user: { username: `system:node:${privateDnsName}` } } });
      expect(second.status).toBe(200);
      const calls = (await webhook.metrics.ec2DescribeInstancesCalls.get()).values[0]?.value;
      expect(calls).toBe(1);
    } finally {
      await webhook.close();
    }
  });
});
