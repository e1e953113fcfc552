import type { GoPair, GoValue, GoYamlResult, KeyOrder } from './goyaml.js';
import { resolvePlain } from './goyaml.js';

/**
 * Reads the block YAML that aws-auth ConfigMaps are written in, without the `yaml` package: block
 * mappings and sequences, single-line plain and quoted scalars, `|` block literals, one-line flow
 * sequences of scalars, comments and blank lines. It returns exactly the GoValue tree that the full
 * reader (parseGoYamlFull) returns, or undefined to decline, and the caller then runs the full reader.
 * It declines any text outside that subset and any text it cannot read with certainty. Examples are
 * anchors, aliases, tags, tabs, CR, flow mappings, several documents, directives, empty values,
 * multi-line plain or quoted scalars, folded scalars, escapes in double quotes and odd indentation.
 * It also declines keys that are not plain words, and plain scalars that YAML 1.1 reads as a
 * boolean, null, number or timestamp. It never returns an error: texts with syntax errors decline,
 * so every error message comes from the full reader.
 */
export function parseFastGoYaml(text: string, keyOrder: KeyOrder): GoYamlResult | undefined {
  if (UNSUPPORTED_CHARACTER.test(text)) return undefined;
  try {
    const reader = new FastReader(text, keyOrder);
    return { ok: true, value: reader.readDocument() };
  } catch (error) {
    if (error === DECLINE) return undefined;
    throw error;
  }
}

/**
 * Characters outside printable ASCII and the plain non-ASCII ranges: controls, tabs, CR, NEL and the
 * other C1 controls, U+2028 and U+2029 (YAML 1.1 line breaks), the byte order mark and surrogates.
 */
const UNSUPPORTED_CHARACTER = /[^\n\x20-\x7e\u00a0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]/;

/** Thrown inside the reader to abandon the fast path. parseFastGoYaml catches it. */
const DECLINE: unique symbol = Symbol('decline');

/** Maximum key length read here. The `yaml` package (2.9) rejects implicit keys over 1024 characters. */
const MAX_KEY_LENGTH = 256;
/** Characters that cannot start a plain scalar here, because they start other YAML syntax. */
const INDICATORS = new Set(['-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', "'", '"', '%', '@', '`']);
/** Plain scalars that yaml.v2 might read as a timestamp; the full reader decides those. */
const TIMESTAMP_LIKE = /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}/;
/** A plain scalar inside a flow sequence: no flow indicators, quotes, `#` or spaces. */
const FLOW_PLAIN = /^[A-Za-z0-9_][A-Za-z0-9_./=+@~$^():-]*$/;

function decline(): never {
  throw DECLINE;
}

function indentOf(line: string): number {
  let column = 0;
  while (line.charCodeAt(column) === 0x20) column++;
  return column;
}

/** Reports whether the line has a sequence entry `-` at the column: a dash followed by a space or the end. */
function isSequenceEntry(line: string, column: number): boolean {
  return line.charCodeAt(column) === 0x2d && (column + 1 === line.length || line.charCodeAt(column + 1) === 0x20);
}

function isLetterCode(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a);
}

/** Reports whether the character code is a letter, a digit or `_`. */
function isWordCode(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || (code >= 0x30 && code <= 0x39) || code === 0x5f;
}

/**
 * Finds the end of a plain key at the column: the index of its `:` indicator, or -1 for no key
 * there. A plain key is a word of letters, digits and `_ . / -` that starts with a letter, digit or `_`.
 */
function keyEnd(line: string, column: number): number {
  if (!isWordCode(line.charCodeAt(column))) return -1;
  const limit = Math.min(line.length, column + MAX_KEY_LENGTH + 1);
  for (let index = column + 1; index < limit; index++) {
    const code = line.charCodeAt(index);
    if (code === 0x3a) return index + 1 === line.length || line.charCodeAt(index + 1) === 0x20 ? index : -1;
    // `.`, `/` and `-` are 0x2e, 0x2f and 0x2d.
    if (!isWordCode(code) && code !== 0x2e && code !== 0x2f && code !== 0x2d) return -1;
  }
  return -1;
}

