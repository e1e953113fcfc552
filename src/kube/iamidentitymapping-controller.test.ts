import { describe, expect, it } from 'vitest';
import { canonicalArnOf, startIamIdentityMappingController, SYNCED_MESSAGE, SYNCED_REASON, type IamIdentityMappingWriter } from './iamidentitymapping-controller.js';
import { toIamIdentityMapping, type IamIdentityMapping } from './iamidentitymapping.js';

function mapping(name: string, arn: string, canonicalArn?: string): IamIdentityMapping {
  return toIamIdentityMapping({
    apiVersion: 'iamauthenticator.k8s.aws/v1alpha1',
    kind: 'IAMIdentityMapping',
    metadata: { name, uid: `uid-${name}`, resourceVersion: '7' },
    spec: { arn, username: name, groups: ['system:masters'] },
    ...(canonicalArn === undefined ? {} : { status: { canonicalARN: canonicalArn } }),
  });
}

/** Creates a writer that records its calls. The first `failures` status writes fail. */
function recordingWriter(failures = 0): IamIdentityMappingWriter & { statuses: [string, string][]; events: [string, string, string][] } {
  const statuses: [string, string][] = [];
  const events: [string, string, string][] = [];
  let remaining = failures;
  return {
    statuses,
    events,
    async replaceStatus(target, canonicalArn) {
      if (remaining > 0) {
        remaining -= 1;
        throw new Error('conflict');
      }
      statuses.push([target.name, canonicalArn]);
    },
    async recordEvent(target, reason, message) {
      events.push([target.name, reason, message]);
    },
  };
}

describe('IAMIdentityMapping controller', () => {
  it('controller writes the canonical ARN once', async () => {
    const writer = recordingWriter();
    const objects = new Map([['authorized', mapping('authorized', 'arn:aws:iam::XXXXXXXXXXXX:user/AuthorizedUser')]]);
    const controller = startIamIdentityMappingController({ writer, get: (name) => objects.get(name) });
    controller.enqueue('authorized');
    await controller.idle();
    expect(writer.statuses).toEqual([['authorized', 'arn:aws:iam::xxxxxxxxxxxx:user/authorizeduser']]);
    expect(writer.events).toEqual([['authorized', SYNCED_REASON, SYNCED_MESSAGE]]);
    await controller.stop();
  });

  it('controller skips a correct status', async () => {
    const writer = recordingWriter();
    const objects = new Map([['ok', mapping('ok', 'arn:aws:iam::111122223333:role/Admin', 'arn:aws:iam::111122223333:role/admin')]]);
    const controller = startIamIdentityMappingController({ writer, get: (name) => objects.get(name) });
    controller.enqueue('ok');
    await controller.idle();
    expect(writer.statuses).toEqual([]);
    expect(writer.events).toEqual([]);
    await controller.stop();
  });

  it('controller canonicalizes assumed-role ARNs', () => {
    expect(canonicalArnOf('arn:aws:sts::111122223333:assumed-role/Admin/session')).toBe('arn:aws:iam::111122223333:role/admin');
  });

  it('controller reports an invalid ARN', async () => {
    const writer = recordingWriter();
    const errors: [string, string, boolean][] = [];
    const objects = new Map([['bad', mapping('bad', 'not-an-arn')], ['empty', mapping('empty', '')]]);
    const controller = startIamIdentityMappingController({ writer, get: (name) => objects.get(name), onError: (name, error, requeued) => errors.push([name, error.message, requeued]) });
    controller.enqueue('bad');
    controller.enqueue('empty');
    await controller.idle();
    expect(writer.statuses).toEqual([]);
    expect(errors.map(([name, , requeued]) => [name, requeued])).toEqual([['bad', false], ['empty', false]]);
    expect(errors[0]?.[1]).toContain('spec.arn "not-an-arn"');
    expect(errors[1]?.[1]).toContain('has no spec.arn');
    await controller.stop();
  });

  it('controller retries a failed write', async () => {
    const writer = recordingWriter(1);
    const errors: boolean[] = [];
    const objects = new Map([['retry', mapping('retry', 'arn:aws:iam::111122223333:user/Bob')]]);
    const controller = startIamIdentityMappingController({ writer, get: (name) => objects.get(name), retryDelayMs: 1, onError: (_name, _error, requeued) => errors.push(requeued) });
    controller.enqueue('retry');
    for (let attempt = 0; attempt < 250 && writer.statuses.length === 0; attempt++) await new Promise((resolve) => setTimeout(resolve, 20));
    await controller.idle();
    expect(errors).toEqual([true]);
    expect(writer.statuses).toEqual([['retry', 'arn:aws:iam::111122223333:user/bob']]);
    await controller.stop();
  });

  it('controller runs at most two syncs', async () => {
    let running = 0;
    let started = 0;
    let maxRunning = 0;
    const releases: (() => void)[] = [];
    const writer: IamIdentityMappingWriter = {
      async replaceStatus() {
        running += 1;
        started += 1;
        maxRunning = Math.max(maxRunning, running);
        await new Promise<void>((resolve) => releases.push(resolve));
        running -= 1;
      },
      async recordEvent() {},
    };
    const names = ['a', 'b', 'c', 'd'];
    const objects = new Map(names.map((name) => [name, mapping(name, `arn:aws:iam::111122223333:user/${name}`)]));
    const controller = startIamIdentityMappingController({ writer, get: (name) => objects.get(name) });
    for (const name of names) controller.enqueue(name);
    for (let attempt = 0; attempt < 250 && (started < names.length || running > 0); attempt++) {
      releases.shift()?.();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await controller.idle();
    expect(started).toBe(4);
    expect(maxRunning).toBe(2);
    await controller.stop();
  });
});
