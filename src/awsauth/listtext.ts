/**
 * Recognizes an inner aws-auth list (the text of mapRoles or mapUsers) that the `yaml` library
 * (2.x, with RENDER_OPTIONS and indent 2) renders back byte for byte. In such a list each entry
 * renders on its own as its old text, so appending an entry or changing one needs no Document of the
 * whole list.
 *
 * The accepted form is the usual shape of generated lists: block entries whose keys are words, values
 * that are plain, single- or double-quoted printable ASCII, and `groups` as a block or flow sequence.
 * Comments, blank lines, tabs, anchors, tags, nested mappings, multi-line scalars and escapes are not
 * accepted, so lists that contain them take the Document path.
 */

const KEY = String.raw`(?:[A-Za-z_][\w-]*|"[A-Za-z_][\w-]*")`;
// Plain scalars start with no YAML indicator and contain no space, `#`, quote or backslash.
const PLAIN = String.raw`[\w./$=+(][\w./:$=+@(){}*,-]*`;
// Inside a flow sequence a plain scalar also contains no flow indicator (`,[]{}`).
const FLOW_PLAIN = String.raw`[\w./$=+(][\w./:$=+@()*-]*`;
// Quoted scalars of printable ASCII without escapes: `"` and `\` are left out of double quotes, `'` out of single quotes.
const DOUBLE_QUOTED = String.raw`"[ !#-\[\]-~]*"`;
const SINGLE_QUOTED = String.raw`'[ -&(-~]*'`;
const SCALAR = `(?:${PLAIN}|${DOUBLE_QUOTED}|${SINGLE_QUOTED})`;
const FLOW_ITEM = `(?:${FLOW_PLAIN}|${DOUBLE_QUOTED}|${SINGLE_QUOTED})`;
const FLOW_SEQUENCE = String.raw`\[(?:${FLOW_ITEM}(?:, ${FLOW_ITEM})*)?\]`;

/** `- key: value`, `- key: [a, b]` or `- key:` (a block sequence follows): the first line of an entry. */
const ENTRY_LINE = new RegExp(`^- ${KEY}:(?: (${SCALAR}|${FLOW_SEQUENCE}))?$`);
/** The same forms indented under the entry: its other keys. */
const FIELD_LINE = new RegExp(`^  ${KEY}:(?: (${SCALAR}|${FLOW_SEQUENCE}))?$`);
/** An item of a block sequence, written `- value` at the column the layout implies. */
const SEQUENCE_ITEM = new RegExp(`^ *- (${SCALAR})$`);

/** Layout of an accepted list: where its entries start, and the style that decides how an entry is written. */
export interface ListForm {
  /** Whether some entry has a flow sequence value, such as `groups: [a, b]`. */
  readonly flowSequences: boolean;
  /** Offset of the first line of each entry, in list order. */
  readonly entryStarts: readonly number[];
  /** Indices of the entries that have a flow sequence value. */
  readonly flowEntries: readonly number[];
}

type LineKind = 'key-then-sequence' | 'key-value' | 'key-flow' | 'item';

/**
 * Classifies one line, or returns undefined for a line outside the accepted form. `itemPrefix` is the
 * indentation plus `- ` that yaml writes before block sequence items under an entry's key.
 */
function classifyLine(line: string, itemPrefix: string): { kind: LineKind; first: boolean } | undefined {
  if (line.startsWith(itemPrefix) && line[itemPrefix.length] !== ' ') {
    const value = SEQUENCE_ITEM.exec(line)?.[1];
    // A plain item ending in `:` would read as a mapping.
    return value === undefined || value.endsWith(':') ? undefined : { kind: 'item', first: false };
  }

  const first = line.startsWith('- ');
  const match = (first ? ENTRY_LINE : FIELD_LINE).exec(line);
  if (match === null) return undefined;
  const value = match[1];
  if (value === undefined) return { kind: 'key-then-sequence', first };
  if (value.endsWith(':')) return undefined;
  return { kind: value.startsWith('[') ? 'key-flow' : 'key-value', first };
}

/**
 * Returns the form of `text` when every line is in the accepted form for a list rendered with
 * indent 2 and `indentSeq`, or undefined. The text must end with exactly one line break.
 */
export function scanList(text: string, indentSeq: boolean): ListForm | undefined {
  if (!text.endsWith('\n') || text.endsWith('\n\n')) return undefined;
  const itemPrefix = indentSeq ? '    - ' : '  - ';
  let inEntry = false;
  // After `key:` with no value, the next line must be a sequence item. More items may follow it.
  let needItem = false;
  let afterItem = false;
  const entryStarts: number[] = [];
  const flowEntries: number[] = [];

  for (let start = 0; start < text.length;) {
    const end = text.indexOf('\n', start);
    const line = classifyLine(text.slice(start, end), itemPrefix);
    if (line === undefined) return undefined;
    if (line.first) entryStarts.push(start);
    start = end + 1;

    if (line.kind === 'item') {
      if (!needItem && !afterItem) return undefined;
      needItem = false;
      afterItem = true;
      continue;
    }
    if (needItem || (!line.first && !inEntry)) return undefined;
    inEntry = true;
    afterItem = false;
    needItem = line.kind === 'key-then-sequence';
    if (line.kind === 'key-flow' && flowEntries.at(-1) !== entryStarts.length - 1) flowEntries.push(entryStarts.length - 1);
  }
  return needItem || !inEntry ? undefined : { flowSequences: flowEntries.length > 0, entryStarts, flowEntries };
}
