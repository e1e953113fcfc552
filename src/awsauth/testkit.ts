/**
 * fast-check arbitraries for aws-auth YAML: the usual shapes that the fast reader must accept, and
 * mutations of them that take a text near or outside its subset. The fast-reader tests and the
 * aws-auth fuzz share them.
 */
import fc from 'fast-check';

/** Plain scalars that YAML 1.1 reads as strings and the fast reader accepts. */
export const SAFE_PLAIN = [
  'arn:aws:iam::111122223333:role/admin',
  'arn:aws:iam::111122223333:role/path/to/deploy',
  'arn:aws:iam::111122223333:user/alice',
  'arn:aws-cn:iam::111122223333:role/x_y-z.1',
  'system:masters',
  'system:bootstrappers',
  'system:nodes',
  'system:node:{{EC2PrivateDNSName}}',
  'admin:{{SessionName}}',
  'viewers',
  'team-a',
  'a',
  'x y',
  'it\'s',
  'say "hi"',
  'a#b',
  'a:b',
  'ünïcode',
  'AROAEXAMPLE',
  '5d8f2c1e-aaaa-bbbb-cccc-0123456789ab',
  'v1',
  'yEs',
  '0x',
  '1:20',
];

/** Plain scalars the fast reader must decline or read with care: other YAML 1.1 types and syntax. */
export const TRICKY_PLAIN = [
  'yes', 'No', 'on', 'OFF', 'y', 'n', 'true', 'False', '~', 'null', 'NULL', '12', '012345678901', '-1', '+1',
  '0x1F', '0o17', '0b101', '1_000', '1.5', '.5', '.inf', '-.Inf', '.nan', '1e3', '2024-01-01', '2024-01-01T00:00:00Z',
  '<<', '-', '-x', '?x', ':x', 'a: b', 'a:', 'a #b', '#x', '&anchor x', '*alias', '!!str x', '!tag x', '|', '>', '%x',
  '@x', '`x', '[a]', '{a: b}', 'a, b', '"x', "'x", '', ' ', 'é', 'a\\b', '\u00a0', 'a\u00a0', '\u3000', '---', '...',
];

const KEYS = ['rolearn', 'userarn', 'username', 'groups', 'userid', 'sso', 'Rolearn', 'UserName', 'extra'];
const TRICKY_KEYS = ['yes', 'on', '1', '~', '<<', '"quoted"', "'quoted'", 'a b', 'k:', '? k', '&a k', 'é', '-k', 'x'.repeat(300)];

export type Style = 'plain' | 'single' | 'double';

/** A scalar as written: its text and style. */
export interface ScalarSpec {
  readonly text: string;
  readonly style: Style;
}

/** A list of strings written as a block sequence (at the key's column or deeper) or a flow sequence. */
export interface ListSpec {
  readonly items: readonly ScalarSpec[];
  readonly layout: 'deeper' | 'same-column' | 'flow';
}

export interface EntrySpec {
  readonly pairs: readonly { readonly key: string; readonly value: ScalarSpec | ListSpec }[];
  /** Spaces after the `-` of the entry (1 is usual). */
  readonly dashSpaces: number;
  readonly comment: boolean;
  readonly blankAfter: boolean;
}

function quote(spec: ScalarSpec): string {
  if (spec.style === 'single') return `'${spec.text.replaceAll("'", "''")}'`;
  if (spec.style === 'double') return `"${spec.text}"`;
  return spec.text;
}

/** Reports whether the fast reader should accept the scalar as written. */
function scalarIsCommon(spec: ScalarSpec): boolean {
  if (!SAFE_PLAIN.includes(spec.text)) return false;
  if (spec.style === 'double') return !spec.text.includes('"');
  return true;
}

function scalarArbitrary(common: boolean): fc.Arbitrary<ScalarSpec> {
  const style = fc.constantFrom<Style>('plain', 'single', 'double');
  const safe = fc.record({ text: fc.constantFrom(...SAFE_PLAIN), style }).filter(scalarIsCommon);
  if (common) return safe;
  return fc.oneof(
    { weight: 3, arbitrary: safe },
    { weight: 2, arbitrary: fc.record({ text: fc.constantFrom(...TRICKY_PLAIN), style }) },
    { weight: 1, arbitrary: fc.record({ text: fc.string({ maxLength: 6 }), style }) },
    { weight: 1, arbitrary: fc.record({ text: fc.string({ unit: 'grapheme', maxLength: 4 }), style }) },
    { weight: 1, arbitrary: fc.record({ text: fc.string({ unit: 'binary', maxLength: 4 }), style }) },
  );
}

