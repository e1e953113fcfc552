import {
  Composer,
  CST,
  isMap,
  isScalar,
  type Pair,
  parseDocument,
  Parser,
  Scalar,
  YAMLMap,
  type Document,
  type Node,
} from 'yaml';
import { editError } from './guards.js';
import type { DataKey, ParsedAwsAuth } from './types.js';

/** Options that keep re-rendered YAML close to what people and kubectl write. */
export const RENDER_OPTIONS = { lineWidth: 0, flowCollectionPadding: false } as const;
const PARSE_OPTIONS = { version: '1.1', schema: 'failsafe', uniqueKeys: false } as const;

const NEW_CONFIGMAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: aws-auth\n  namespace: kube-system\n';

export interface WriteOptions {
  /** Try spliceBlockValue before the concrete syntax tree. Default: true. */
  readonly splice?: boolean;
}

/**
 * Writes `value` as data key `key` of the document and returns the new text. An existing value is
 * replaced in the concrete syntax tree, so every other byte (comments, formatting, kubectl's metadata)
 * stays as it was. A new key is appended after the last data key the same way. Documents without a
 * block `data` map are re-rendered with the Document API.
 */
export function writeDataValue(text: string, parsed: ParsedAwsAuth, key: DataKey, value: string, options: WriteOptions = {}): string {
  if (parsed.format === 'empty') return renderNewConfigMap(key, value);
  if (parsed.syntax === 'json') return writeJson(text, parsed, key, value);
  const spliced = options.splice === false ? undefined : spliceBlockValue(text, parsed, key, value);
  if (spliced !== undefined) return spliced;
  const written = writeInTree(text, parsed, key, value) ?? writeWithDocument(text, parsed, key, value);
  // New lines come out with \n; a file written with \r\n keeps one line-break style.
  return text.includes('\r\n') ? written.replace(/\r?\n/g, '\r\n') : written;
}

/**
 * Replaces the body of an existing `key: |` block literal by text, without a syntax tree. Returns the
 * bytes the tree path writes, or undefined when the document is outside the handled shape:
 * - one document: LF line breaks, no directive, no document marker but a `---` first line;
 * - the key written once at its column as `key: |`, with nothing after the bar;
 * - a body of non-blank lines, each indented at least as deep as the first;
 * - after the body, the end of the text or a non-blank line no deeper than the key;
 * - a new value for which the tree path writes a bare `|` header (see isPlainBlockValue).
 * It scans lines once, where the tree path lexes the whole text into a syntax tree.
 */
export function spliceBlockValue(text: string, parsed: ParsedAwsAuth, key: DataKey, value: string): string | undefined {
  const line = parsed.keys[key].line;
  if (parsed.syntax !== 'yaml' || parsed.keys[key].status !== 'ok' || line === undefined) return undefined;
  if (text.includes('\r') || !isPlainBlockValue(value) || hasDocumentMarkers(text)) return undefined;

  const headerStart = lineStart(text, line);
  if (headerStart === undefined) return undefined;
  const headerEnd = text.indexOf('\n', headerStart);
  const header = headerEnd === -1 ? null : HEADER.exec(text.slice(headerStart, headerEnd));
  if (header === null || header[2] !== key) return undefined;
  const keyColumn = header[1]?.length ?? 0;
  if (countKeyLines(text, header[1] ?? '', key) !== 1) return undefined;

  const bodyStart = headerEnd + 1;
  const bodyEnd = blockBodyEnd(text, bodyStart, keyColumn);
  if (bodyEnd === undefined) return undefined;
  const indent = text.slice(bodyStart, bodyEnd).search(/\S/);
  const body = value.slice(0, -1).split('\n').map((valueLine) => ' '.repeat(indent) + valueLine).join('\n');
  return `${text.slice(0, bodyStart)}${body}\n${text.slice(bodyEnd)}`;
}

/**
 * Reports whether the text has directives or document markers other than one `---` on the first line.
 * The tree path edits only a single document and re-renders anything else with the Document API.
 */
function hasDocumentMarkers(text: string): boolean {
  const body = text.startsWith('---\n') ? text.slice(4) : text;
  return body.startsWith('%') || /^(?:---|\.\.\.)(?:[ \t]|$)/m.test(body);
}

/** A data key written plainly with a bare `|` header: group 1 is its indentation, group 2 its name. */
const HEADER = /^( *)([A-Za-z]+): \|$/;

/**
 * Reports whether a block literal writes `value` with a bare `|` header and its lines unchanged: lines
 * that are not blank, a first line that does not start with a space, no tab, one final line break.
 */
function isPlainBlockValue(value: string): boolean {
  if (!value.endsWith('\n') || value.startsWith(' ') || value.includes('\t')) return false;
  const lines = value.slice(0, -1).split('\n');
  return lines.every((valueLine) => valueLine.trim() !== '') && !(lines.at(-1) ?? '').endsWith(' ');
}

