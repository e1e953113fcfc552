import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemoApiServer, type DemoApiServer } from '../../src/demo/apiserver.js';
import { startLab, type DemoCluster, type Lab } from '../../src/demo/lab.js';
import { generateSelfSignedCertificate, type CertificateAndKey } from '../../src/webhook/certificate.js';

export const ACCOUNT = '111122223333';
export const CREATOR = `arn:aws:iam::${ACCOUNT}:user/cluster_creator`;
const AWS_AUTH = `apiVersion: v1
kind: ConfigMap
metadata:
  name: aws-auth
  namespace: kube-system
data:
  mapUsers: |
    - userarn: arn:aws:iam::${ACCOUNT}:user/mapped_user
      username: mapped-user
      groups:
        - system:masters
`;

/** A lab cluster named `e2e` behind a demo API server that records every bearer token it receives. */
export interface RecordingCluster {
  readonly dir: string;
  readonly lab: Lab;
  readonly cluster: DemoCluster;
  readonly recorder: DemoApiServer;
  readonly tls: CertificateAndKey;
  /** Bearer tokens in the order they arrived; tests may clear it. */
  readonly received: string[];
  close(): Promise<void>;
}

/**
 * Starts the STS emulator lab with real kubectl, creates `users` (the creator and `mapped_user`, who
 * is mapped to system:masters, among them), and a cluster whose API server records tokens.
 */
export async function startRecordingCluster(prefix: string, users: readonly string[]): Promise<RecordingCluster> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const tls = generateSelfSignedCertificate({ ipAddresses: ['127.0.0.1'] });
  const received: string[] = [];
  const lab = await startLab({ dir });
  try {
    if (lab.kubectl === undefined) throw new Error('kubectl is not on PATH; these tests need the real kubectl');
    lab.registry.addAccount({ id: ACCOUNT });
    for (const name of users) lab.registry.createUser({ name, accountId: ACCOUNT });
    const cluster = await lab.startCluster({ name: 'e2e', creatorArn: CREATOR, awsAuthText: AWS_AUTH });
    const recorder = await startDemoApiServer({
      tls,
      review: (token) => cluster.review(token),
      onToken: (token) => received.push(token),
    });
    return {
      dir,
      lab,
      cluster,
      recorder,
      tls,
      received,
      async close() {
        await recorder.close();
        await lab.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await lab.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
