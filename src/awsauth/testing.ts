import { readFileSync } from 'node:fs';

/**
 * Reads a file of the shared aws-auth fixtures. They sit beside the repository (`../shared`), also
 * when CI clones the repository into another folder.
 */
export function readFixture(name: string): string {
  return readFileSync(new URL(`../../../shared/vectors/aws-auth-fixtures/${name}`, import.meta.url), 'utf8');
}

/** Indents every line of a block by `indent` spaces (blank lines stay empty). */
function indentBlock(text: string, indent: number): string {
  const pad = ' '.repeat(indent);
  return text
    .split('\n')
    .map((line) => (line === '' ? line : pad + line))
    .join('\n');
}

/** Builds an aws-auth ConfigMap with each data value as a `|` block scalar. */
export function configMapYaml(data: Record<string, string>): string {
  const keys = Object.entries(data)
    .map(([key, value]) => `  ${key}: |\n${indentBlock(value.endsWith('\n') ? value : `${value}\n`, 4)}`)
    .join('');
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: aws-auth\n  namespace: kube-system\ndata:\n${keys}`;
}
