import type { ActionResult } from './actions.js';
import { STS_XML_NAMESPACE } from './constants.js';
import type { StsError } from './errors.js';

/** Body format of a response: XML unless the request accepts `application/json`. */
export type ResponseFormat = 'xml' | 'json';

export interface RenderedResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

const XML_CONTENT_TYPE = 'text/xml';
const JSON_CONTENT_TYPE = 'application/json';

/** Chooses JSON when any media range of the Accept header is exactly `application/json`. */
export function responseFormat(accept: string | undefined): ResponseFormat {
  const ranges = (accept ?? '').split(',').map((range) => (range.split(';')[0] ?? '').trim().toLowerCase());
  return ranges.includes(JSON_CONTENT_TYPE) ? 'json' : 'xml';
}

export function renderResult(result: ActionResult, requestId: string, format: ResponseFormat): RenderedResponse {
  const body = format === 'json' ? JSON.stringify(resultJson(result, requestId)) : resultXml(result, requestId);
  return { status: 200, contentType: format === 'json' ? JSON_CONTENT_TYPE : XML_CONTENT_TYPE, body };
}

export function renderError(error: StsError, requestId: string, format: ResponseFormat): RenderedResponse {
  if (format === 'json') {
    const body = { Error: { Code: error.code, Message: error.message, Type: error.type }, RequestId: requestId };
    return { status: error.httpStatus, contentType: JSON_CONTENT_TYPE, body: JSON.stringify(body) };
  }

  const body = element('ErrorResponse', [
    element('Error', [
      element('Type', error.type),
      element('Code', error.code),
      element('Message', error.message),
    ]),
    element('RequestId', requestId),
  ], STS_XML_NAMESPACE);
  return { status: error.httpStatus, contentType: XML_CONTENT_TYPE, body };
}

function resultJson(result: ActionResult, requestId: string): object {
  const metadata = { RequestId: requestId };
  if (result.action === 'GetCallerIdentity') {
    const { caller } = result;
    return {
      GetCallerIdentityResponse: {
        GetCallerIdentityResult: { Account: caller.accountId, Arn: caller.arn, UserId: caller.userId },
        ResponseMetadata: metadata,
      },
    };
  }

  const { identity, credentials } = result.session;
  return {
    AssumeRoleResponse: {
      AssumeRoleResult: {
        AssumedRoleUser: { Arn: identity.arn, AssumedRoleId: identity.userId },
        // NOTE: epoch seconds, as AWS JSON protocols send timestamps; not compared with a real STS JSON response.
        Credentials: {
          AccessKeyId: credentials.accessKeyId,
          Expiration: credentials.expiration.getTime() / 1000,
          SecretAccessKey: credentials.secretAccessKey,
          SessionToken: credentials.sessionToken,
        },
        PackedPolicySize: null,
        SourceIdentity: null,
      },
      ResponseMetadata: metadata,
    },
  };
}

function resultXml(result: ActionResult, requestId: string): string {
  const metadata = element('ResponseMetadata', [element('RequestId', requestId)]);
  if (result.action === 'GetCallerIdentity') {
    const { caller } = result;
    const fields = [element('Arn', caller.arn), element('UserId', caller.userId), element('Account', caller.accountId)];
    return element('GetCallerIdentityResponse', [element('GetCallerIdentityResult', fields), metadata], STS_XML_NAMESPACE);
  }

  const { identity, credentials } = result.session;
  const assumedRoleUser = element('AssumedRoleUser', [
    element('Arn', identity.arn),
    element('AssumedRoleId', identity.userId),
  ]);
  const credentialFields = element('Credentials', [
    element('AccessKeyId', credentials.accessKeyId),
    element('SecretAccessKey', credentials.secretAccessKey),
    element('SessionToken', credentials.sessionToken),
    element('Expiration', formatIsoSeconds(credentials.expiration)),
  ]);
  return element('AssumeRoleResponse', [element('AssumeRoleResult', [assumedRoleUser, credentialFields]), metadata], STS_XML_NAMESPACE);
}

/** STS writes timestamps in ISO 8601 without fractional seconds: `2026-12-04T20:31:00Z`. */
export function formatIsoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Renders an element whose content is escaped text or already rendered child elements. */
function element(name: string, content: string | readonly string[], namespace?: string): string {
  const attributes = namespace === undefined ? '' : ` xmlns="${escapeXmlAttribute(namespace)}"`;
  const inner = typeof content === 'string' ? escapeXml(content) : `\n${content.join('\n')}\n`;
  return `<${name}${attributes}>${inner}</${name}>`;
}

/** Escapes text content. Quotes stay literal in text, as in STS messages such as `Value 'x' at …`. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeXmlAttribute(text: string): string {
  return escapeXml(text).replace(/"/g, '&quot;');
}
