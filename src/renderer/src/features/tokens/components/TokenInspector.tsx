import { useState } from 'react';
import type { TokenInspection } from '../../../../../shared/oauth-admin';
import { tokensApi } from '../lib/tokens-store';
import { formatLeft } from '../lib/format-left';
import { useNow } from '../../../common/use-now';
import { ErrorNote } from '../../../common/ErrorNote';

// Paste any JWT: its header and claims, a live expiry countdown, and whether MCP Dock would accept it.
export function TokenInspector() {
  const [token, setToken] = useState('');
  const [result, setResult] = useState<TokenInspection | null>(null);
  const [error, setError] = useState<string | null>(null);
  // A countdown in seconds: one tick a second.
  const now = useNow(1000);
  const inspect = async () => {
    try {
      setResult(await tokensApi().oauth.inspectToken({ token: token.trim() }));
      setError(null);
    } catch (e) {
      setResult(null);
      setError((e as Error).message);
    }
  };
  return (
    <section className="panel-section" aria-labelledby="inspect-title">
      <h2 id="inspect-title">Inspect a token</h2>
      <textarea
        aria-label="JWT to inspect"
        rows={3}
        value={token}
        onChange={(e) => setToken(e.target.value)}
        placeholder="eyJhbGciOi..."
        className="wide-input"
      />
      <div className="button-row">
        <button type="button" onClick={() => void inspect()} disabled={!token.trim()}>
          Inspect
        </button>
      </div>
      <ErrorNote message={error} />
      {result && (
        <div>
          <p role="status" className={result.valid ? 'verdict ok' : 'verdict bad'}>
            {result.valid ? 'Valid here' : `Not valid here: ${result.reason}`}
            {result.expiresAt !== undefined && ` · ${formatLeft(result.expiresAt, now)}`}
          </p>
          <div className="two-col">
            <pre className="code-block" aria-label="Header">
              {JSON.stringify(result.header, null, 2)}
            </pre>
            <pre className="code-block" aria-label="Claims">
              {JSON.stringify(result.claims, null, 2)}
            </pre>
          </div>
        </div>
      )}
    </section>
  );
}
