/**
 * JSON as Go's `encoding/json` (Go 1.26, v1) reads it, in its two call shapes: `parseGoJson` reads a
 * whole text like `json.Unmarshal`, and `readFirstJsonValue` reads the first value of a byte buffer
 * like `json.Decoder.Decode`, which aws-iam-authenticator uses for TokenReview bodies. Both run one
 * byte reader with Go's syntax error texts. Objects keep every entry in input order, so duplicate
 * keys can be resolved the way Go resolves them. `JSON.parse` would merge them instead, and it would
 * keep lone surrogates where Go substitutes U+FFFD. The reader is iterative, so deep nesting cannot
 * overflow the stack, and Go's depth limit applies.
 */
import { isAscii } from 'node:buffer';
import { goQuote, textToRaw } from '../token/goText.js';

/** A parsed JSON value whose strings have the type `Str`. */
type JsonTree<Str> =
  | { readonly kind: 'object'; readonly entries: Array<readonly [string, JsonTree<Str>]> }
  | { readonly kind: 'array'; readonly items: Array<JsonTree<Str>> }
  | Str
  | { readonly kind: 'number'; readonly literal: string }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'null' };

/** A value read by `parseGoJson`. */
export type JsonValue = JsonTree<{ readonly kind: 'string'; readonly value: string }>;

/**
 * A value read by `readFirstJsonValue`. A string's `raw` is the text between the quotes, one
 * character per input byte, escapes not applied.
 */
export type JsonNode = JsonTree<{ readonly kind: 'string'; readonly value: string; readonly raw: string }>;

type AnyNode = JsonTree<{ readonly kind: 'string'; readonly value: string; readonly raw?: string }>;
type ObjectNode = Extract<AnyNode, { kind: 'object' }>;
type ArrayNode = Extract<AnyNode, { kind: 'array' }>;

/**
 * A syntax error with Go's message, at a byte offset of the input. At the end of the input the
 * message is `unexpected end of JSON input` for `parseGoJson`, and `EOF` or `unexpected EOF` for
 * `readFirstJsonValue`.
 */
export class GoJsonSyntaxError extends Error {
  readonly offset: number;

  constructor(message: string, offset: number) {
    super(message);
    this.name = 'GoJsonSyntaxError';
    this.offset = offset;
  }
}

/** The error `parseGoJson` throws; the same class as GoJsonSyntaxError. */
export { GoJsonSyntaxError as GoJsonError };

/** Go's scanner rejects nesting deeper than this. */
export const MAX_NESTING_DEPTH = 10_000;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const SPACE = 0x20;

/** Parses one JSON text like `json.Unmarshal`: only white space may follow the value. */
export function parseGoJson(text: string): JsonValue {
  const reader = new JsonReader(Buffer.from(text, 'utf8'), 'whole');
  reader.skipSpace();
  const value = reader.readValue();
  reader.skipSpace();
  if (!reader.atEnd()) {
    throw reader.invalidCharacter(reader.peek(), reader.pos, 'after top-level value');
  }
  return value as JsonValue;
}

/**
 * Reads the first JSON value of `input` like `json.Decoder.Decode`: leading white space is skipped,
 * anything after the value is ignored, and the value itself must be valid JSON.
 */
export function readFirstJsonValue(input: Uint8Array): JsonNode {
  const reader = new JsonReader(input, 'first');
  reader.skipSpace();
  if (reader.atEnd()) {
    throw new GoJsonSyntaxError('EOF', reader.pos);
  }
  return reader.readValue() as JsonNode;
}

/**
 * `whole` reads like `json.Unmarshal`, whose scanner is given one space after the last byte. A value
 * cut where a space is invalid (in a literal, number or escape) reports that space, and any other
 * cut reports `unexpected end of JSON input`. `first` reads like `json.Decoder`, which reports every
 * cut as `unexpected EOF` and keeps each string's raw bytes.
 */
type Mode = 'whole' | 'first';

type Frame = { readonly node: ObjectNode; key: string } | { readonly node: ArrayNode };

class JsonReader {
  pos = 0;

  constructor(
    private readonly input: Uint8Array,
    private readonly mode: Mode,
  ) {}

