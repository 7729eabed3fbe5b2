import { decideConsent, useConsentStore } from '../lib/consent-store';
import { ErrorNote } from '../../../common/ErrorNote';

// An MCP client asked for access: the person at the panel answers here (or on the browser page
// that opened, when it carries the panel's session). The oldest request is shown first.
export function ConsentDialog() {
  const request = useConsentStore((s) => s.pending[0]);
  const error = useConsentStore((s) => s.error);
  if (!request) return null;
  const name = request.clientName ?? request.clientId;
  return (
    <div className="modal-backdrop">
      <section className="modal" role="dialog" aria-modal="true" aria-labelledby="consent-title">
        <h2 id="consent-title">Allow {name} to use MCP Dock?</h2>
        <ul className="small">
          <li>
            Client: <code>{request.clientId}</code>
          </li>
          <li>Scopes: {request.scopes.join(', ')}</li>
          <li>For: {request.resources.join(', ')}</li>
          <li>
            Answers go to: <code>{request.redirectUri}</code>
          </li>
        </ul>
        <ErrorNote message={error} />
        <div className="button-row">
          <button type="button" onClick={() => void decideConsent(request.uid, 'allow')}>
            Allow
          </button>
          <button type="button" className="danger" onClick={() => void decideConsent(request.uid, 'deny')}>
            Deny
          </button>
        </div>
      </section>
    </div>
  );
}
