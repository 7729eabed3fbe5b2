import { UndeclaredSecretsError } from '../errors';

// Secret values go only into slots a server declares: a value under another name would sit in the
// store unused, and a typo would silently leave the real secret unset.
export function checkSecretNames(
  declared: readonly string[],
  values: Record<string, string> | undefined,
): void {
  const unknown = Object.keys(values ?? {}).filter((k) => !declared.includes(k));
  if (unknown.length > 0) throw new UndeclaredSecretsError(unknown);
}
