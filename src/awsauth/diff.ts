/** One line of an edit script: kept, removed from the old text, or added in the new text. */
export interface DiffLine {
  readonly type: ' ' | '-' | '+';
  readonly text: string;
}

/**
 * Computes a shortest edit script between two line lists with Myers' O(ND) algorithm
 * (E. Myers, "An O(ND) Difference Algorithm and Its Variations", 1986).
 */
export function diffLines(before: readonly string[], after: readonly string[]): DiffLine[] {
  const trace = forwardPaths(before, after);
  return backtrack(trace, before, after);
}

/** Runs the greedy forward search and keeps the furthest-reaching x per diagonal for each edit count. */
function forwardPaths(before: readonly string[], after: readonly string[]): Map<number, number>[] {
  const max = before.length + after.length;
  const furthest = new Map<number, number>([[1, 0]]);
  const trace: Map<number, number>[] = [];
  for (let edits = 0; edits <= max; edits++) {
    trace.push(new Map(furthest));
    for (let diagonal = -edits; diagonal <= edits; diagonal += 2) {
      const down = diagonal === -edits || (diagonal !== edits && (furthest.get(diagonal - 1) ?? -1) < (furthest.get(diagonal + 1) ?? -1));
      let x = down ? (furthest.get(diagonal + 1) ?? 0) : (furthest.get(diagonal - 1) ?? 0) + 1;
      let y = x - diagonal;
      while (x < before.length && y < after.length && before[x] === after[y]) {
        x++;
        y++;
      }
      furthest.set(diagonal, x);
      if (x >= before.length && y >= after.length) return trace;
    }
  }
  return trace;
}

function backtrack(trace: readonly Map<number, number>[], before: readonly string[], after: readonly string[]): DiffLine[] {
  const script: DiffLine[] = [];
  let x = before.length;
  let y = after.length;
  for (let edits = trace.length - 1; edits >= 0; edits--) {
    const furthest = trace[edits] as Map<number, number>;
    const diagonal = x - y;
    const down = diagonal === -edits || (diagonal !== edits && (furthest.get(diagonal - 1) ?? -1) < (furthest.get(diagonal + 1) ?? -1));
    const previousDiagonal = down ? diagonal + 1 : diagonal - 1;
    const previousX = furthest.get(previousDiagonal) ?? 0;
    const previousY = previousX - previousDiagonal;
    while (x > previousX && y > previousY) {
      script.push({ type: ' ', text: before[--x] ?? '' });
      y--;
    }
    if (edits > 0) {
      if (down) script.push({ type: '+', text: after[--y] ?? '' });
      else script.push({ type: '-', text: before[--x] ?? '' });
    }
  }
  return script.reverse();
}

export interface UnifiedDiffOptions {
  /** Label of the old text. Default: `a`. */
  readonly fromName?: string;
  /** Label of the new text. Default: `b`. */
  readonly toName?: string;
  /** Unchanged lines shown around each change. Default: 3. */
  readonly context?: number;
}

const NO_NEWLINE = '\\ No newline at end of file';

/** Splits text into lines and marks a last line that has no line break, so the diff can report it. */
function splitText(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  else lines[lines.length - 1] = `${lines.at(-1) ?? ''}\n${NO_NEWLINE}`;
  return lines;
}

interface Hunk {
  start: number;
  end: number;
}

/** Groups changes whose context overlaps, as `diff -u` does. */
function findHunks(script: readonly DiffLine[], context: number): Hunk[] {
  const hunks: Hunk[] = [];
  script.forEach((line, index) => {
    if (line.type === ' ') return;
    const start = Math.max(0, index - context);
    const end = Math.min(script.length, index + context + 1);
    const last = hunks.at(-1);
    if (last !== undefined && start <= last.end) last.end = end;
    else hunks.push({ start, end });
  });
  return hunks;
}

function range(start: number, count: number): string {
  if (count === 0) return `${start - 1},0`;
  return count === 1 ? `${start}` : `${start},${count}`;
}

/** Returns the offset after the last line break before the first character where the texts differ. */
function commonLinesEnd(before: string, after: string): number {
  const length = Math.min(before.length, after.length);
  const CHUNK = 4096;
  let index = 0;
  // Whole chunks compare as strings first, so only the chunk with the first difference is walked by character.
  while (index + CHUNK <= length && before.slice(index, index + CHUNK) === after.slice(index, index + CHUNK)) index += CHUNK;
  while (index < length && before.charCodeAt(index) === after.charCodeAt(index)) index++;
  // lastIndexOf treats a negative start as 0, so an immediate difference needs its own case.
  return index === 0 ? 0 : before.lastIndexOf('\n', index - 1) + 1;
}

/** Returns the last `count` lines of `text`, which is empty or ends with a line break, and its line count. */
function lastLines(text: string, count: number): { lines: string[]; total: number } {
  let total = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) total++;
  let start = text.length;
  for (let taken = 0; taken < count && start > 0; taken++) start = start < 2 ? 0 : text.lastIndexOf('\n', start - 2) + 1;
  return { lines: splitText(text.slice(start)), total };
}

/**
 * Writes a unified diff (`diff -u` format) of two texts, or '' when they are equal. Lines that end
 * the text without a line break are followed by `\ No newline at end of file`.
 */
export function unifiedDiff(before: string, after: string, options: UnifiedDiffOptions = {}): string {
  if (before === after) return '';
  const context = options.context ?? 3;

  // The common leading lines are what the first step of Myers' search would match, so diffing the
  // rest gives the same script. Only the last `context` of them can appear in a hunk.
  const prefixEnd = commonLinesEnd(before, after);
  const prefix = lastLines(before.slice(0, prefixEnd), context);
  const rest = diffLines(splitText(before.slice(prefixEnd)), splitText(after.slice(prefixEnd)));
  const script: DiffLine[] = [...prefix.lines.map((text) => ({ type: ' ' as const, text })), ...rest];
  const firstLine = prefix.total - prefix.lines.length + 1;

  const out = [`--- ${options.fromName ?? 'a'}`, `+++ ${options.toName ?? 'b'}`];
  let oldLine = firstLine;
  let newLine = firstLine;
  let position = 0;
  for (const hunk of findHunks(script, context)) {
    for (; position < hunk.start; position++) {
      if (script[position]?.type !== '+') oldLine++;
      if (script[position]?.type !== '-') newLine++;
    }
    const lines = script.slice(hunk.start, hunk.end);
    const oldCount = lines.filter((line) => line.type !== '+').length;
    const newCount = lines.filter((line) => line.type !== '-').length;
    out.push(`@@ -${range(oldLine, oldCount)} +${range(newLine, newCount)} @@`);
    for (const line of lines) out.push(`${line.type}${line.text}`);
    for (; position < hunk.end; position++) {
      if (script[position]?.type !== '+') oldLine++;
      if (script[position]?.type !== '-') newLine++;
    }
  }
  return `${out.join('\n')}\n`;
}