/** Returns the offset where 1-based line `line` starts, or undefined past the end. */
function lineStart(text: string, line: number): number | undefined {
  let offset = 0;
  for (let current = 1; current < line; current++) {
    const end = text.indexOf('\n', offset);
    if (end === -1) return undefined;
    offset = end + 1;
  }
  return offset;
}

/** Counts the lines that start with `indent` followed by `key:`. */
function countKeyLines(text: string, indent: string, key: string): number {
  const needle = `${indent}${key}:`;
  let count = text.startsWith(needle) ? 1 : 0;
  for (let at = text.indexOf(`\n${needle}`); at !== -1; at = text.indexOf(`\n${needle}`, at + 1)) count++;
  return count;
}

/**
 * Returns the end offset of a block scalar body that starts at `start`: its lines are non-blank and
 * indented deeper than `keyColumn`, at least as deep as the first. Returns undefined for an empty body,
 * a blank line, a tab in the indentation or a last line without a line break.
 */
function blockBodyEnd(text: string, start: number, keyColumn: number): number | undefined {
  let bodyIndent: number | undefined;
  let offset = start;
  while (offset < text.length) {
    const end = text.indexOf('\n', offset);
    const line = text.slice(offset, end === -1 ? text.length : end);
    const indent = line.search(/[^ ]/);
    if (indent === -1 || line[indent] === '\t') return undefined;
    if (indent <= keyColumn) break;
    bodyIndent ??= indent;
    if (end === -1 || indent < bodyIndent) return undefined;
    offset = end + 1;
  }
  return bodyIndent === undefined ? undefined : offset;
}

function renderNewConfigMap(key: DataKey, value: string): string {
  const document = parseDocument(NEW_CONFIGMAP, PARSE_OPTIONS);
  const data = new YAMLMap();
  data.set(new Scalar(key), blockLiteral(value));
  document.set('data', data);
  return document.toString(RENDER_OPTIONS);
}

function blockLiteral(value: string): Scalar {
  const scalar = new Scalar(value);
  scalar.type = 'BLOCK_LITERAL';
  return scalar;
}

function writeJson(text: string, parsed: ParsedAwsAuth, key: DataKey, value: string): string {
  const object = JSON.parse(text) as Record<string, unknown>;
  let data = object;
  if (parsed.format === 'configmap') {
    if (typeof object['data'] !== 'object' || object['data'] === null) object['data'] = {};
    data = object['data'] as Record<string, unknown>;
  }
  data[key] = value;
  const indent = /\n( +|\t)\S/.exec(text)?.[1] ?? '';
  return JSON.stringify(object, null, indent) + (text.endsWith('\n') ? '\n' : '');
}

interface Tree {
  readonly tokens: CST.Token[];
  readonly document: Document.Parsed;
}

function parseTree(text: string): Tree | undefined {
  const tokens = [...new Parser().parse(text)];
  const documents = [...new Composer({ ...PARSE_OPTIONS, keepSourceTokens: true }).compose(tokens)];
  const document = documents[0];
  return documents.length === 1 && document !== undefined ? { tokens, document } : undefined;
}

function dataNode(tree: Tree, parsed: ParsedAwsAuth): Node | undefined {
  const contents = tree.document.contents;
  if (parsed.format === 'data') return contents ?? undefined;
  return (lastDataPair(contents)?.value ?? undefined) as Node | undefined;
}

/**
 * Returns the last `data` pair of a ConfigMap mapping. Go's decoder keeps the last of duplicate keys,
 * and so does parseAwsAuth, while YAMLMap.get returns the first.
 */
function lastDataPair(contents: unknown): Pair | undefined {
  if (!isMap(contents)) return undefined;
  return contents.items.filter((pair) => isScalar(pair.key) && pair.key.value === 'data').at(-1);
}

/** Column of the first content line of a block scalar in the original text, or undefined. */
function contentIndent(text: string, scalar: Scalar): number | undefined {
  if (scalar.type !== 'BLOCK_LITERAL' && scalar.type !== 'BLOCK_FOLDED') return undefined;
  const start = scalar.range?.[0] ?? 0;
  const end = scalar.range?.[1] ?? start;
  const body = text.slice(text.indexOf('\n', start) + 1, end);
  const line = body.split('\n').find((candidate) => candidate.trim() !== '');
  return line === undefined ? undefined : line.length - line.trimStart().length;
}

function setBlockValue(token: CST.Token, value: string, indent: number): void {
  // setScalarValue indents block content by the token's indent, so lend it the wanted column.
  const withIndent = token as { indent?: number };
  const saved = withIndent.indent;
  withIndent.indent = indent;
  CST.setScalarValue(token, value, { type: 'BLOCK_LITERAL' });
  withIndent.indent = saved;
}