/** Reports whether YAML 1.1 reads a plain key as a string; cached, because the same few keys repeat. */
function isStringKey(key: string): boolean {
  let known = stringKeys.get(key);
  if (known === undefined) {
    known = resolvePlain(key).kind === 'string';
    if (stringKeys.size >= MAX_CACHED_KEYS) stringKeys.clear();
    stringKeys.set(key, known);
  }
  return known;
}

const stringKeys = new Map<string, boolean>();
const MAX_CACHED_KEYS = 256;

/** Removes leading and trailing spaces (U+0020 only: YAML does not trim other white space). */
function trimSpaces(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) === 0x20) start++;
  while (end > start && text.charCodeAt(end - 1) === 0x20) end--;
  return text.slice(start, end);
}

/** Checks that what follows a scalar on its line is only spaces and an optional comment. */
function expectLineEnd(line: string, from: number): void {
  let column = from;
  while (line.charCodeAt(column) === 0x20) column++;
  if (column === line.length) return;
  if (column > from && line.charCodeAt(column) === 0x23) return;
  decline();
}

/** Returns a plain scalar as a string value, declining unless yaml.v2 reads it as a plain string. */
function plainString(value: string, line: number): GoValue {
  // YAML 1.1 booleans and nulls have at most 5 characters, and numbers and timestamps start with a
  // digit, a sign or `.`, so a longer scalar that starts with a letter is a string.
  if (value.length > 5 && isLetterCode(value.charCodeAt(0))) return { kind: 'string', value, line, style: 'plain' };
  if (value === '' || TIMESTAMP_LIKE.test(value)) decline();
  const resolved = resolvePlain(value, line);
  if (resolved.kind !== 'string') decline();
  return resolved;
}

/** Sorts pairs in place into the full reader's json-object order: unique keys, the later duplicate wins, sorted. */
function sortUniquePairs(pairs: GoPair[]): void {
  // Keys here are ASCII, so UTF-16 order is code point order. Maps have few keys, so an insertion
  // sort in place: pairs[0, count) is the sorted prefix, and a duplicate replaces its earlier pair.
  let count = 0;
  for (let next = 0; next < pairs.length; next++) {
    const pair = pairs[next] as GoPair;
    let index = count;
    while (index > 0 && (pairs[index - 1] as GoPair).key > pair.key) index--;
    if (index > 0 && (pairs[index - 1] as GoPair).key === pair.key) {
      pairs[index - 1] = pair;
      continue;
    }
    for (let move = count; move > index; move--) pairs[move] = pairs[move - 1] as GoPair;
    pairs[index] = pair;
    count++;
  }
  pairs.length = count;
}

class FastReader {
  private readonly lines: string[];
  private readonly endsWithNewline: boolean;
  private position = 0;
  /** A line whose content starts after a `- ` sequence indicator, and the column of that content. */
  private compactLine = -1;
  private compactColumn = 0;

  constructor(
    text: string,
    private readonly keyOrder: KeyOrder,
  ) {
    this.lines = text.split('\n');
    this.endsWithNewline = text.endsWith('\n');
    if (this.endsWithNewline) this.lines.pop();
  }

  readDocument(): GoValue {
    this.skipIgnorable();
    if (this.atEnd() || this.indentAt(this.position) !== 0) decline();
    const value = this.readBlock(0);
    this.skipIgnorable();
    if (!this.atEnd()) decline();
    return value;
  }

  private atEnd(): boolean {
    return this.position >= this.lines.length;
  }

  private currentLine(): string {
    return this.lines[this.position] as string;
  }

  private indentAt(position: number): number {
    return position === this.compactLine ? this.compactColumn : indentOf(this.lines[position] as string);
  }

  /** Skips blank lines and comment lines. A line of only spaces declines. */
  private skipIgnorable(): void {
    while (!this.atEnd()) {
      const line = this.currentLine();
      if (line !== '') {
        const column = indentOf(line);
        if (column === line.length) decline();
        if (line.charCodeAt(column) !== 0x23) return;
      }
      this.position++;
    }
  }

