import { useEffect, useId } from 'react';
import type { PinFinding, ToolPin } from '../../../../../shared/pins';
import { ErrorNote } from '../../../common/ErrorNote';
import { definitionDiff } from '../lib/definition-diff';
import { closePinReview, decidePin, useGatewayStore } from '../lib/gateway-store';

const FINDING_LABELS: Record<PinFinding['kind'], string> = {
  invisible_unicode: 'Invisible or bidirectional characters',
  addressed_to_model: 'Text addressed to the model',
  reads_files: 'Asks to read files',
  sends_data: 'Asks to send data elsewhere',
  unusual_length: 'Unusually long',
};

function Findings({ findings }: { findings: readonly PinFinding[] }) {
  if (findings.length === 0)
    return <p className="small muted">No signs of hidden instructions were found in it.</p>;
  return (
    <ul className="pin-findings" aria-label="Findings">
      {findings.map((f, i) => (
        <li key={i}>
          <strong>{FINDING_LABELS[f.kind]}</strong> in <code>{f.field}</code>: <span>{f.detail}</span>
        </li>
      ))}
    </ul>
  );
}

function Diff({ pin }: { pin: ToolPin }) {
  const lines = definitionDiff(pin.approved?.definition, pin.pending?.definition);
  return (
    <pre className="pin-diff" aria-label="Definition diff" tabIndex={0}>
      {lines.map((line, i) => (
        <div key={i} className={`pin-diff-${line.kind}`}>
          <span aria-hidden="true">
            {line.kind === 'added' ? '+ ' : line.kind === 'removed' ? '- ' : '  '}
          </span>
          {line.kind === 'same' ? (
            line.text
          ) : (
            <>
              <span className="visually-hidden">{line.kind === 'added' ? 'added: ' : 'removed: '}</span>
              {line.text}
            </>
          )}
        </div>
      ))}
    </pre>
  );
}

// A withheld tool under review: what the server offers now against what was approved, the signs
// of hidden instructions found in it, and the person's choice.
export function PinReview() {
  const titleId = useId();
  const reviewing = useGatewayStore((s) => s.reviewing);
  const pin = useGatewayStore((s) =>
    s.reviewing
      ? s.pins.find((p) => p.server === s.reviewing!.server && p.tool === s.reviewing!.tool)
      : undefined,
  );
  const error = useGatewayStore((s) => s.pinError);
  const busy = useGatewayStore((s) => s.pinBusy);
  useEffect(() => {
    if (!reviewing) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') closePinReview();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [reviewing]);
  if (!reviewing) return null;
  const { server, tool } = reviewing;
  return (
    <div className="modal-backdrop">
      <section className="modal pin-review" role="dialog" aria-modal="true" aria-labelledby={titleId}>
        <h2 id={titleId}>
          Review <code>{tool}</code> of {server}
        </h2>
        {!pin || pin.status === 'approved' ? (
          <p>Nothing of this tool waits for approval any more.</p>
        ) : (
          <>
            <p>
              {pin.status === 'changed'
                ? `The server changed this tool since it was approved${pin.approved?.by === 'first_sight' ? ' (as first seen)' : ''}. `
                : 'This tool is new to the server. '}
              The gateway does not list it or run it until you approve what the server offers now.
              {pin.pending?.kept ? ' You chose to keep it withheld.' : ''}
            </p>
            <Findings findings={pin.findings} />
            <Diff pin={pin} />
          </>
        )}
        <ErrorNote message={error} />
        <div className="button-row">
          {pin && pin.status !== 'approved' && (
            <>
              <button type="button" disabled={busy} onClick={() => void decidePin(server, tool, 'approve')}>
                Approve
              </button>
              <button
                type="button"
                className="secondary"
                disabled={busy || pin.pending?.kept === true}
                onClick={() => void decidePin(server, tool, 'keep')}
              >
                Keep withheld
              </button>
            </>
          )}
          <button type="button" className="secondary" onClick={closePinReview}>
            Close
          </button>
        </div>
      </section>
    </div>
  );
}