function writeInTree(text: string, parsed: ParsedAwsAuth, key: DataKey, value: string): string | undefined {
  const tree = parseTree(text);
  if (tree === undefined) return undefined;
  const data = dataNode(tree, parsed);
  if (!isMap(data) || data.flow === true) return undefined;

  const pair = data.items.find((item) => isScalar(item.key) && item.key.value === key);
  const keyToken = (pair?.key as Scalar | undefined)?.srcToken as { indent?: number; offset?: number } | undefined;
  const keyColumn = keyToken?.offset === undefined ? undefined : column(text, keyToken.offset);
  if (pair !== undefined && isScalar(pair.value) && pair.value.srcToken !== undefined && keyColumn !== undefined) {
    const indent = contentIndent(text, pair.value) ?? keyColumn + indentStep(text, data, parsed);
    setBlockValue(pair.value.srcToken, value, indent);
    return tree.tokens.map((token) => CST.stringify(token)).join('');
  }
  if (pair !== undefined) return undefined;
  return appendPair(tree, data, text, key, value, indentStep(text, data, parsed));
}

function column(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

/**
 * Returns the indentation step for block content under a data key: the one of an existing block value,
 * else the column of the data keys in a ConfigMap (one step below `data:`). Default: 2.
 */
function indentStep(text: string, data: YAMLMap, parsed: ParsedAwsAuth): number {
  for (const pair of data.items) {
    const keyOffset = ((pair.key as Scalar | undefined)?.srcToken as { offset?: number } | undefined)?.offset;
    const indent = isScalar(pair.value) ? contentIndent(text, pair.value) : undefined;
    if (keyOffset !== undefined && indent !== undefined && indent > column(text, keyOffset)) return indent - column(text, keyOffset);
  }
  const firstKey = ((data.items[0]?.key as Scalar | undefined)?.srcToken as { offset?: number } | undefined)?.offset;
  if (parsed.format === 'configmap' && firstKey !== undefined && column(text, firstKey) > 0) return column(text, firstKey);
  return 2;
}

function appendPair(tree: Tree, data: YAMLMap, text: string, key: DataKey, value: string, step: number): string | undefined {
  const mapToken = data.srcToken;
  if (mapToken?.type !== 'block-map') return undefined;
  if (!CST.stringify(mapToken).endsWith('\n')) return undefined;
  const lastKey = data.items.at(-1)?.key as Scalar | undefined;
  const lastOffset = (lastKey?.srcToken as { offset?: number } | undefined)?.offset;
  if (lastOffset === undefined) return undefined;

  const keyColumn = column(text, lastOffset);
  const valueToken: CST.FlowScalar = { type: 'scalar', offset: -1, indent: keyColumn, source: '', end: [] };
  mapToken.items.push({
    start: [{ type: 'space', offset: -1, indent: 0, source: ' '.repeat(keyColumn) }],
    key: { type: 'scalar', offset: -1, indent: keyColumn, source: key },
    sep: [
      { type: 'map-value-ind', offset: -1, indent: keyColumn, source: ':' },
      { type: 'space', offset: -1, indent: keyColumn, source: ' ' },
    ],
    value: valueToken,
  });
  setBlockValue(valueToken, value, keyColumn + step);
  return tree.tokens.map((token) => CST.stringify(token)).join('');
}

/**
 * Re-renders the whole document with the new value. Throws EDIT_DOCUMENT_INVALID for a text the
 * Document API cannot write back, such as a file of several YAML documents.
 */
function writeWithDocument(text: string, parsed: ParsedAwsAuth, key: DataKey, value: string): string {
  const document = parseDocument(text, PARSE_OPTIONS);
  const error = document.errors[0];
  if (error !== undefined) {
    const problem =
      error.code === 'MULTIPLE_DOCS'
        ? 'the file holds more than one YAML document; keep the aws-auth ConfigMap alone in its file'
        : `the YAML failed to parse (${error.message}); correct it`;
    throw editError('EDIT_DOCUMENT_INVALID', `refusing to edit: ${problem} and edit again`, { error: error.code });
  }
  let data: unknown = document.contents;
  if (parsed.format === 'configmap') {
    const pair = lastDataPair(document.contents);
    if (pair !== undefined && !isMap(pair.value)) pair.value = new YAMLMap();
    if (pair === undefined) document.set('data', new YAMLMap());
    data = pair?.value ?? document.get('data', true);
  }
  if (!isMap(data)) throw editError('EDIT_DOCUMENT_INVALID', 'refusing to edit: the document is not a mapping', {});
  // A block scalar cannot sit in a flow map, so `data: {…}` becomes a block map.
  data.flow = false;
  data.set(key, blockLiteral(value));
  return document.toString({ ...RENDER_OPTIONS, doubleQuotedAsJSON: true });
}
