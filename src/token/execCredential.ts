/**
 * The ExecCredential JSON that kubectl reads from an exec credential plugin, byte-for-byte as
 * aws-iam-authenticator prints it.
 */
import { decodeGoStruct, type GoType } from '../sts/goDecode.js';
import { GoJsonError, parseGoJson } from '../sts/goJson.js';
import { EXEC_CREDENTIAL_DEFAULT_API_VERSION, EXEC_CREDENTIAL_KIND } from './constants.js';

export interface ExecCredentialOptions {
  readonly token: string;
  readonly expiration: Date;
  /** The value of KUBERNETES_EXEC_INFO, as kubectl set it. Default: unset. */
  readonly execInfo?: string;
}

/**
 * Formats the ExecCredential, followed by a newline. Keys come in Go's order and strings use Go's
 * escaping; `expirationTimestamp` is RFC 3339 in UTC with whole seconds.
 */
export function formatExecCredential(options: ExecCredentialOptions): string {
  const apiVersion = apiVersionFromExecInfo(options.execInfo);
  const expiration = options.expiration.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const status = [`"expirationTimestamp":${goJsonString(expiration)}`];
  if (options.token !== '') status.push(`"token":${goJsonString(options.token)}`);

  const fields = [`"kind":${goJsonString(EXEC_CREDENTIAL_KIND)}`];
  if (apiVersion !== '') fields.push(`"apiVersion":${goJsonString(apiVersion)}`);
  fields.push('"spec":{}', `"status":{${status.join(',')}}`);
  return `{${fields.join(',')}}\n`;
}

const STRING: GoType = { kind: 'string' };
const BOOL: GoType = { kind: 'bool' };

// NOTE: approximates Go's time.Parse(time.RFC3339, …) (metav1.Time); kubectl never sends a status.
const RFC3339 = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{1,2}:[0-9]{2}:[0-9]{2}([.,][0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$/;

// client-go's internal clientauthentication types (no JSON tags apart from the embedded TypeMeta).
const EXEC_CREDENTIAL_TYPE = {
  kind: 'struct',
  name: 'ExecCredential',
  fields: {
    kind: STRING,
    apiVersion: STRING,
    Spec: {
      kind: 'struct',
      name: 'ExecCredentialSpec',
      fields: {
        Response: {
          kind: 'struct',
          name: 'Response',
          fields: {
            Header: { kind: 'map', name: 'http.Header', values: { kind: 'list', name: '[]string', items: STRING } },
            Code: { kind: 'int' },
          },
        },
        Interactive: BOOL,
        Cluster: {
          kind: 'struct',
          name: 'Cluster',
          fields: {
            Server: STRING,
            TLSServerName: STRING,
            InsecureSkipTLSVerify: BOOL,
            CertificateAuthorityData: { kind: 'text', name: '[]uint8', pattern: /^[A-Za-z0-9+/]*={0,2}$/ },
            ProxyURL: STRING,
            DisableCompression: BOOL,
            Config: { kind: 'interface', name: 'runtime.Object' },
          },
        },
      },
    },
    Status: {
      kind: 'struct',
      name: 'ExecCredentialStatus',
      fields: {
        ExpirationTimestamp: { kind: 'text', name: 'v1.Time', pattern: RFC3339 },
        Token: STRING,
        ClientCertificateData: STRING,
        ClientKeyData: STRING,
      },
    },
  },
} as const satisfies GoType;

/**
 * Picks apiVersion like aws-iam-authenticator: KUBERNETES_EXEC_INFO's apiVersion verbatim ('' when
 * absent) if it decodes into client-go's internal ExecCredential, else the v1beta1 default. A cluster
 * `config` fails that decode, because the internal field is an interface type.
 */
export function apiVersionFromExecInfo(execInfo: string | undefined): string {
  if (execInfo === undefined || execInfo === '') return EXEC_CREDENTIAL_DEFAULT_API_VERSION;
  try {
    const decoded = decodeGoStruct(parseGoJson(execInfo), EXEC_CREDENTIAL_TYPE, 'clientauthentication.ExecCredential');
    if (decoded.error !== undefined) return EXEC_CREDENTIAL_DEFAULT_API_VERSION;
    return String(decoded.value['apiVersion']);
  } catch (error) {
    if (error instanceof GoJsonError) return EXEC_CREDENTIAL_DEFAULT_API_VERSION;
    throw error;
  }
}

/**
 * Encodes a string like Go's `json.Marshal`: `<`, `>`, `&`, U+2028 and U+2029 as \u escapes, \b \f
 * \n \r \t by name, other controls as \u00XX, and unpaired surrogates as U+FFFD.
 */
export function goJsonString(text: string): string {
  const named: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
  let out = '"';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    const escape = named[char];
    if (escape !== undefined) out += escape;
    else if (code < 0x20 || char === '<' || char === '>' || char === '&' || code === 0x2028 || code === 0x2029) {
      out += `\\u${code.toString(16).padStart(4, '0')}`;
    } else if (code >= 0xd800 && code <= 0xdfff) out += '\ufffd';
    else out += char;
  }
  return `${out}"`;
}
