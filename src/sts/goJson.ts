/**
 * JSON as Go's `encoding/json` (Go 1.26, v1) reads it: the same syntax errors with the same texts,
 * and objects kept as ordered entries so duplicate keys can be resolved the way Go resolves them.
 * The parser is iterative, so deep nesting cannot overflow the stack; Go's depth limit applies.
 */
import { goQuote, textToRaw } from '../token/goText.js';

export type JsonValue =
  | { readonly kind: 'object'; readonly entries: ReadonlyArray<readonly [string, JsonValue]> }
  | { readonly kind: 'array'; readonly items: readonly JsonValue[] }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'number'; readonly literal: string }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'null' };

export class GoJsonError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GoJsonError';
  }
}

/** Go's limit on nested objects and arrays. */
const MAX_NESTING_DEPTH = 10000;

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);

type Frame =
  | { kind: 'object'; entries: Array<readonly [string, JsonValue]>; key: string }
  | { kind: 'array'; items: JsonValue[] };

type State = 'value' | 'valueOrClose' | 'keyOrClose' | 'key' | 'colon' | 'commaOrClose' | 'end';

/** Parses one JSON text; throws GoJsonError with Go's message on the first syntax error. */
export function parseGoJson(text: string): JsonValue {
  const parser = new Parser(text);
  return parser.run();
}

class Parser {
  readonly #text: string;
  #position = 0;
  #state: State = 'value';
  readonly #stack: Frame[] = [];
  #root: JsonValue | undefined;

  constructor(text: string) {
    this.#text = text;
  }

  run(): JsonValue {
    for (;;) {
      this.#skipWhitespace();
      const char = this.#text[this.#position];
      if (char === undefined) break;
      this.#step(char);
    }
    if (this.#state !== 'end' || this.#root === undefined) throw new GoJsonError('unexpected end of JSON input');
    return this.#root;
  }

  #skipWhitespace(): void {
    while (WHITESPACE.has(this.#text[this.#position] ?? '')) this.#position++;
  }

  #step(char: string): void {
    switch (this.#state) {
      case 'valueOrClose':
        if (char === ']') return this.#close();
        return this.#beginValue(char);
      case 'value':
        return this.#beginValue(char);
      case 'keyOrClose':
        if (char === '}') return this.#close();
        return this.#readKey(char);
      case 'key':
        return this.#readKey(char);
      case 'colon':
        if (char !== ':') throw syntaxError(char, 'after object key');
        this.#position++;
        this.#state = 'value';
        return;
      case 'commaOrClose':
        return this.#afterElement(char);
      case 'end':
        throw syntaxError(char, 'after top-level value');
    }
  }

  #beginValue(char: string): void {
    if (char === '{' || char === '[') {
      if (this.#stack.length >= MAX_NESTING_DEPTH) throw syntaxError(char, 'exceeded max depth');
      this.#position++;
      this.#stack.push(char === '{' ? { kind: 'object', entries: [], key: '' } : { kind: 'array', items: [] });
      this.#state = char === '{' ? 'keyOrClose' : 'valueOrClose';
      return;
    }
    if (char === '"') return this.#complete({ kind: 'string', value: this.#readString() });
    if (char === '-' || (char >= '0' && char <= '9')) return this.#complete({ kind: 'number', literal: this.#readNumber() });
    if (char === 't' || char === 'f' || char === 'n') return this.#complete(this.#readLiteral(char));
    throw syntaxError(char, 'looking for beginning of value');
  }

  #readKey(char: string): void {
    if (char !== '"') throw syntaxError(char, 'looking for beginning of object key string');
    const top = this.#stack[this.#stack.length - 1];
    const key = this.#readString();
    if (top?.kind === 'object') top.key = key;
    this.#state = 'colon';
  }

