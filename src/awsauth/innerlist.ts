import { isAlias, isMap, isScalar, isSeq, Pair, parseDocument, Scalar, YAMLMap, YAMLSeq, type Document, type Node } from 'yaml';
import { KubeiamError } from '../errors.js';
import { RENDER_OPTIONS } from './document.js';
import { foldKey } from './gofold.js';
import { scanList, type ListForm } from './listtext.js';
import { readsBackAsString } from './quote.js';

const PARSE_OPTIONS = { version: '1.1', schema: 'failsafe', uniqueKeys: false } as const;

/** Creates a string scalar that reads back as the same string: quoted when YAML 1.1 would type it or `{{` would make it a mapping. */
export function stringNode(value: string): Scalar {
  const scalar = new Scalar(value);
  scalar.type = value.includes('{{') || !readsBackAsString(value) ? 'QUOTE_DOUBLE' : 'PLAIN';
  return scalar;
}

function groupsNode(groups: readonly string[], flow: boolean): YAMLSeq {
  const seq = new YAMLSeq();
  seq.flow = flow || groups.length === 0;
  for (const group of groups) seq.items.push(stringNode(group));
  return seq;
}

/** A new mapRoles or mapUsers entry. */
export interface NewEntry {
  readonly arnField: 'rolearn' | 'userarn';
  readonly arn: string;
  readonly username: string;
  readonly groups: readonly string[];
}

function entryNode(entry: NewEntry, flowGroups: boolean): YAMLMap {
  const node = new YAMLMap();
  node.items.push(new Pair(new Scalar(entry.arnField), stringNode(entry.arn)));
  node.items.push(new Pair(new Scalar('username'), stringNode(entry.username)));
  if (entry.groups.length > 0) node.items.push(new Pair(new Scalar('groups'), groupsNode(entry.groups, flowGroups)));
  return node;
}

/** Layout of the existing list, so new and changed entries look like their neighbours. */
export interface Layout {
  readonly indentSeq: boolean;
  readonly indent: number;
}