  /** Reads the mapping or sequence whose first line is the current line, at the column. */
  private readBlock(column: number): GoValue {
    const line = this.currentLine();
    if (isSequenceEntry(line, column)) return this.readSequence(column, false);
    return this.readMapping(column);
  }

  private readMapping(column: number): GoValue {
    const pairs: GoPair[] = [];
    const mapLine = this.position + 1;
    for (;;) {
      this.skipIgnorable();
      if (this.atEnd()) break;
      const indent = this.indentAt(this.position);
      if (indent < column) break;
      if (indent > column) decline();
      pairs.push(this.readPair(column));
    }
    if (pairs.length === 0) decline();
    if (this.keyOrder === 'json-object') sortUniquePairs(pairs);
    return { kind: 'map', pairs, line: mapLine };
  }

  /** Reads `key: value` or `key:` and the block below it. */
  private readPair(column: number): GoPair {
    const line = this.currentLine();
    const colon = keyEnd(line, column);
    if (colon < 0) decline();
    const key = line.slice(column, colon);
    const keyLine = this.position + 1;
    if (!isStringKey(key)) decline();

    let valueColumn = colon + 1;
    while (line.charCodeAt(valueColumn) === 0x20) valueColumn++;
    if (valueColumn < line.length) return { key, value: this.readInline(line, valueColumn, column), keyLine };

    this.position++;
    return { key, value: this.readNested(column), keyLine };
  }

  /** Reads the block below a `key:` line: a deeper mapping or sequence, or a sequence at the key's column. */
  private readNested(column: number): GoValue {
    this.skipIgnorable();
    if (this.atEnd()) decline();
    const indent = this.indentAt(this.position);
    if (indent > column) return this.readBlock(indent);
    if (indent === column && isSequenceEntry(this.currentLine(), column)) return this.readSequence(column, true);
    return decline();
  }

  /** Reads the scalar or flow sequence that starts at the column of the current line, then moves past the line. */
  private readInline(line: string, column: number, parentIndent: number): GoValue {
    const lineNumber = this.position + 1;
    const first = line[column] as string;
    if (first === '|') return this.readLiteral(line, column, parentIndent);
    this.position++;
    if (first === "'") return this.readSingleQuoted(line, column, lineNumber);
    if (first === '"') return this.readDoubleQuoted(line, column, lineNumber);
    if (first === '[') return this.readFlowSequence(line, column, lineNumber);
    if (INDICATORS.has(first)) decline();
    return this.readPlain(line, column, lineNumber);
  }

  private readPlain(line: string, column: number, lineNumber: number): GoValue {
    let end = line.indexOf(' #', column);
    if (end < 0) end = line.length;
    while (line.charCodeAt(end - 1) === 0x20) end--;
    const value = line.slice(column, end);
    if (value.includes(': ') || value.endsWith(':')) decline();
    return plainString(value, lineNumber);
  }

  private readSingleQuoted(line: string, column: number, lineNumber: number): GoValue {
    let value = '';
    let from = column + 1;
    for (;;) {
      const quote = line.indexOf("'", from);
      if (quote < 0) decline();
      value += line.slice(from, quote);
      if (line.charCodeAt(quote + 1) !== 0x27) {
        expectLineEnd(line, quote + 1);
        return { kind: 'string', value, line: lineNumber, style: 'quoted' };
      }
      value += "'";
      from = quote + 2;
    }
  }

  private readDoubleQuoted(line: string, column: number, lineNumber: number): GoValue {
    const quote = line.indexOf('"', column + 1);
    if (quote < 0) decline();
    const value = line.slice(column + 1, quote);
    if (value.includes('\\')) decline();
    expectLineEnd(line, quote + 1);
    return { kind: 'string', value, line: lineNumber, style: 'quoted' };
  }