  #afterElement(char: string): void {
    const top = this.#stack[this.#stack.length - 1];
    const inObject = top?.kind === 'object';
    if (char === ',') {
      this.#position++;
      this.#state = inObject ? 'key' : 'value';
      return;
    }
    if (char === (inObject ? '}' : ']')) return this.#close();
    throw syntaxError(char, inObject ? 'after object key:value pair' : 'after array element');
  }

  #close(): void {
    this.#position++;
    const frame = this.#stack.pop();
    if (frame === undefined) return;
    this.#complete(frame.kind === 'object' ? { kind: 'object', entries: frame.entries } : { kind: 'array', items: frame.items });
  }

  #complete(value: JsonValue): void {
    const top = this.#stack[this.#stack.length - 1];
    if (top === undefined) {
      this.#root = value;
      this.#state = 'end';
      return;
    }
    if (top.kind === 'object') top.entries.push([top.key, value]);
    else top.items.push(value);
    this.#state = 'commaOrClose';
  }

  /** Reads a string starting at the opening quote and returns its decoded value. */
  #readString(): string {
    const text = this.#text;
    let position = this.#position + 1;
    let out = '';
    for (;;) {
      const char = text[position];
      if (char === undefined) throw new GoJsonError('unexpected end of JSON input');
      if (char === '"') break;
      if (char === '\\') {
        const escape = readEscape(text, position);
        out += escape.value;
        position = escape.next;
        continue;
      }
      if (char < ' ') throw syntaxError(char, 'in string literal');
      out += char;
      position++;
    }
    this.#position = position + 1;
    return out;
  }

  #readNumber(): string {
    const text = this.#text;
    const start = this.#position;
    let position = start;
    const at = (): string => text[position] ?? ' ';
    const digits = (): void => {
      while (at() >= '0' && at() <= '9') position++;
    };

    if (at() === '-') position++;
    if (at() === '0') position++;
    else if (at() >= '1' && at() <= '9') digits();
    else throw syntaxError(at(), 'in numeric literal');

    if (at() === '.') {
      position++;
      if (!(at() >= '0' && at() <= '9')) throw syntaxError(at(), 'after decimal point in numeric literal');
      digits();
    }
    if (at() === 'e' || at() === 'E') {
      position++;
      if (at() === '+' || at() === '-') position++;
      if (!(at() >= '0' && at() <= '9')) throw syntaxError(at(), 'in exponent of numeric literal');
      digits();
    }
    this.#position = position;
    return text.slice(start, position);
  }

  #readLiteral(first: string): JsonValue {
    const words: Record<string, string> = { t: 'true', f: 'false', n: 'null' };
    const word = words[first] ?? 'null';
    for (let i = 1; i < word.length; i++) {
      // At the end of the input Go feeds a space to the scanner, so a cut literal reports ' '.
      const char = this.#text[this.#position + i] ?? ' ';
      if (char !== word[i]) throw syntaxError(char, `in literal ${word} (expecting ${quoteChar(word[i] ?? '')})`);
    }
    this.#position += word.length;
    if (word === 'null') return { kind: 'null' };
    return { kind: 'bool', value: word === 'true' };
  }
}

/** Decodes the escape at `position` (a backslash), like Go's `unquote`. */
function readEscape(text: string, position: number): { value: string; next: number } {
  // At the end of the input Go feeds a space to the scanner, which is no valid escape.
  const char = text[position + 1] ?? ' ';
  const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
  const mapped = simple[char];
  if (mapped !== undefined) return { value: mapped, next: position + 2 };
  if (char !== 'u') throw syntaxError(char, 'in string escape code');

  const unit = readHex4(text, position + 2);
  if (unit < 0xd800 || unit > 0xdfff) return { value: String.fromCharCode(unit), next: position + 6 };

  // A high surrogate followed by an escaped low surrogate is one character; anything else is U+FFFD.
  if (unit <= 0xdbff && text[position + 6] === '\\' && text[position + 7] === 'u') {
    const low = readHex4(text, position + 8);
    if (low >= 0xdc00 && low <= 0xdfff) return { value: String.fromCharCode(unit, low), next: position + 12 };
  }
  return { value: '\uFFFD', next: position + 6 };
}

function readHex4(text: string, start: number): number {
  for (let i = start; i < start + 4; i++) {
    const char = text[i] ?? ' ';
    if (!/[0-9A-Fa-f]/.test(char)) throw syntaxError(char, 'in \\u hexadecimal character escape');
  }
  return parseInt(text.slice(start, start + 4), 16);
}

function syntaxError(char: string, context: string): GoJsonError {
  return new GoJsonError(`invalid character ${quoteChar(char)} ${context}`);
}

/**
 * Quotes the offending byte like Go's scanner. Go reports the first byte of a multi-byte character,
 * printed as the rune of that byte value (0xC3 shows as 'Ã').
 */
function quoteChar(char: string): string {
  if (char === "'") return "'\\''";
  if (char === '"') return `'"'`;
  const firstByte = Buffer.from(char, 'utf8')[0] ?? 0;
  const quoted = goQuote(textToRaw(String.fromCharCode(firstByte)));
  return `'${quoted.slice(1, -1)}'`;
}