  atEnd(): boolean {
    return this.pos >= this.input.length;
  }

  peek(): number {
    return this.input[this.pos] as number;
  }

  skipSpace(): void {
    while (!this.atEnd() && isSpace(this.peek())) {
      this.pos++;
    }
  }

  /** Reads one value iteratively, so deep nesting cannot overflow the call stack. */
  readValue(): AnyNode {
    const stack: Frame[] = [];

    for (;;) {
      let value = this.openValue(stack);
      if (value === undefined) {
        continue;
      }

      for (;;) {
        const top = stack[stack.length - 1];
        if (top === undefined) {
          return value;
        }
        if ('key' in top) {
          top.node.entries.push([top.key, value]);
        } else {
          top.node.items.push(value);
        }
        const closed = this.afterElement(top);
        if (closed === undefined) {
          break;
        }
        stack.pop();
        value = closed;
      }
    }
  }

  invalidCharacter(c: number, offset: number, context: string): GoJsonSyntaxError {
    return new GoJsonSyntaxError(`invalid character ${quoteByte(c)} ${context}`, offset);
  }

  /**
   * Starts the value at the current position. Returns the finished value, or undefined after
   * pushing a non-empty object or array, whose first element is read next.
   */
  private openValue(stack: Frame[]): AnyNode | undefined {
    const c = this.next();

    if (c === 0x7b /* { */) {
      const node: ObjectNode = { kind: 'object', entries: [] };
      this.checkDepth(c, stack);
      this.skipSpace();
      if (this.peekOrEnd() === 0x7d /* } */) {
        this.pos++;
        return node;
      }
      stack.push({ node, key: this.readKey('looking for beginning of object key string') });
      return undefined;
    }
    if (c === 0x5b /* [ */) {
      const node: ArrayNode = { kind: 'array', items: [] };
      this.checkDepth(c, stack);
      this.skipSpace();
      if (this.peekOrEnd() === 0x5d /* ] */) {
        this.pos++;
        return node;
      }
      stack.push({ node });
      return undefined;
    }
    if (c === QUOTE) {
      return this.readStringBody();
    }
    if (c === 0x2d /* - */ || isDigit(c)) {
      return this.readNumber(this.pos - 1);
    }
    if (c === 0x74 /* t */) {
      this.expectLiteral('rue', 'true');
      return { kind: 'bool', value: true };
    }
    if (c === 0x66 /* f */) {
      this.expectLiteral('alse', 'false');
      return { kind: 'bool', value: false };
    }
    if (c === 0x6e /* n */) {
      this.expectLiteral('ull', 'null');
      return { kind: 'null' };
    }
    throw this.invalidCharacter(c, this.pos - 1, 'looking for beginning of value');
  }

  /** Consumes the separator after an element. Returns the container when it closed. */
  private afterElement(frame: Frame): AnyNode | undefined {
    const isObject = 'key' in frame;
    const context = isObject ? 'after object key:value pair' : 'after array element';
    this.skipSpace();
    const c = this.next();

    if (c === 0x2c /* , */) {
      this.skipSpace();
      if (isObject) {
        frame.key = this.readKey('looking for beginning of object key string');
      }
      return undefined;
    }
    if ((isObject && c === 0x7d) || (!isObject && c === 0x5d)) {
      return frame.node;
    }
    throw this.invalidCharacter(c, this.pos - 1, context);
  }

  /** Go counts the container being opened, so the limit allows exactly MAX_NESTING_DEPTH levels. */
  private checkDepth(c: number, stack: Frame[]): void {
    if (stack.length + 1 > MAX_NESTING_DEPTH) {
      throw this.invalidCharacter(c, this.pos - 1, 'exceeded max depth');
    }
  }

  private readKey(context: string): string {
    const c = this.next();
    if (c !== QUOTE) {
      throw this.invalidCharacter(c, this.pos - 1, context);
    }
    const key = this.readStringBody().value;
    this.skipSpace();
    const colon = this.next();
    if (colon !== 0x3a /* : */) {
      throw this.invalidCharacter(colon, this.pos - 1, 'after object key');
    }
    this.skipSpace();
    return key;
  }