function listArbitrary(common: boolean): fc.Arbitrary<ListSpec> {
  const flowItem = scalarArbitrary(common).filter((item) => !common || (/^[A-Za-z0-9_][A-Za-z0-9_.:/-]*$/.test(item.text) && !item.text.endsWith(':')));
  return fc.oneof(
    fc.record({ items: fc.array(scalarArbitrary(common), { minLength: 1, maxLength: 3 }), layout: fc.constantFrom<'deeper' | 'same-column'>('deeper', 'same-column') }),
    fc.record({ items: fc.array(flowItem, { maxLength: 3 }), layout: fc.constant<'flow'>('flow') }),
  );
}

function entryArbitrary(common: boolean): fc.Arbitrary<EntrySpec> {
  const key = common ? fc.constantFrom(...KEYS) : fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...KEYS) }, { weight: 1, arbitrary: fc.constantFrom(...TRICKY_KEYS) });
  const value = fc.oneof({ weight: 3, arbitrary: scalarArbitrary(common) }, { weight: 1, arbitrary: listArbitrary(common) });
  return fc.record({
    pairs: fc.array(fc.record({ key, value }), { minLength: 1, maxLength: 4 }),
    dashSpaces: common ? fc.constantFrom(1, 1, 1, 3) : fc.integer({ min: 1, max: 3 }),
    comment: fc.boolean(),
    blankAfter: fc.boolean(),
  });
}

function renderValue(value: ScalarSpec | ListSpec, keyColumn: number, lines: string[], head: string): void {
  if (!('items' in value)) {
    lines.push(`${head} ${quote(value)}`);
    return;
  }
  if (value.layout === 'flow') {
    lines.push(`${head} [${value.items.map(quote).join(', ')}]`);
    return;
  }
  lines.push(head);
  const column = keyColumn + (value.layout === 'deeper' ? 2 : 0);
  for (const item of value.items) lines.push(`${' '.repeat(column)}- ${quote(item)}`);
}

