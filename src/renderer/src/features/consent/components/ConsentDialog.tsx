import { formatAgo } from '../../../../../shared/format-ago';
import { decideConsent, useConsentStore } from '../lib/consent-store';
import { ErrorNote } from '../../../common/ErrorNote';
import { useNow } from '../../../common/use-now';

// An MCP client asked for access: the person at the panel answers here (or on the browser page
// that opened, when it holds the panel's session). The oldest request is shown first. Anyone on
// this machine can register a client under any name, so the dialog says how fresh the client is
// and where the answer goes.
export function ConsentDialog() {
  const request = useConsentStore((s) => s.pending[0]);
  const waiting = useConsentStore((s) => s.pending.length);
  const error = useConsentStore((s) => s.error);
  const now = useNow();
  if (!request) return null;
  const name = request.clientName ?? request.clientId;
  return (
    <div className="modal-backdrop">
      <section className="modal" role="dialog" aria-modal="true" aria-labelledby="consent-title">
        <h2 id="consent-title">Allow {name} to use MCP Dock?</h2>
        <p className="consent-origin">
          {request.clientKind === 'registered' ? (
            <>
              This client registered itself
              {request.registeredAt ? ` ${formatAgo(request.registeredAt, now)}` : ''}. Its name was chosen by
              whoever registered it.
            </>
          ) : (
            <>This client is named by its metadata document.</>
          )}{' '}
          The answer goes to <strong>{request.redirectHost}</strong>.
        </p>
        <ul className="small">
          <li>
            Client: <code>{request.clientId}</code>
          </li>
          <li>Scopes: {request.scopes.join(', ')}</li>
          <li>For: {request.resources.join(', ')}</li>
          <li>
            Answers go to: <code>{request.redirectUri}</code>
          </li>
          {request.repeats > 1 ? (
            <li>Asked {request.repeats} times while waiting; one answer covers all.</li>
          ) : null}
          <li>Expires at {new Date(request.expiresAt).toLocaleTimeString()} unless answered.</li>
        </ul>
        {waiting > 1 ? <p className="small">{waiting - 1} more waiting after this one.</p> : null}
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
