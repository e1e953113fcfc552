import { stringify } from 'yaml';
import { usageError } from './errors.js';

export type OutputFormat = 'text' | 'table' | 'json' | 'yaml';

/** Validates an `-o` value against the formats a command supports. */
export function parseOutputFormat(value: string | undefined, allowed: readonly OutputFormat[]): OutputFormat {
  const format = (value ?? allowed[0] ?? 'text') as OutputFormat;
  if (!allowed.includes(format)) throw usageError('output.invalid', { value: String(value), allowed: allowed.join(', ') });
  return format;
}

/** Renders rows as aligned columns with a header line, the way kubectl prints tables. */
export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, column) =>
    Math.max(displayWidth(header), ...rows.map((row) => displayWidth(row[column] ?? ''))),
  );
  const line = (cells: readonly string[]): string =>
    cells.map((cell, column) => (column === cells.length - 1 ? cell : pad(cell, widths[column] ?? 0))).join('   ').trimEnd();
  return [line(headers), ...rows.map(line)].join('\n') + '\n';
}

export function renderJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

export function renderYaml(value: unknown): string {
  return stringify(value);
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

/** Counts East Asian wide characters as two columns, so Chinese headers stay aligned. */
function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(char) ? 2 : 1;
  return width;
}
