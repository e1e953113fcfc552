/**
 * A fenced `sh` block of a guide page that the docs test runs. The HTML comment just above the
 * fence marks it and states what to expect, for example
 * `<!-- tested exit=3 contains="Result: not authenticated" -->`. `exit` defaults to 0, and
 * `contains` (stdout or stderr) may repeat; `\"` writes a quote inside a quoted value.
 */
export interface TestedBlock {
  readonly line: number;
  readonly script: string;
  readonly exitCode: number;
  readonly contains: readonly string[];
}

const MARKER = /^<!--\s*tested\b(.*?)-->\s*$/;
/** `name=value` or `name="value"`, where `\"` in a quoted value stands for `"`. */
const ATTRIBUTE = /(\w+)=(?:"((?:[^"\\]|\\.)*)"|(\S+))/g;

function parseMarker(attributes: string, line: number): Omit<TestedBlock, 'script'> {
  let exitCode = 0;
  const contains: string[] = [];
  for (const match of attributes.matchAll(ATTRIBUTE)) {
    const name = match[1];
    const value = match[2] === undefined ? (match[3] ?? '') : match[2].replace(/\\(.)/g, '$1');
    if (name === 'exit') exitCode = Number(value);
    else if (name === 'contains') contains.push(value);
    else throw new Error(`line ${line}: unknown attribute ${name} in a tested marker`);
  }
  return { line, exitCode, contains };
}

/** Extracts the marked `sh` blocks of a Markdown page, in page order. Throws on a marker without a block. */
export function testedBlocks(markdown: string): TestedBlock[] {
  const lines = markdown.split('\n');
  const blocks: TestedBlock[] = [];
  for (let index = 0; index < lines.length; index++) {
    const marker = MARKER.exec(lines[index] ?? '');
    if (marker === null) continue;

    if (lines[index + 1] !== '```sh') throw new Error(`line ${index + 1}: a tested marker must sit right above a \`\`\`sh fence`);
    const end = lines.indexOf('```', index + 2);
    if (end < 0) throw new Error(`line ${index + 2}: the sh block is not closed`);
    blocks.push({ ...parseMarker(marker[1] ?? '', index + 1), script: lines.slice(index + 2, end).join('\n') });
    index = end;
  }
  return blocks;
}
