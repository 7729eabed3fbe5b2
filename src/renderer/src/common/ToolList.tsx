import { clampText } from './clamp-text';

// A server's tools as its card lists them: name, and the first line of the description.
export function ToolList({
  label,
  tools,
}: {
  label: string;
  tools: { name: string; description?: string | undefined }[];
}) {
  return (
    <ul aria-label={label}>
      {tools.map((tool) => (
        <li key={tool.name}>
          <code>{tool.name}</code>{' '}
          {tool.description && (
            <span className="muted">
              — {clampText(tool.description, { maxLines: 1, maxChars: 200 }).text}
            </span>
          )}
        </li>
      ))}
    </ul>
  );
}
