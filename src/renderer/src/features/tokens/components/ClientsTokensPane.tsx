import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { runTokensAction, tokensApi, useTokensStore } from '../lib/tokens-store';
import { formatLeft } from '../lib/format-left';
import { useNow } from '../../../common/use-now';
import { SigningKeys } from './SigningKeys';
import { TokenInspector } from './TokenInspector';
import { ErrorNote } from '../../../common/ErrorNote';
import { internalClient } from '../../../../../shared/internal-clients';
import type { OAuthClientView } from '../../../../../shared/oauth-admin';

function NewClient() {
  const [name, setName] = useState('');
  const [scope, setScope] = useState('mcp.access');
  const [created, setCreated] = useState<{ client_id: string; client_secret: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const create = async () => {
    try {
      setCreated(await tokensApi().oauth.createClient({ name: name.trim(), scope }));
      setError(null);
      setName('');
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <div className="inline-form">
      <label>
        New client
        <input
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder="ci-bot"
          aria-label="New client name"
        />
      </label>
      <label>
        Scope
        <input value={scope} onChange={(e) => setScope(e.target.value)} aria-label="New client scope" />
      </label>
      <button type="button" disabled={!name.trim()} onClick={() => void create()}>
        Create confidential client
      </button>
      <ErrorNote message={error} />
      {created && (
        <div className="callout callout-warning" role="status">
          <p>
            Client <code>{created.client_id}</code> created. Copy its secret now: it is not shown again.
          </p>
          <pre className="code-block" aria-label="New client secret">
            {created.client_secret}
          </pre>
          <div className="button-row">
            <button
              type="button"
              className="secondary"
              onClick={() => void navigator.clipboard.writeText(created.client_secret)}
            >
              Copy secret
            </button>
            <button type="button" className="secondary" onClick={() => setCreated(null)}>
              Done
            </button>
          </div>
        </div>
      )}
    </div>
  );
}

function TestToken() {
  const { clients, resources } = useTokensStore(
    useShallow((s) => ({ clients: s.clients, resources: s.resources })),
  );
  const [clientId, setClientId] = useState('');
  const [scope, setScope] = useState('mcp.access');
  const [audience, setAudience] = useState('');
  const [token, setToken] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  // MCP Dock's own clients are not for testing: a token in their name is one nobody asked for.
  const offered = clients.filter((c) => !internalClient(c.client_id));
  const chosenClient =
    (offered.some((c) => c.client_id === clientId) ? clientId : '') || offered[0]?.client_id || '';
  const chosenAudience = audience || resources[0] || '';
  const create = async () => {
    try {
      const result = await tokensApi().oauth.createTestToken({
        clientId: chosenClient,
        scope,
        audience: chosenAudience,
        ttlSeconds: 1800,
      });
      setToken(result.access_token);
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <section className="panel-section" aria-labelledby="test-token-title">
      <h2 id="test-token-title">Create a test token</h2>
      <div className="inline-form">
        <label>
          Client
          <select
            value={chosenClient}
            onChange={(e) => setClientId(e.target.value)}
            aria-label="Test token client"
          >
            {offered.map((c) => (
              <option key={c.client_id} value={c.client_id}>
                {c.client_name ?? c.client_id}
              </option>
            ))}
          </select>
        </label>
        <label>
          Scope
          <input value={scope} onChange={(e) => setScope(e.target.value)} aria-label="Test token scope" />
        </label>
        <label>
          Audience
          <select
            value={chosenAudience}
            onChange={(e) => setAudience(e.target.value)}
            aria-label="Test token audience"
          >
            {resources.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <button type="button" disabled={!chosenClient} onClick={() => void create()}>
          Create token
        </button>
      </div>
      <ErrorNote message={error} />
      {token && (
        <>
          <pre className="code-block token-text" aria-label="Test token">
            {token}
          </pre>
          <button
            type="button"
            className="secondary"
            onClick={() => void navigator.clipboard.writeText(token)}
          >
            Copy token
          </button>
        </>
      )}
    </section>
  );
}

// One row of the clients table. MCP Dock's own clients say so, and revoking one first says what
// stops working: one click would otherwise cut off Claude Desktop's gateway mid-session.
function ClientRow({ client }: { client: OAuthClientView }) {
  const [confirming, setConfirming] = useState(false);
  const internal = internalClient(client.client_id);
  const name = internal?.label ?? client.client_name ?? client.client_id;
  const revoke = () => void runTokensAction((d) => d.oauth.revokeClient({ clientId: client.client_id }));
  return (
    <>
      <tr>
        <td>
          {name} {internal && <span className="badge">internal</span>}
          {name !== client.client_id && <div className="small muted mono">{client.client_id}</div>}
        </td>
        <td>{client.kind}</td>
        <td>{client.grant_types.join(', ')}</td>
        <td>{client.scope || 'any'}</td>
        <td>
          <button
            type="button"
            className="danger"
            onClick={() => (internal ? setConfirming(true) : revoke())}
          >
            Revoke
          </button>
        </td>
      </tr>
      {internal && confirming && (
        <tr>
          <td colSpan={5}>
            <div
              className="callout callout-warning"
              role="alertdialog"
              aria-labelledby={`revoke-${client.client_id}-title`}
              aria-describedby={`revoke-${client.client_id}-effect`}
            >
              <p id={`revoke-${client.client_id}-title`}>
                <strong>Revoke {internal.label}?</strong>
              </p>
              <p id={`revoke-${client.client_id}-effect`}>{internal.revokeEffect}</p>
              <div className="button-row">
                <button
                  type="button"
                  className="danger"
                  onClick={() => {
                    setConfirming(false);
                    revoke();
                  }}
                >
                  Revoke anyway
                </button>
                <button type="button" className="secondary" autoFocus onClick={() => setConfirming(false)}>
                  Cancel
                </button>
              </div>
            </div>
          </td>
        </tr>
      )}
    </>
  );
}

export function ClientsTokensPane() {
  const { clients, tokens, grants, error } = useTokensStore(
    useShallow((s) => ({ clients: s.clients, tokens: s.tokens, grants: s.grants, error: s.error })),
  );
  // Countdowns in seconds: one tick a second.
  const now = useNow(1000);
  return (
    <div className="pane">
      <header className="pane-header">
        <h1>Clients &amp; Tokens</h1>
      </header>
      <ErrorNote message={error} />
      <section className="panel-section" aria-labelledby="clients-title">
        <h2 id="clients-title">Clients</h2>
        <table className="table" aria-label="OAuth clients">
          <thead>
            <tr>
              <th>Client</th>
              <th>Kind</th>
              <th>Grants</th>
              <th>Scope</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {clients.map((c) => (
              <ClientRow key={c.client_id} client={c} />
            ))}
          </tbody>
        </table>
        {clients.length === 0 && (
          <p className="muted small">
            No clients yet. Create one below, or let an MCP client register itself.
          </p>
        )}
        <NewClient />
      </section>
      <section className="panel-section" aria-labelledby="tokens-title">
        <h2 id="tokens-title">Active access tokens</h2>
        <table className="table" aria-label="Active access tokens">
          <thead>
            <tr>
              <th>Client</th>
              <th>Scope</th>
              <th>Audience</th>
              <th>Expires</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {tokens
              .filter((t) => t.expiresAt > now)
              .map((t) => (
                <tr key={t.jti}>
                  <td>{internalClient(t.clientId)?.label ?? t.clientId}</td>
                  <td>{t.scope}</td>
                  <td className="mono small">{t.audience}</td>
                  <td>{formatLeft(t.expiresAt, now)}</td>
                  <td>
                    <button
                      type="button"
                      className="danger"
                      onClick={() => void runTokensAction((d) => d.oauth.revokeToken({ jti: t.jti }))}
                    >
                      Revoke
                    </button>
                  </td>
                </tr>
              ))}
          </tbody>
        </table>
        {grants.length > 0 && (
          <>
            <h3>Grants (approved authorizations)</h3>
            <ul>
              {grants.map((g) => (
                <li key={g.grantId}>
                  {g.clientId} for {g.accountId}{' '}
                  <button
                    type="button"
                    className="danger"
                    onClick={() => void runTokensAction((d) => d.oauth.revokeGrant({ grantId: g.grantId }))}
                  >
                    Revoke grant
                  </button>
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
      <TestToken />
      <TokenInspector />
      <SigningKeys />
    </div>
  );
}
