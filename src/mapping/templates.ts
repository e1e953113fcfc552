import type { Identity } from '../arn/identity.js';
import { KubeiamError } from '../errors.js';
import type { PrivateDnsLookup } from './types.js';

/** Placeholders kubeiam renders in usernames and groups, in the order they are applied. */
export const TEMPLATE_PLACEHOLDERS = [
  '{{EC2PrivateDNSName}}',
  '{{AccountID}}',
  '{{SessionName}}',
  '{{SessionNameRaw}}',
  '{{AccessKeyID}}',
] as const;

/** EC2 instance IDs: `i-` followed by 8 (old) or 17 (current) word characters. */
const INSTANCE_ID = /^i-(\w{8}|\w{17})$/;

function replaceAll(text: string, token: string, value: string): string {
  // split/join, because String.replaceAll gives `$&` and similar patterns a meaning in the value.
  return text.split(token).join(value);
}

/**
 * Renders the placeholders of a username or group like aws-iam-authenticator's renderTemplate:
 * `{{EC2PrivateDNSName}}` (needs a session name that is an instance ID, then the lookup),
 * `{{AccountID}}`, `{{SessionName}}` (with `@` replaced by `-`), `{{SessionNameRaw}}` and
 * `{{AccessKeyID}}`. Unknown placeholders stay as written.
 * Throws a KubeiamError (`TEMPLATE_RENDER`) with the authenticator's texts when the private DNS name
 * cannot be found; without `lookupPrivateDns` that placeholder is not supported.
 */
export async function renderTemplate(
  template: string,
  identity: Identity,
  lookupPrivateDns?: PrivateDnsLookup,
): Promise<string> {
  let rendered = template;
  if (rendered.includes('{{EC2PrivateDNSName}}')) {
    const privateDnsName = await findPrivateDnsName(identity, lookupPrivateDns);
    rendered = replaceAll(rendered, '{{EC2PrivateDNSName}}', privateDnsName);
  }
  rendered = replaceAll(rendered, '{{AccountID}}', identity.accountId);
  rendered = replaceAll(rendered, '{{SessionName}}', identity.sessionName.replaceAll('@', '-'));
  rendered = replaceAll(rendered, '{{SessionNameRaw}}', identity.sessionName);
  return replaceAll(rendered, '{{AccessKeyID}}', identity.accessKeyId);
}

async function findPrivateDnsName(identity: Identity, lookupPrivateDns: PrivateDnsLookup | undefined): Promise<string> {
  if (!INSTANCE_ID.test(identity.sessionName)) {
    throw new KubeiamError('TEMPLATE_RENDER', 'SessionName did not contain an instance id', {
      sessionName: identity.sessionName,
    });
  }
  if (lookupPrivateDns === undefined) {
    throw new KubeiamError('TEMPLATE_RENDER', 'not supported yet: {{EC2PrivateDNSName}} needs an EC2 lookup', {
      sessionName: identity.sessionName,
    });
  }
  try {
    return await lookupPrivateDns(identity.sessionName);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new KubeiamError('TEMPLATE_RENDER', message, { sessionName: identity.sessionName });
  }
}
