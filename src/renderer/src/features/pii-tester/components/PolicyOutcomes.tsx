import { useState } from 'react';
import { PII_ACTIONS, type PiiAction, type PiiScanView } from '../../../../../shared/security';

const HINTS: Record<PiiAction, string> = {
  allow: 'passes unchanged',
  mask: 'keeps the length, hides the characters',
  redact: 'replaces each finding with a marker',
  encrypt: 'the whole value as a Fernet token',
  reject: 'refuses the call, naming types only',
};

function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="secondary"
      onClick={() =>
        void navigator.clipboard.writeText(text).then(
          () => setCopied(true),
          () => setCopied(false),
        )
      }
    >
      {copied ? 'Copied' : label}
    </button>
  );
}

function types(piiTypes: Record<string, number>): string {
  const list = Object.entries(piiTypes)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([type, n]) => `${type}×${n}`);
  return list.length > 0 ? list.join(', ') : 'no PII';
}

// The same text under each policy, side by side: what would travel on, or the refusal.
export function PolicyOutcomes({ outcomes }: { outcomes: PiiScanView['outcomes'] }) {
  return (
    <div className="policy-grid">
      {PII_ACTIONS.map((action) => {
        const outcome = outcomes[action];
        return (
          <article key={action} className="policy-card" aria-label={`Policy ${action}`}>
            <h3>
              {action} <span className="muted small">· {HINTS[action]}</span>
            </h3>
            <p className={`small outcome-label outcome-${outcome.action}`}>
              {outcome.action} · {types(outcome.piiTypes)}
              {outcome.timedOut && ' · scan timed out'}
            </p>
            {outcome.text !== undefined && (
              <pre
                className={action === 'encrypt' ? 'code-block token-text' : 'code-block policy-text'}
                aria-label={`Output under ${action}`}
              >
                {outcome.text}
              </pre>
            )}
            {outcome.message !== undefined && (
              <p className="callout callout-warning small" aria-label={`Message under ${action}`}>
                {outcome.message}
              </p>
            )}
            {action === 'encrypt' && outcome.action === 'encrypted' && outcome.text !== undefined && (
              <CopyButton text={outcome.text} label="Copy token" />
            )}
          </article>
        );
      })}
    </div>
  );
}
