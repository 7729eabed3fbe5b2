import { useId } from 'react';
import { ErrorNote } from '../../../common/ErrorNote';
import { useNow } from '../../../common/use-now';
import { decideApproval, dismissApprovalError, useApprovalsStore } from '../lib/approvals-store';

function secondsLeft(expiresAt: string, now: number): number {
  return Math.max(0, Math.ceil((Date.parse(expiresAt) - now) / 1000));
}

// A tool call held by an "ask" call policy: the person at the panel answers for the oldest one.
// The arguments are shown as core masked them: their shape and the PII types, not the values.
export function ApprovalDialog() {
  const titleId = useId();
  const call = useApprovalsStore((s) => s.pending[0]);
  const waiting = useApprovalsStore((s) => s.pending.length);
  const error = useApprovalsStore((s) => s.error);
  const busy = useApprovalsStore((s) => s.busy);
  const now = useNow(1000);
  if (!call) {
    if (!error) return null;
    return (
      <div className="modal-backdrop">
        <section className="modal" role="alertdialog" aria-modal="true" aria-labelledby={titleId}>
          <h2 id={titleId}>The call could not be answered</h2>
          <ErrorNote message={error} />
          <div className="button-row">
            <button type="button" onClick={dismissApprovalError}>
              OK
            </button>
          </div>
        </section>
      </div>
    );
  }
  const client = call.client_name ?? call.client_id;
  const left = secondsLeft(call.expires_at, now);
  return (
    <div className="modal-backdrop">
      <section className="modal approval-dialog" role="dialog" aria-modal="true" aria-labelledby={titleId}>
        <h2 id={titleId}>
          Allow {client} to run <code>{call.tool}</code> of {call.server}?
        </h2>
        <p>
          Its call policy asks a person first. The client waits for your answer; without one in {left} s the
          call is denied.
          {call.asked_in_client ? ' The client was asked too; the first answer counts.' : ''}
        </p>
        <ul className="small">
          <li>
            Server: <strong>{call.server}</strong>
          </li>
          <li>
            Tool: <code>{call.tool}</code>
          </li>
          <li>
            Client: <code>{call.client_id}</code>
            {call.client_name ? ` (${call.client_name})` : ''}, for {call.user_id}
          </li>
        </ul>
        <h3 className="small">Arguments (PII masked)</h3>
        <pre className="approval-arguments" aria-label="Arguments" tabIndex={0}>
          {JSON.stringify(call.arguments, null, 2) ?? '(none)'}
        </pre>
        {waiting > 1 ? <p className="small">{waiting - 1} more waiting after this one.</p> : null}
        <ErrorNote message={error} />
        <div className="button-row">
          <button type="button" disabled={busy} onClick={() => void decideApproval(call.id, 'allow')}>
            Allow once
          </button>
          <button
            type="button"
            className="secondary"
            disabled={busy}
            onClick={() => void decideApproval(call.id, 'allow', true)}
          >
            Always allow this tool for {client}
          </button>
          <button
            type="button"
            className="danger"
            disabled={busy}
            onClick={() => void decideApproval(call.id, 'deny')}
          >
            Deny
          </button>
        </div>
      </section>
    </div>
  );
}
