import { useShallow } from 'zustand/react/shallow';
import { openPinReview, useGatewayStore } from '../lib/gateway-store';

// Every tool the gateway withholds because its definition changed or is new, whether or not its
// server lists it to the panel now (a server may list it only to clients with some capability).
export function ToolChanges() {
  const waiting = useGatewayStore(useShallow((s) => s.pins.filter((p) => p.status !== 'approved')));
  const pinning = useGatewayStore((s) => s.status?.pinTools ?? true);
  if (waiting.length === 0) return null;
  return (
    <section className="tool-changes" aria-labelledby="tool-changes-title">
      <h2 id="tool-changes-title">Tool changes to review</h2>
      <p className="small muted">
        {pinning
          ? 'Withheld from every client until you approve them: changed since they were approved, or new.'
          : 'Tool pinning is off in gateway.json, so these are served as the servers list them.'}
      </p>
      <ul className="tool-changes-list">
        {waiting.map((pin) => (
          <li key={`${pin.server}/${pin.tool}`}>
            <span>
              <code>{pin.tool}</code> of {pin.server}{' '}
              <span className={`pin-badge pin-${pin.status}`}>{pin.status}</span>
              {pin.findings.length > 0 && (
                <span className="pin-flag">
                  {' '}
                  {pin.findings.length} {pin.findings.length === 1 ? 'finding' : 'findings'}
                </span>
              )}
              {pin.pending?.kept && <span className="small muted"> kept withheld</span>}
            </span>
            <button
              type="button"
              className="secondary"
              aria-label={`Review ${pin.tool} of ${pin.server}`}
              onClick={() => openPinReview(pin.server, pin.tool)}
            >
              Review
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
