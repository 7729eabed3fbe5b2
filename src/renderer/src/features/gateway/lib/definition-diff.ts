import { diffLines } from 'diff';
import { codePointLabel, INVISIBLE_CHARACTERS, type PinnedDefinition } from '../../../../../shared/pins';

export interface DiffLine {
  kind: 'same' | 'added' | 'removed';
  text: string;
}

// A definition as lines a person reads: each pinned part under its name, schemas as indented JSON.
export function definitionText(definition: PinnedDefinition | undefined): string {
  if (!definition) return '';
  const parts: string[] = [];
  if (definition.title !== undefined) parts.push(`title: ${definition.title}`);
  parts.push('description:', ...(definition.description ?? '(none)').split('\n').map((l) => `  ${l}`));
  for (const key of ['inputSchema', 'outputSchema', 'annotations'] as const) {
    const value = definition[key];
    if (value === undefined) continue;
    parts.push(
      `${key}:`,
      ...JSON.stringify(value, null, 2)
        .split('\n')
        .map((l) => `  ${l}`),
    );
  }
  // What cannot be seen is written out, so the diff shows it.
  return `${parts.join('\n')}\n`.replace(INVISIBLE_CHARACTERS, (c) => `⟨${codePointLabel(c)}⟩`);
}

// The approved definition against the one the server offers now, line by line (a new tool: all
// of it added).
export function definitionDiff(
  approved: PinnedDefinition | undefined,
  offered: PinnedDefinition | undefined,
): DiffLine[] {
  return diffLines(definitionText(approved), definitionText(offered)).flatMap((change) => {
    const kind: DiffLine['kind'] = change.added ? 'added' : change.removed ? 'removed' : 'same';
    return change.value
      .replace(/\n$/, '')
      .split('\n')
      .map((text) => ({ kind, text }));
  });
}
