import { useState, type FormEvent } from 'react';
import type { RemoteSpec, RemoteSpecInput } from '../../../../../shared/remotes';
import { ErrorNote } from '../../../common/ErrorNote';
import { saveRemote } from '../lib/remotes-actions';

type AuthChoice = 'none' | 'header' | 'oauth';

// A remote MCP server by URL: the gateway serves it as it serves containers. With `initial`, it
// edits that one (a header value left empty keeps the stored one).
export function RemoteForm({ initial, onDone }: { initial?: RemoteSpec; onDone: () => void }) {
  const auth0 = initial?.auth;
  const [name, setName] = useState(initial?.name ?? '');
  const [url, setUrl] = useState(initial?.url ?? '');
  const [transport, setTransport] = useState<'auto' | 'streamable-http' | 'sse'>(
    initial?.transport ?? 'auto',
  );
  const [auth, setAuth] = useState<AuthChoice>(auth0?.type ?? 'none');
  const [header, setHeader] = useState(auth0?.type === 'header' ? auth0.header : 'Authorization');
  const [headerValue, setHeaderValue] = useState('');
  const [clientId, setClientId] = useState(auth0?.type === 'oauth' ? (auth0.clientId ?? '') : '');
  const [metadataUrl, setMetadataUrl] = useState(
    auth0?.type === 'oauth' ? (auth0.clientMetadataUrl ?? '') : '',
  );
  const [scopes, setScopes] = useState(auth0?.type === 'oauth' ? (auth0.scopes ?? []).join(' ') : '');
  const keepsValue = auth0?.type === 'header';
  const title = initial ? `Edit ${initial.name}` : 'Add remote server';
  const [error, setError] = useState<string | undefined>();
  const [saving, setSaving] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaving(true);
    const secret = auth0?.type === 'header' ? auth0.secret : 'HEADER_VALUE';
    const spec: RemoteSpecInput = {
      name: name.trim(),
      url: url.trim(),
      transport,
      ...(initial?.description ? { description: initial.description } : {}),
      ...(initial?.registryEntry ? { registryEntry: initial.registryEntry } : {}),
      auth:
        auth === 'header'
          ? { type: 'header', header: header.trim(), secret }
          : auth === 'oauth'
            ? {
                type: 'oauth',
                ...(clientId.trim() ? { clientId: clientId.trim() } : {}),
                ...(metadataUrl.trim() ? { clientMetadataUrl: metadataUrl.trim() } : {}),
                ...(scopes.trim() ? { scopes: scopes.trim().split(/\s+/) } : {}),
              }
            : { type: 'none' },
    };
    const failed = await saveRemote(
      initial?.name,
      spec,
      auth === 'header' && headerValue ? { [secret]: headerValue } : {},
    );
    setSaving(false);
    if (failed) setError(failed);
    else onDone();
  };

  return (
    <form className="server-form" aria-label={title} onSubmit={(e) => void submit(e)}>
      <h2>{title}</h2>
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
              {keepsValue ? ' (leave empty to keep the stored one)' : ''}
              <input
                type="password"
                autoComplete="off"
                value={headerValue}
                onChange={(e) => setHeaderValue(e.target.value)}
                required={!keepsValue}
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
            <label className="wide">
              Client metadata document (an https URL you publish, if the server takes one)
              <input type="url" value={metadataUrl} onChange={(e) => setMetadataUrl(e.target.value)} />
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
          {saving ? 'Saving…' : initial ? 'Save changes' : 'Add remote server'}
        </button>
        <button type="button" className="secondary" onClick={onDone}>
          Cancel
        </button>
      </div>
      {auth === 'oauth' && !initial && <p className="small muted">After adding, use Sign in on its card.</p>}
      {initial && (
        <p className="small muted">A new URL or authentication signs out: tokens belong to the old server.</p>
      )}
    </form>
  );
}
