import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { ErrorNote } from '../../../common/ErrorNote';
import { formatRate, plural } from '../lib/format';
import { useGatewayStore } from '../lib/gateway-store';

// The one URL clients connect to, and how busy it is.
export function EndpointSummary() {
  const summary = useGatewayStore(
    useShallow((s) =>
      s.status
        ? {
            url: s.status.url,
            callsPerMinute: s.status.callsPerMinute,
            sessions: s.status.sessions.length,
            servers: s.status.servers.length,
            ready: s.status.servers.filter((v) => v.state === 'ready').length,
          }
        : null,
    ),
  );
  const [copied, setCopied] = useState(false);
  const [copyError, setCopyError] = useState<string | null>(null);
  if (!summary) return null;

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(summary.url);
      setCopyError(null);
      setCopied(true);
    } catch (e) {
      setCopied(false);
      setCopyError(`Copy failed: ${(e as Error).message}. Select the URL and copy it by hand.`);
    }
  };

  return (
    <section className="panel-section gateway-summary" aria-label="Endpoint">
      <div className="gateway-endpoint">
        <span className="muted">Endpoint</span>
        <code aria-label="Gateway URL">{summary.url}</code>
        <button type="button" className="secondary" onClick={() => void copy()}>
          Copy URL
        </button>
        <span role="status" className="small muted">
          {copied ? 'Copied' : ''}
        </span>
      </div>
      <ErrorNote message={copyError} />
      <dl className="gateway-facts">
        <div>
          <dt>Traffic</dt>
          <dd aria-label="Total calls per minute">{formatRate(summary.callsPerMinute)}</dd>
        </div>
        <div>
          <dt>Sessions</dt>
          <dd aria-label="Open sessions">{plural(summary.sessions, 'session')}</dd>
        </div>
        <div>
          <dt>Servers</dt>
          <dd>
            {summary.ready} of {plural(summary.servers, 'server')} ready
          </dd>
        </div>
      </dl>
    </section>
  );
}
