import { describe, expect, it } from 'vitest';
import { renderTemplate } from './templates.js';
import { testIdentity } from './testing.js';

const IDENTITY = testIdentity({ arn: 'arn:aws:iam::123:role/r', accountId: '123', accessKeyId: '321', sessionName: 'jdoe' });

describe('renderTemplate', () => {
  it.each([
    ['a-{{AccountID}}-b', {}, 'a-123-b'],
    ['a-{{AccessKeyID}}-b', {}, 'a-321-b'],
    ['a-{{SessionName}}-b', {}, 'a-jdoe-b'],
    ['a-{{SessionName}}-b', { sessionName: 'jdoe@example.com' }, 'a-jdoe-example.com-b'],
    ['a-{{SessionNameRaw}}-b', { sessionName: 'jdoe@example.com' }, 'a-jdoe@example.com-b'],
    ['a-{{AccountID}}-{{SessionName}}-{{SessionNameRaw}}-b', { sessionName: 'jdoe@example.com' }, 'a-123-jdoe-example.com-jdoe@example.com-b'],
    ['{{Session}}-{{UserID}}', {}, '{{Session}}-{{UserID}}'],
    ['x-{{SessionName}}', { sessionName: '$&$1' }, 'x-$&$1'],
  ])('%s', async (template, fields, expected) => {
    expect(await renderTemplate(template, { ...IDENTITY, ...fields })).toBe(expected);
  });

  it('EC2 name needs an instance ID', async () => {
    await expect(renderTemplate('a-{{EC2PrivateDNSName}}-b', { ...IDENTITY, sessionName: 'i-aaaaa' })).rejects.toThrow(
      'SessionName did not contain an instance id',
    );
  });

  it('EC2 name without a lookup', async () => {
    await expect(renderTemplate('{{EC2PrivateDNSName}}', { ...IDENTITY, sessionName: 'i-0c6f21bf1f24f9708' })).rejects.toThrow(
      'not supported yet: {{EC2PrivateDNSName}} needs an EC2 lookup',
    );
  });

  it.each(['i-0123abcd', 'i-0c6f21bf1f24f9708'])('EC2 name for %s', async (sessionName) => {
    const lookup = async (id: string) => `ip-for-${id}`;
    expect(await renderTemplate('system:node:{{EC2PrivateDNSName}}', { ...IDENTITY, sessionName }, lookup)).toBe(`system:node:ip-for-${sessionName}`);
  });

  it('EC2 lookup error propagates', async () => {
    const lookup = async (id: string): Promise<string> => {
      throw new Error(`failed to find node ${id} `);
    };
    await expect(renderTemplate('{{EC2PrivateDNSName}}', { ...IDENTITY, sessionName: 'i-0123abcd' }, lookup)).rejects.toThrow('failed to find node i-0123abcd ');
  });

  it('EC2 name resolved before other placeholders', async () => {
    const lookup = async () => '{{AccountID}}';
    expect(await renderTemplate('{{EC2PrivateDNSName}}', { ...IDENTITY, sessionName: 'i-0123abcd' }, lookup)).toBe('123');
  });
});
