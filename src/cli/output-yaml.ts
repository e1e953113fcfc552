import { stringify } from 'yaml';

/**
 * Renders a value as YAML for `-o yaml`. It lives apart from output.ts, which every command loads,
 * so that only the commands printing YAML load the yaml package.
 */
export function renderYaml(value: unknown): string {
  return stringify(value);
}