function detectLayout(text: string): Layout {
  let indentSeq = true;
  // Walks line pairs until the first key line followed by a sequence item, without splitting the whole text.
  let lineStart = 0;
  let lineEnd = text.indexOf('\n');
  while (lineEnd !== -1) {
    const nextEnd = text.indexOf('\n', lineEnd + 1);
    const key = /^(\s*(?:-\s+)?)[^\s#-][^:]*:\s*$/.exec(text.slice(lineStart, lineEnd));
    const item = /^(\s*)-\s/.exec(text.slice(lineEnd + 1, nextEnd === -1 ? text.length : nextEnd));
    if (key !== null && item !== null) {
      indentSeq = (item[1] ?? '').length > (key[1] ?? '').length;
      break;
    }
    lineStart = lineEnd + 1;
    lineEnd = nextEnd;
  }
  const nested = /^(\s*(?:-\s+)?)[^\s#-][^:]*:\s*\n(\s+)[^\s#-]/m.exec(text);
  const indent = nested === null ? 2 : Math.max(1, (nested[2] ?? '').length - (nested[1] ?? '').length);
  return { indentSeq, indent };
}

/**
 * The list inside mapRoles, mapUsers or mapAccounts as a YAML Document, so edits keep the comments,
 * unknown keys and layout of the other entries.
 */
export class InnerList {
  private readonly document: Document;
  private readonly layout: Layout;
  private readonly flowGroupsElsewhere: boolean;

  /**
   * `text` undefined (missing or empty key) starts an empty list. `whole` describes the whole list
   * when `text` is one entry cut out of it, so the entry renders as it would inside the list:
   * its layout, and whether other entries use flow sequences.
   */
  constructor(text: string | undefined, whole?: { readonly layout: Layout; readonly flowGroupsElsewhere: boolean }) {
    this.document = parseDocument(text ?? '', PARSE_OPTIONS);
    this.layout = whole?.layout ?? detectLayout(text ?? '');
    this.flowGroupsElsewhere = whole?.flowGroupsElsewhere ?? false;
    if (!isSeq(this.document.contents)) this.document.contents = new YAMLSeq();
  }

  private get seq(): YAMLSeq {
    return this.document.contents as YAMLSeq;
  }

  /** Returns the mapping of entry `index`; entries written as aliases cannot be edited in place. */
  entry(index: number): YAMLMap {
    const node = this.seq.items[index];
    if (isMap(node)) return node;
    throw new KubeiamError(
      'EDIT_ENTRY_UNSUPPORTED',
      `entry ${index} is ${isAlias(node) ? 'a YAML alias' : 'not a mapping'}; edit it by hand or replace it with a plain entry`,
    );
  }

  /** Usernames and groups of new entries in block style unless the list uses flow groups. */
  private usesFlowGroups(): boolean {
    return this.flowGroupsElsewhere || this.seq.items.some((item) => isMap(item) && item.items.some((pair) => isSeq(pair.value) && pair.value.flow === true));
  }

  appendEntry(entry: NewEntry): void {
    this.seq.items.push(entryNode(entry, this.usesFlowGroups()));
  }

  /** Sets a field on every key that Go would decode into it (any case), or adds the key. */
  setField(index: number, field: 'username' | 'groups', value: string | readonly string[]): void {
    const entry = this.entry(index);
    const pairs = entry.items.filter((pair) => isScalar(pair.key) && foldKey(String(pair.key.value)) === foldKey(field));
    const makeNode = (old: unknown): Node => {
      if (typeof value === 'string') {
        const node = stringNode(value);
        if (isScalar(old) && old.comment !== undefined) node.comment = old.comment;
        return node;
      }
      return groupsNode(value, isSeq(old) ? old.flow === true : this.usesFlowGroups());
    };
    if (pairs.length === 0) entry.items.push(new Pair(new Scalar(field), makeNode(undefined)));
    for (const pair of pairs) pair.value = makeNode(pair.value);
  }

  appendScalar(value: string): void {
    const scalar = new Scalar(value);
    scalar.type = 'PLAIN';
    this.seq.items.push(scalar);
  }

  /** Removes the entries at the given positions. */
  remove(indices: readonly number[]): void {
    for (const index of [...indices].sort((left, right) => right - left)) this.seq.items.splice(index, 1);
  }

  toString(): string {
    return renderDocument(this.document, this.layout);
  }
}

function renderDocument(document: Document, layout: Layout): string {
  return document.toString({ ...RENDER_OPTIONS, indentSeq: layout.indentSeq, indent: layout.indent });
}

/** Detects the layout of a list and scans it; the form is undefined unless scanList accepts it. */
function scanWithLayout(text: string | undefined): { layout: Layout; form: ListForm | undefined } {
  const layout = detectLayout(text ?? '');
  const form = text === undefined || layout.indent !== 2 ? undefined : scanList(text, layout.indentSeq);
  return { layout, form };
}

/** Text of a list after an edit, and whether the text path (no Document of the whole list) made it. */
export interface EditedList {
  readonly text: string;
  readonly fast: boolean;
}

/**
 * Appends an entry to the list text. When scanList accepts the list, the new text is the old text
 * followed by the entry rendered alone, which is what rendering the whole list as a Document returns
 * for such a list. Other lists take the Document path.
 */
export function appendEntryToList(text: string | undefined, entry: NewEntry): EditedList {
  const { layout, form } = scanWithLayout(text);
  if (text !== undefined && form !== undefined) {
    const seq = new YAMLSeq();
    seq.items.push(entryNode(entry, form.flowSequences));
    const document: Document = parseDocument('', PARSE_OPTIONS);
    document.contents = seq;
    return { text: text + renderDocument(document, layout), fast: true };
  }

  const list = new InnerList(text);
  list.appendEntry(entry);
  return { text: list.toString(), fast: false };
}

/** New values for fields of an existing entry; absent fields stay as they are. */
export interface FieldChanges {
  readonly username?: string;
  readonly groups?: readonly string[];
}

function applyChanges(list: InnerList, index: number, changes: FieldChanges): void {
  if (changes.username !== undefined) list.setField(index, 'username', changes.username);
  if (changes.groups !== undefined) list.setField(index, 'groups', changes.groups);
}

/**
 * Sets fields of entry `index` (see InnerList.setField). When scanList accepts the list, only that
 * entry goes through a Document: each entry of such a list renders on its own, so the other entries
 * keep their text. Other lists take the Document path for the whole list.
 */
export function setEntryFields(text: string | undefined, index: number, changes: FieldChanges): EditedList {
  const { layout, form } = scanWithLayout(text);
  const start = form?.entryStarts[index];
  if (text !== undefined && form !== undefined && start !== undefined) {
    const end = form.entryStarts[index + 1] ?? text.length;
    const flowGroupsElsewhere = form.flowEntries.some((flowIndex) => flowIndex !== index);
    const entry = new InnerList(text.slice(start, end), { layout, flowGroupsElsewhere });
    applyChanges(entry, 0, changes);
    return { text: text.slice(0, start) + entry.toString() + text.slice(end), fast: true };
  }

  const list = new InnerList(text);
  applyChanges(list, index, changes);
  return { text: list.toString(), fast: false };
}

/**
 * Removes the entries at the given positions (see InnerList.remove). When scanList accepts the list,
 * their lines are cut out: the other entries render as their old text. Removing every entry takes the
 * Document path, which writes an empty list as `[]`.
 */
export function removeEntriesFromList(text: string | undefined, indices: readonly number[]): EditedList {
  const { form } = scanWithLayout(text);
  const removed = new Set(indices);
  const valid = form !== undefined && indices.every((index) => index < form.entryStarts.length);
  if (text !== undefined && form !== undefined && valid && removed.size < form.entryStarts.length) {
    const kept: string[] = [];
    form.entryStarts.forEach((start, index) => {
      if (!removed.has(index)) kept.push(text.slice(start, form.entryStarts[index + 1] ?? text.length));
    });
    return { text: kept.join(''), fast: true };
  }

  const list = new InnerList(text);
  list.remove(indices);
  return { text: list.toString(), fast: false };
}
