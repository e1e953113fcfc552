/**
 * Key lookup with viper's rules: every key of a configuration file matches case-insensitively, and a
 * dotted path such as `server.backendMode` walks nested maps. When two keys of one map differ only in
 * case, the later one wins, because viper lower-cases keys while it reads the file.
 */

export type ConfigTree = Readonly<Record<string, unknown>>;

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Returns the value at a dotted path, or undefined when a segment is missing. */
export function lookupKey(tree: ConfigTree, path: string): unknown {
  let current: unknown = tree;
  for (const segment of path.split('.')) {
    if (!isPlainObject(current)) return undefined;
    current = findFolded(current, segment);
  }
  return current;
}

function findFolded(map: Record<string, unknown>, key: string): unknown {
  const wanted = key.toLowerCase();
  let found: unknown;
  for (const [name, value] of Object.entries(map)) {
    if (name.toLowerCase() === wanted) found = value;
  }
  return found;
}
