// The start of a long text: at most `maxLines` of its lines and `maxChars` characters, cut at a
// word, with its own line breaks. Tool descriptions run to thousands of characters (usage notes,
// argument lists); a list of tools should still read as a list.
export function clampText(
  text: string,
  { maxLines = 3, maxChars = 280 }: { maxLines?: number; maxChars?: number } = {},
): { text: string; clamped: boolean } {
  const lines = text.split('\n');
  let head = lines.slice(0, maxLines).join('\n').trimEnd();
  if (head.length > maxChars) {
    const cut = head.slice(0, maxChars);
    const space = cut.search(/\s\S*$/);
    head = (space > maxChars / 2 ? cut.slice(0, space) : cut).trimEnd();
  }
  if (head.length >= text.trimEnd().length) return { text, clamped: false };
  return { text: `${head.replace(/[\s.,;:]+$/, '')}…`, clamped: true };
}
