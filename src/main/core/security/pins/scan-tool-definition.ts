import {
  codePointLabel,
  INVISIBLE_CHARACTERS,
  type PinFinding,
  type PinnedDefinition,
} from '../../../../shared/pins';

const INVISIBLE = INVISIBLE_CHARACTERS;

// Each pattern is a sign, not a proof: the findings are shown to the person who approves.
const SIGNS: readonly { kind: PinFinding['kind']; pattern: RegExp }[] = [
  {
    kind: 'addressed_to_model',
    pattern:
      /\b(ignore|disregard|forget)\s+(all\s+|any\s+)?(the\s+)?(previous|prior|above|earlier|other)\s+(instructions?|prompts?|rules)|<\s*\/?\s*(important|system|instructions?|secret)\s*>|\b(do\s+not|don'?t|never)\s+(tell|mention|inform|reveal|show)\b[^.]{0,40}\b(user|human|person)|\b(system\s+prompt|assistant\s*:|system\s*:)|\byou\s+must\s+(always|first|now|also)\b|\bbefore\s+(using|calling|running)\s+(this|any|the)\s+tool\b|\b(this is|it is)\s+(very\s+)?important\b[^.]{0,30}\b(that you|you must)\b/i,
  },
  {
    kind: 'reads_files',
    pattern:
      /~\/\.ssh|\bid_(rsa|ed25519|ecdsa)\b|(^|[\s/'"`])\.env\b|\/etc\/(passwd|shadow)|\.aws\/credentials|\.npmrc|\.netrc|mcp\.json|claude_desktop_config|\.cursor\/|\b(read|open|cat|load)\s+(the\s+)?(contents?\s+of\s+|file\s+)[^\s]*[~/.]/i,
  },
  {
    kind: 'sends_data',
    pattern:
      /\b(send|post|upload|forward|transmit|exfiltrate|leak|email)\b[^\n]{0,80}?\b(to|at)\s+[^\n]{0,40}?(https?:\/\/|webhook|@[a-z0-9-]+\.)|\b(include|put|pass|add|append)\b[^.\n]{0,60}\b(password|secret|token|api[\s_-]?key|credentials?|conversation|chat\s+history|file\s+contents?|previous\s+messages)\b[^.\n]{0,60}\b(in|into|as)\b/i,
  },
];

// Honest descriptions run long: the reference sequential-thinking server's is 2,781 characters of
// guidance. Past these, there is room for pages of orders nobody reads before approving.
const LONG_DESCRIPTION = 6000;
const LONG_TEXT = 2000;

const codePoint = codePointLabel;
const shown = (text: string) => {
  const visible = text.replace(INVISIBLE, (c) => `<${codePoint(c)}>`).replace(/\s+/g, ' ');
  return visible.length > 120 ? `${visible.slice(0, 117)}...` : visible;
};

// Every string of the definition with where it sits: the description, the title, and anything in
// the schemas and annotations (property descriptions, defaults, enum values) that a model reads.
function* strings(value: unknown, field: string): Generator<[string, string]> {
  if (typeof value === 'string') yield [field, value];
  else if (Array.isArray(value)) for (const [i, v] of value.entries()) yield* strings(v, `${field}[${i}]`);
  else if (value !== null && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) yield* strings(v, `${field}.${k}`);
}

// Signs of instructions hidden in a tool's definition (a "poisoned" tool), for the person who
// approves it.
export function scanToolDefinition(definition: PinnedDefinition): PinFinding[] {
  const findings: PinFinding[] = [];
  const fields: [string, unknown][] = [
    ['name', definition.name],
    ['title', definition.title],
    ['description', definition.description],
    ['inputSchema', definition.inputSchema],
    ['outputSchema', definition.outputSchema],
    ['annotations', definition.annotations],
  ];
  for (const [root, value] of fields)
    for (const [field, text] of strings(value, root)) {
      const hidden = [...new Set(text.match(INVISIBLE) ?? [])];
      if (hidden.length > 0)
        findings.push({
          kind: 'invisible_unicode',
          field,
          detail: `${hidden.slice(0, 8).map(codePoint).join(', ')} in "${shown(text)}"`,
        });
      // Hidden characters are taken out first, so a zero-width space cannot split a phrase.
      const plain = text.replace(INVISIBLE, '');
      for (const { kind, pattern } of SIGNS) {
        const match = pattern.exec(plain);
        if (match) findings.push({ kind, field, detail: shown(match[0]) });
      }
      const limit = field === 'description' ? LONG_DESCRIPTION : LONG_TEXT;
      if (text.length > limit)
        findings.push({
          kind: 'unusual_length',
          field,
          detail: `${text.length} characters (more than ${limit})`,
        });
    }
  return findings;
}
