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


function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

/** Counts East Asian wide characters as two columns, so Chinese headers stay aligned. */
function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(char) ? 2 : 1;
  return width;
}

/** ANSI colours for labels and marks; every function returns its input unchanged when colour is off. */
export interface Colors {
  readonly ok: (text: string) => string;
  readonly bad: (text: string) => string;
  readonly warning: (text: string) => string;
}

const PLAIN: Colors = { ok: (text) => text, bad: (text) => text, warning: (text) => text };

const ANSI: Colors = {
  ok: (text) => `\u001b[32m${text}\u001b[39m`,
  bad: (text) => `\u001b[31m${text}\u001b[39m`,
  warning: (text) => `\u001b[33m${text}\u001b[39m`,
};

/**
 * Returns colours only when stdout is a terminal and NO_COLOR is unset or empty (https://no-color.org).
 * NOTE: labels written to stderr follow the stdout check, because CliIo reports a terminal for stdout only.
 */
export function colorsFor(io: { readonly isTTY: boolean; readonly env: Readonly<Record<string, string | undefined>> }): Colors {
  const noColor = io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '';
  return io.isTTY && !noColor ? ANSI : PLAIN;
}
