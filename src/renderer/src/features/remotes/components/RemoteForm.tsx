import { useState, type FormEvent } from 'react';
import type { RemoteSpecInput } from '../../../../../shared/remotes';
import { ErrorNote } from '../../../common/ErrorNote';
import { addRemote } from '../lib/remotes-actions';

type AuthChoice = 'none' | 'header' | 'oauth';

// A remote MCP server by URL: the gateway serves it as it serves containers.
export function RemoteForm({ onDone }: { onDone: () => void }) {
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [transport, setTransport] = useState<'auto' | 'streamable-http' | 'sse'>('auto');
  const [auth, setAuth] = useState<AuthChoice>('none');
  const [header, setHeader] = useState('Authorization');
  const [headerValue, setHeaderValue] = useState('');
  const [clientId, setClientId] = useState('');
  const [scopes, setScopes] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [saving, setSaving] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaving(true);
    const secret = 'HEADER_VALUE';
    const spec: RemoteSpecInput = {
      name: name.trim(),
      url: url.trim(),
      transport,
      auth:
        auth === 'header'
          ? { type: 'header', header: header.trim(), secret }
          : auth === 'oauth'
            ? {
                type: 'oauth',
                ...(clientId.trim() ? { clientId: clientId.trim() } : {}),
                ...(scopes.trim() ? { scopes: scopes.trim().split(/\s+/) } : {}),
              }
            : { type: 'none' },
    };
    const failed = await addRemote(spec, auth === 'header' ? { [secret]: headerValue } : {});
    setSaving(false);
    if (failed) setError(failed);
    else onDone();
  };

  return (
    <form className="server-form" aria-label="Add remote server" onSubmit={(e) => void submit(e)}>
      <h2>Add remote server</h2>
      <div className="form-grid">
        <label>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} required placeholder="linear" />
        </label>
        <label className="wide">
          URL
          <input
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            required
            type="url"
            placeholder="https://mcp.linear.app/mcp"
          />
        </label>
        <label>
          Transport
          <select value={transport} onChange={(e) => setTransport(e.target.value as typeof transport)}>
            <option value="auto">Streamable HTTP, else legacy SSE (auto)</option>
            <option value="streamable-http">Streamable HTTP</option>
            <option value="sse">Legacy HTTP+SSE</option>
          </select>
        </label>
        <label>
          Authentication
          <select value={auth} onChange={(e) => setAuth(e.target.value as AuthChoice)}>
            <option value="none">None</option>
            <option value="header">A header with a secret (API key, token)</option>
            <option value="oauth">OAuth (sign in in your browser)</option>
          </select>
        </label>
        {auth === 'header' && (
          <>
            <label>
              Header
              <input value={header} onChange={(e) => setHeader(e.target.value)} required />
            </label>
            <label className="wide">
              Header value (stored encrypted; e.g. Bearer …)
              <input
                type="password"
                autoComplete="off"
                value={headerValue}
                onChange={(e) => setHeaderValue(e.target.value)}
                required
              />
            </label>
          </>
        )}
        {auth === 'oauth' && (
          <>
            <label>
              Client id (only if the server has no dynamic registration)
              <input value={clientId} onChange={(e) => setClientId(e.target.value)} />
            </label>
            <label>
              Scopes (space-separated; default: what the server asks)
              <input value={scopes} onChange={(e) => setScopes(e.target.value)} />
            </label>
          </>
        )}
      </div>
      <ErrorNote message={error} />
      <div className="button-row">
        <button type="submit" disabled={saving}>
          {saving ? 'Adding…' : 'Add remote server'}
        </button>
        <button type="button" className="secondary" onClick={onDone}>
          Cancel
        </button>
      </div>
      {auth === 'oauth' && <p className="small muted">After adding, use Sign in on its card.</p>}
    </form>
  );
}
