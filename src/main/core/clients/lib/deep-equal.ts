// Structural equality for parsed config values (JSON, YAML and TOML all parse to plain objects,
// arrays, scalars and, from TOML, dates). Key order does not matter. Not node:util's
// isDeepStrictEqual: it compares prototypes too, and the parsers' objects are not all plain ones
// (with it, six of the writer tests took an unchanged entry for a changed one).
export function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (a instanceof Date || b instanceof Date)
    return a instanceof Date && b instanceof Date && a.toISOString() === b.toISOString();
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return (
    ka.length === kb.length &&
    ka.every(
      (k) =>
        Object.hasOwn(b, k) &&
        deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
    )
  );
}