  /** Reads a string whose opening quote was consumed; validates, then unquotes like Go. */
  private readStringBody(): Extract<AnyNode, { kind: 'string' }> {
    const start = this.pos;
    let hasEscape = false;

    for (;;) {
      const c = this.next();
      if (c === QUOTE) {
        break;
      }
      if (c < 0x20) {
        throw this.invalidCharacter(c, this.pos - 1, 'in string literal');
      }
      if (c === BACKSLASH) {
        hasEscape = true;
        this.readEscape();
      }
    }

    const content = this.input.subarray(start, this.pos - 1);
    const value = hasEscape ? unquoteEscaped(content) : decodeUtf8LikeGo(content);
    if (this.mode === 'whole') {
      return { kind: 'string', value };
    }
    return { kind: 'string', value, raw: Buffer.from(content).toString('latin1') };
  }

  private readEscape(): void {
    const c = this.next('in string escape code');
    if ('"\\/bfnrt'.includes(String.fromCharCode(c))) {
      return;
    }
    if (c !== 0x75 /* u */) {
      throw this.invalidCharacter(c, this.pos - 1, 'in string escape code');
    }
    for (let i = 0; i < 4; i++) {
      const context = 'in \\u hexadecimal character escape';
      const h = this.next(context);
      if (!isHexDigit(h)) {
        throw this.invalidCharacter(h, this.pos - 1, context);
      }
    }
  }

