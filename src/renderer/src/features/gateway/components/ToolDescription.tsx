import { useId, useState } from 'react';
import { clampText } from '../../../common/clamp-text';

// A tool's description: short ones whole, long ones clamped behind "Show more". Line breaks are
// kept (white-space: pre-line), so argument lists stay lists.
export function ToolDescription({ tool, text }: { tool: string; text: string }) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const short = clampText(text);
  return (
    <div className="gateway-tool-description">
      <p id={id} className="small muted tool-description-text" aria-label={`Description of ${tool}`}>
        {open || !short.clamped ? text : short.text}
      </p>
      {short.clamped && (
        <button
          type="button"
          className="link-button small"
          aria-expanded={open}
          aria-controls={id}
          onClick={() => setOpen((o) => !o)}
        >
          {open ? 'Show less' : 'Show more'}
        </button>
      )}
    </div>
  );
}
