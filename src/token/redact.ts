/** Query keys whose values are secret: the session token, and the signature that proves the secret key. */
const SECRET_KEYS = ['x-amz-security-token', 'x-amz-signature'];

/** Matches `key=value` for a secret key in any case, up to a separator, quote or markup. */
const SECRET_PAIR = /(x-amz-security-token|x-amz-signature)(=|%3D)[^&\s"'<>;,]*/gi;

/**
 * Removes a token's secrets from a text that will reach a message or a log: every secret
 * `key=value` pair, and every occurrence of the secret values themselves, raw or percent-encoded,
 * because STS error bodies and transport errors may quote the request they got.
 */
export function redactTokenSecrets(text: string, query: ReadonlyMap<string, string>): string {
  let redacted = text.replace(SECRET_PAIR, (_match, key: string, separator: string) => `${key}${separator}REDACTED`);
  for (const value of secretValues(query)) {
    for (const form of new Set([value, encodeURIComponent(value)])) {
      redacted = redacted.split(form).join('REDACTED');
    }
  }
  return redacted;
}

function secretValues(query: ReadonlyMap<string, string>): string[] {
  const values: string[] = [];
  for (const [key, value] of query) {
    // Short values could match ordinary text; a real signature is 64 characters, a session token hundreds.
    if (SECRET_KEYS.includes(key.toLowerCase()) && value.length >= 8) values.push(value);
  }
  return values;
}
