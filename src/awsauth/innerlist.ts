import { isAlias, isMap, isScalar, isSeq, Pair, parseDocument, Scalar, YAMLMap, YAMLSeq, type Document, type Node } from 'yaml';
import { KubeiamError } from '../errors.js';
import { RENDER_OPTIONS } from './document.js';
import { foldKey } from './gofold.js';
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

/** Layout of the existing list, so new and changed entries look like their neighbours. */
interface Layout {
  readonly indentSeq: boolean;
  readonly indent: number;
}

function detectLayout(text: string): Layout {
  const lines = text.split('\n');
  let indentSeq = true;
  for (let i = 0; i + 1 < lines.length; i++) {
    const key = /^(\s*(?:-\s+)?)[^\s#-][^:]*:\s*$/.exec(lines[i] ?? '');
    const item = /^(\s*)-\s/.exec(lines[i + 1] ?? '');
    if (key !== null && item !== null) {
      indentSeq = (item[1] ?? '').length > (key[1] ?? '').length;
      break;
    }
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

  /** `text` undefined (missing or empty key) starts an empty list. */
  constructor(text: string | undefined) {
    this.document = parseDocument(text ?? '', PARSE_OPTIONS);
    this.layout = detectLayout(text ?? '');
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
    return this.seq.items.some((item) => isMap(item) && item.items.some((pair) => isSeq(pair.value) && pair.value.flow === true));
  }

  appendEntry(arnField: 'rolearn' | 'userarn', arn: string, username: string, groups: readonly string[]): void {
    const entry = new YAMLMap();
    entry.items.push(new Pair(new Scalar(arnField), stringNode(arn)));
    entry.items.push(new Pair(new Scalar('username'), stringNode(username)));
    if (groups.length > 0) entry.items.push(new Pair(new Scalar('groups'), groupsNode(groups, this.usesFlowGroups())));
    this.seq.items.push(entry);
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
    return this.document.toString({ ...RENDER_OPTIONS, indentSeq: this.layout.indentSeq, indent: this.layout.indent });
  }
}
