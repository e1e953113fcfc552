import type { EntryOrigin, RoleMapping, UserMapping } from '../mapping/types.js';
import type { RecordError } from '../mapping/records.js';
import type { TypeIssue, WrittenKey } from './godecode.js';
import type { GoValue } from './goyaml.js';

/** The three `data` keys aws-iam-authenticator reads. The names are case-sensitive. */
export const DATA_KEYS = ['mapRoles', 'mapUsers', 'mapAccounts'] as const;
export type DataKey = (typeof DATA_KEYS)[number];

export type Severity = 'error' | 'warning';

/**
 * One finding about an aws-auth document, from parsing, lint or an edit guard. `line` is 1-based in the
 * whole text the caller passed.
 */
export interface Problem {
  /** Stable identifier, e.g. `KEY_BROKEN` or `ROLE_ARN_HAS_PATH`. */
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  /** The `data` key the finding is about, when there is one. */
  readonly key?: string;
  readonly line?: number;
  /** The change to make, as concrete text or a command. */
  readonly fix?: string;
  /** 0-based position of the entry in its key's list. */
  readonly index?: number;
  /**
   * Values of the catalogue templates `lintMessage.<code>` and `lintFix.<code>`, from which the CLI
   * renders `message` and `fix` in the user's language.
   */
  readonly params?: ProblemParams;
  /**
   * Parameters whose value is a catalogue phrase id (`lintTerm.<id>`), such as the kind of a YAML
   * value. The phrase is rendered in the output language with `params` before the template.
   */
  readonly terms?: Readonly<Record<string, string>>;
  /** The template variant when a code has several wordings: keys `lintMessage.<code>.<variant>` first. */
  readonly variant?: string;
}

/** Values of a problem's message and fix templates. */
export type ProblemParams = Readonly<Record<string, string | number>>;

/** The load result of one of the three data keys. */
export interface KeyState {
  /**
   * `ok` means parsed, although single entries may have been rejected. `empty` means blank or one of
   * the values the authenticator treats as empty, and `missing` means absent. `broken` means the text
   * failed to parse, so none of its entries load.
   */
  readonly status: 'ok' | 'empty' | 'missing' | 'broken';
  readonly error?: { readonly message: string; readonly line: number };
  /** The raw value of the key. */
  readonly text?: string;
  /** Line of the key in the whole text. */
  readonly line?: number;
  /** Added to a 1-based line of `text` to give the line in the whole text. */
  readonly lineOffset?: number;
}

/** A key of an entry as written, with its line in the whole text. */
export type EntryKey = WrittenKey;

export interface RoleEntry {
  readonly mapping: RoleMapping;
  readonly origin: EntryOrigin;
  readonly keys: readonly EntryKey[];
}

export interface UserEntry {
  readonly mapping: UserMapping;
  readonly origin: EntryOrigin;
  readonly keys: readonly EntryKey[];
}

export interface AccountEntry {
  readonly accountId: string;
  readonly origin: EntryOrigin;
}

/** An entry that decoded but failed validation, so the authenticator does not load it. */
export type RejectedEntry =
  | { readonly kind: 'role'; readonly mapping: RoleMapping; readonly origin: EntryOrigin; readonly error: RecordError }
  | { readonly kind: 'user'; readonly mapping: UserMapping; readonly origin: EntryOrigin; readonly error: RecordError };

/** A value whose type did not fit its field (e.g. `username: yes`, a YAML 1.1 boolean). The field loads empty. */
export interface TypeMismatch {
  readonly key: DataKey;
  readonly index: number;
  /** Field path such as `username` or `groups[1]`. */
  readonly path: string;
  readonly value: GoValue;
  readonly expected: TypeIssue['expected'];
  readonly line: number;
  readonly goMessage: string;
}

/** An aws-auth ConfigMap (or its bare `data` map) read the way aws-iam-authenticator reads it. */
export interface ParsedAwsAuth {
  readonly sourceName: string;
  /** `configmap`: a whole ConfigMap; `data`: only its data map; `empty`: no content at all. */
  readonly format: 'configmap' | 'data' | 'empty';
  readonly syntax: 'yaml' | 'json';
  /** False when the API server would reject the object (e.g. a data value that is not a string); nothing loads then. */
  readonly valid: boolean;
  /** Entries that load, in file order, duplicates included. */
  readonly roles: readonly RoleEntry[];
  readonly users: readonly UserEntry[];
  readonly accounts: readonly AccountEntry[];
  readonly rejected: readonly RejectedEntry[];
  readonly typeMismatches: readonly TypeMismatch[];
  readonly problems: readonly Problem[];
  readonly keys: Readonly<Record<DataKey, KeyState>>;
  /** Data keys other than the three the authenticator reads, e.g. `maproles`. */
  readonly ignoredKeys: readonly { readonly name: string; readonly line: number }[];
  readonly metadata: { readonly name?: string; readonly namespace?: string };
}