  /** Reads a one-line flow sequence of plain words or simply quoted scalars, such as `[system:masters, viewers]`. */
  private readFlowSequence(line: string, column: number, lineNumber: number): GoValue {
    const close = line.indexOf(']', column);
    if (close < 0) decline();
    expectLineEnd(line, close + 1);
    const inner = line.slice(column + 1, close);
    const items: GoValue[] = [];
    if (trimSpaces(inner) !== '') {
      for (const part of inner.split(',')) items.push(this.readFlowItem(trimSpaces(part), lineNumber));
    }
    return { kind: 'seq', items, line: lineNumber };
  }

  private readFlowItem(item: string, lineNumber: number): GoValue {
    const quote = item[0];
    if ((quote === '"' || quote === "'") && item.length >= 2 && item.endsWith(quote)) {
      const value = item.slice(1, -1);
      if (value.includes('"') || value.includes("'") || value.includes('\\')) decline();
      return { kind: 'string', value, line: lineNumber, style: 'quoted' };
    }
    if (!FLOW_PLAIN.test(item) || item.endsWith(':')) decline();
    return plainString(item, lineNumber);
  }

  /**
   * Reads a `|`, `|-` or `|+` block literal whose header is at the column. The content indentation
   * is that of its first line, which must be deeper than the parent's. Leading blank lines, lines of
   * only spaces and content that runs to the end of a text without a final newline decline.
   */
  private readLiteral(line: string, column: number, parentIndent: number): GoValue {
    const header = line.slice(column);
    if (header !== '|' && header !== '|-' && header !== '|+') decline();
    const lineNumber = this.position + 1;
    this.position++;
    if (this.atEnd()) decline();
    const indent = indentOf(this.currentLine());
    if (indent <= parentIndent || indent === this.currentLine().length) decline();

    const content: string[] = [];
    let trailingBlank = 0;
    while (!this.atEnd()) {
      const text = this.currentLine();
      if (text === '') {
        trailingBlank++;
        this.position++;
        continue;
      }
      const textIndent = indentOf(text);
      if (textIndent === text.length) decline();
      if (textIndent < indent) break;
      for (; trailingBlank > 0; trailingBlank--) content.push('');
      content.push(text.slice(indent));
      this.position++;
    }
    if (this.atEnd() && trailingBlank === 0 && !this.endsWithNewline) decline();
    return { kind: 'string', value: chomp(content.join('\n'), header, trailingBlank), line: lineNumber, style: 'block-literal' };
  }

  /**
   * Reads a block sequence at the column. `compact` marks a sequence at the column of its parent
   * key, which ends at the next line of that column that is not an entry.
   */
  private readSequence(column: number, compact: boolean): GoValue {
    const items: GoValue[] = [];
    const seqLine = this.position + 1;
    for (;;) {
      this.skipIgnorable();
      if (this.atEnd()) break;
      const indent = this.indentAt(this.position);
      if (indent < column) break;
      if (indent > column) decline();
      const line = this.currentLine();
      if (!isSequenceEntry(line, column)) {
        if (compact) break;
        decline();
      }
      items.push(this.readEntry(line, column));
    }
    return { kind: 'seq', items, line: seqLine };
  }

  /** Reads one `- ` entry: a scalar, a flow sequence, or a mapping whose first key is on the entry's line. */
  private readEntry(line: string, column: number): GoValue {
    let contentColumn = column + 1;
    while (line.charCodeAt(contentColumn) === 0x20) contentColumn++;
    if (contentColumn === line.length) decline();
    const first = line[contentColumn] as string;
    if (first === '|' || isSequenceEntry(line, contentColumn)) decline();
    if (keyEnd(line, contentColumn) < 0) return this.readInline(line, contentColumn, column);

    this.compactLine = this.position;
    this.compactColumn = contentColumn;
    return this.readMapping(contentColumn);
  }
}

/** Applies a block scalar's chomping indicator to its content lines. */
function chomp(body: string, header: string, trailingBlank: number): string {
  if (header === '|-') return body;
  if (header === '|+') return body + '\n'.repeat(trailingBlank + 1);
  return `${body}\n`;
}