  /** Reads a number per the JSON grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
  private readNumber(start: number): AnyNode {
    this.pos = start;
    if (this.peekOrEnd() === 0x2d) {
      this.pos++;
    }
    const first = this.next('in numeric literal');
    if (!isDigit(first)) {
      throw this.invalidCharacter(first, this.pos - 1, 'in numeric literal');
    }
    if (first !== 0x30) {
      this.skipDigits();
    }
    if (this.peekOrEnd() === 0x2e /* . */) {
      this.pos++;
      this.requireDigit('after decimal point in numeric literal');
    }
    const e = this.peekOrEnd();
    if (e === 0x65 || e === 0x45) {
      this.pos++;
      const sign = this.peekOrEnd();
      if (sign === 0x2b || sign === 0x2d) {
        this.pos++;
      }
      this.requireDigit('in exponent of numeric literal');
    }
    const literal = Buffer.from(this.input.subarray(start, this.pos)).toString('latin1');
    return { kind: 'number', literal };
  }

  private requireDigit(context: string): void {
    const c = this.next(context);
    if (!isDigit(c)) {
      throw this.invalidCharacter(c, this.pos - 1, context);
    }
    this.skipDigits();
  }

  private skipDigits(): void {
    while (!this.atEnd() && isDigit(this.peek())) {
      this.pos++;
    }
  }

  private expectLiteral(rest: string, literal: string): void {
    for (const expected of rest) {
      const context = `in literal ${literal} (expecting '${expected}')`;
      const c = this.next(context);
      if (c !== expected.charCodeAt(0)) {
        throw this.invalidCharacter(c, this.pos - 1, context);
      }
    }
  }

  /**
   * Consumes one byte. At the end of the input, throws the error of the mode. For `whole`, that is
   * the invalid space that Go's scanner reports when `spaceContext` is given.
   */
  private next(spaceContext?: string): number {
    if (this.atEnd()) {
      throw this.endOfInput(spaceContext);
    }
    const c = this.input[this.pos] as number;
    this.pos++;
    return c;
  }

  private endOfInput(spaceContext: string | undefined): GoJsonSyntaxError {
    if (this.mode === 'first') {
      return new GoJsonSyntaxError('unexpected EOF', this.pos);
    }
    if (spaceContext !== undefined) {
      return this.invalidCharacter(SPACE, this.pos, spaceContext);
    }
    return new GoJsonSyntaxError('unexpected end of JSON input', this.pos);
  }

  private peekOrEnd(): number {
    return this.atEnd() ? -1 : this.peek();
  }
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isHexDigit(c: number): boolean {
  return isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/**
 * Quotes a byte like Go's scanner: `strconv.Quote` of the byte read as the rune U+00XX, between
 * single quotes (`'x'`, `'\''`, `'\x01'`, `'Ã'` for the first byte of `é`).
 */
function quoteByte(c: number): string {
  if (c === 0x27) {
    return "'\\''";
  }
  if (c === QUOTE) {
    return `'"'`;
  }
  const quoted = goQuote(textToRaw(String.fromCharCode(c)));
  return `'${quoted.slice(1, -1)}'`;
}

const REPLACEMENT = 0xfffd;

/**
 * Decodes one UTF-8 sequence at `i` with Go's `utf8.DecodeRune` rules: overlong forms, surrogates
 * and values above U+10FFFF are invalid, and an invalid sequence yields U+FFFD of width 1.
 */
export function decodeRuneLikeGo(bytes: Uint8Array, i: number): [codePoint: number, width: number] {
  const b0 = bytes[i] as number;
  if (b0 < 0x80) {
    return [b0, 1];
  }

  let width: number;
  let low = 0x80;
  let high = 0xbf;
  if (b0 >= 0xc2 && b0 <= 0xdf) {
    width = 2;
  } else if (b0 >= 0xe0 && b0 <= 0xef) {
    width = 3;
    low = b0 === 0xe0 ? 0xa0 : 0x80;
    high = b0 === 0xed ? 0x9f : 0xbf;
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    width = 4;
    low = b0 === 0xf0 ? 0x90 : 0x80;
    high = b0 === 0xf4 ? 0x8f : 0xbf;
  } else {
    return [REPLACEMENT, 1];
  }

  const b1 = bytes[i + 1];
  if (b1 === undefined || b1 < low || b1 > high) {
    return [REPLACEMENT, 1];
  }
  let codePoint = (b0 & (0xff >> (width + 1))) * 64 + (b1 & 0x3f);
  for (let k = 2; k < width; k++) {
    const b = bytes[i + k];
    if (b === undefined || b < 0x80 || b > 0xbf) {
      return [REPLACEMENT, 1];
    }
    codePoint = codePoint * 64 + (b & 0x3f);
  }
  return [codePoint, width];
}

/** Decodes bytes as UTF-8, replacing each invalid byte with U+FFFD like Go's string conversion. */
export function decodeUtf8LikeGo(bytes: Uint8Array): string {
  // ASCII text, such as a presigned token, decodes byte for byte.
  if (isAscii(bytes)) {
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  }
  let out = '';
  for (let i = 0; i < bytes.length; ) {
    const [codePoint, width] = decodeRuneLikeGo(bytes, i);
    out += String.fromCodePoint(codePoint);
    i += width;
  }
  return out;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t',
};

/**
 * Unquotes string content that the scanner validated. A `\u` surrogate pair combines; any other
 * surrogate escape becomes U+FFFD, as in Go's `unquote`.
 */
function unquoteEscaped(content: Uint8Array): string {
  let out = '';
  for (let i = 0; i < content.length; ) {
    const c = content[i] as number;
    if (c !== BACKSLASH) {
      const [codePoint, width] = decodeRuneLikeGo(content, i);
      out += String.fromCodePoint(codePoint);
      i += width;
      continue;
    }

    const escape = String.fromCharCode(content[i + 1] as number);
    if (escape !== 'u') {
      out += SIMPLE_ESCAPES[escape] ?? '';
      i += 2;
      continue;
    }

    const unit = readHex4(content, i + 2);
    const isHighSurrogate = unit >= 0xd800 && unit < 0xdc00;
    const nextUnit = content[i + 6] === BACKSLASH && content[i + 7] === 0x75 ? readHex4(content, i + 8) : -1;
    if (isHighSurrogate && nextUnit >= 0xdc00 && nextUnit < 0xe000) {
      out += String.fromCodePoint(0x10000 + (unit - 0xd800) * 0x400 + (nextUnit - 0xdc00));
      i += 12;
    } else {
      const isSurrogate = unit >= 0xd800 && unit < 0xe000;
      out += String.fromCodePoint(isSurrogate ? REPLACEMENT : unit);
      i += 6;
    }
  }
  return out;
}

function readHex4(bytes: Uint8Array, i: number): number {
  const text = Buffer.from(bytes.subarray(i, i + 4)).toString('latin1');
  return /^[0-9a-fA-F]{4}$/.test(text) ? Number.parseInt(text, 16) : -1;
}