/** Renders entries as an aws-auth list (`- rolearn: …` lines). */
export function renderEntries(entries: readonly EntrySpec[]): string {
  const lines: string[] = [];
  for (const entry of entries) {
    if (entry.comment) lines.push('# an entry');
    const column = 1 + entry.dashSpaces;
    entry.pairs.forEach((pair, index) => {
      const prefix = index === 0 ? `-${' '.repeat(entry.dashSpaces)}` : ' '.repeat(column);
      renderValue(pair.value, column, lines, `${prefix}${pair.key}:`);
    });
    if (entry.blankAfter) lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

/** Renders account IDs as a mapAccounts list. */
function renderAccounts(accounts: readonly ScalarSpec[]): string {
  return `${accounts.map((account) => `- ${quote(account)}`).join('\n')}\n`;
}

export interface DocumentSpec {
  readonly mapRoles?: readonly EntrySpec[];
  readonly mapUsers?: readonly EntrySpec[];
  readonly mapAccounts?: readonly ScalarSpec[];
  /** `|`, `|-` or `|+` for the data values. */
  readonly chomping: '|' | '|-' | '|+';
  /** Spaces the data values are indented by, relative to their key. */
  readonly valueIndent: number;
  readonly metadataExtras: boolean;
  readonly headerComment: boolean;
}

function indentBlock(text: string, indent: number): string {
  const pad = ' '.repeat(indent);
  return text
    .split('\n')
    .map((line) => (line === '' ? line : pad + line))
    .join('\n');
}

/** Renders a whole aws-auth ConfigMap like `kubectl get configmap aws-auth -o yaml` writes it. */
export function renderDocument(spec: DocumentSpec): string {
  const lines: string[] = [];
  if (spec.headerComment) lines.push('# aws-auth for the test cluster', '');
  lines.push('apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: aws-auth', '  namespace: kube-system');
  if (spec.metadataExtras) {
    lines.push('  uid: 5d8f2c1e-aaaa-bbbb-cccc-0123456789ab', '  resourceVersion: "1234"', '  creationTimestamp: "2024-01-01T00:00:00Z"');
    lines.push('  labels:', '    app.kubernetes.io/managed-by: kubeiam', '  annotations:', '    note: |', '      free text', '      # not a comment');
  }
  lines.push('data:');
  const values: [string, string][] = [];
  if (spec.mapRoles !== undefined) values.push(['mapRoles', renderEntries(spec.mapRoles)]);
  if (spec.mapUsers !== undefined) values.push(['mapUsers', renderEntries(spec.mapUsers)]);
  if (spec.mapAccounts !== undefined) values.push(['mapAccounts', renderAccounts(spec.mapAccounts)]);
  for (const [key, value] of values) {
    lines.push(`  ${key}: ${spec.chomping}`);
    lines.push(indentBlock(value, 2 + spec.valueIndent).replace(/\n$/, ''));
    if (spec.chomping === '|+') lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

/** Documents in the usual shapes, which the fast reader must accept. */
export function commonDocument(): fc.Arbitrary<string> {
  return documentArbitrary(true).map(renderDocument);
}

/** Documents with values and keys near or outside the fast reader's subset. */
export function unusualDocument(): fc.Arbitrary<string> {
  return documentArbitrary(false).map(renderDocument);
}

/** Inner aws-auth lists in the usual shapes. */
export function commonList(): fc.Arbitrary<string> {
  return fc.array(entryArbitrary(true), { minLength: 1, maxLength: 5 }).map(renderEntries);
}

/** Inner aws-auth lists with values and keys near or outside the fast reader's subset. */
export function unusualList(): fc.Arbitrary<string> {
  return fc.array(entryArbitrary(false), { minLength: 1, maxLength: 5 }).map(renderEntries);
}

function documentArbitrary(common: boolean): fc.Arbitrary<DocumentSpec> {
  const entries = fc.array(entryArbitrary(common), { minLength: 1, maxLength: 4 });
  const accounts = fc.array(common ? fc.constant<ScalarSpec>({ text: '111122223333', style: 'double' }) : scalarArbitrary(false), { minLength: 1, maxLength: 3 });
  return fc.record(
    {
      mapRoles: entries,
      mapUsers: entries,
      mapAccounts: accounts,
      chomping: fc.constantFrom<'|' | '|-' | '|+'>('|', '|-', '|+'),
      valueIndent: fc.constantFrom(2, 2, 4),
      metadataExtras: fc.boolean(),
      headerComment: fc.boolean(),
    },
    { requiredKeys: ['mapRoles', 'chomping', 'valueIndent', 'metadataExtras', 'headerComment'] },
  );
}

/** Pieces of YAML syntax that mutations insert: indicators, white space, line breaks and look-alikes. */
const MUTATION_PIECES = [
  ' ', '  ', '\n', '\n\n', '\t', '\r', '#', ' #', ':', ': ', '- ', '-', '&a ', '*a', '!!str ', '!!int ', '!', '"', "'", '|', '|-',
  '>', '[', ']', '{', '}', ',', '---\n', '...\n', '? ', '\\', 'yes', '~', '1', '0', '.', '<<: ', '%', '@', '`', 'é',
  '\u00a0', '\u2028', '\u0085', '\ufeff', '\u0000', 'a', 'Z',
];

export type Mutation =
  | { readonly kind: 'insert'; readonly at: number; readonly text: string }
  | { readonly kind: 'replace'; readonly at: number; readonly text: string }
  | { readonly kind: 'delete'; readonly at: number; readonly length: number }
  | { readonly kind: 'indent'; readonly line: number; readonly change: number };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom(...MUTATION_PIECES) }),
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), text: fc.constantFrom(...MUTATION_PIECES) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ kind: fc.constant('indent' as const), line: fc.nat(), change: fc.integer({ min: -3, max: 3 }) }),
);

/** Applies a mutation at a position (or line) taken modulo the text length (or line count). */
export function mutate(text: string, change: Mutation): string {
  if (change.kind === 'indent') {
    const lines = text.split('\n');
    const index = change.line % lines.length;
    const line = lines[index] ?? '';
    lines[index] = change.change >= 0 ? ' '.repeat(change.change) + line : line.replace(new RegExp(`^ {0,${-change.change}}`), '');
    return lines.join('\n');
  }
  const at = text.length === 0 ? 0 : change.at % text.length;
  switch (change.kind) {
    case 'insert':
      return text.slice(0, at) + change.text + text.slice(at);
    case 'replace':
      return text.slice(0, at) + change.text + text.slice(at + 1);
    case 'delete':
      return text.slice(0, at) + text.slice(at + change.length);
  }
}

/** Applies one to three mutations to each text of the base arbitrary. */
export function mutated(base: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.tuple(base, fc.array(mutation, { minLength: 1, maxLength: 3 })).map(([text, changes]) => changes.reduce(mutate, text));
}
