import { useEffect, useId, useState } from 'react';
import { CLIENT_FACTS, CLIENT_LABELS, type ClientId, type Snippet } from '../../../../../shared/snippets';
import { useRemotesStore } from '../../remotes';
import { useServersStore } from '../../servers';
import { ClientConfigButtons } from './ClientConfigButtons';
import { ClientTabs } from './ClientTabs';
import { GatewaySnippetSection } from './GatewaySnippetSection';
import { SnippetWhere } from './SnippetWhere';
import { getServerSnippet } from '../lib/connect-actions';
import { describeError } from '../../../common/describe-error';
import { ErrorNote } from '../../../common/ErrorNote';

// Remote servers have no snippet of their own: a client reaching them directly would bypass the
// gateway, and with it every protection. The gateway's entry above serves them.
function RemotesThroughGateway() {
  const remotes = useRemotesStore((s) => s.views);
  if (remotes.length === 0) return null;
  return (
    <section aria-label="Remote servers through the gateway" className="small">
      <p>
        Remote servers are reached through the gateway entry above, their tools named{' '}
        <code>server__tool</code>:
      </p>
      <ul>
        {remotes.map((r) => (
          <li key={r.spec.name}>
            <code>{r.spec.name}</code> ({r.spec.url}):{' '}
            {r.state === 'ready' ? `${r.tools.length} tools` : r.state}
          </li>
        ))}
      </ul>
    </section>
  );
}

// For the chosen client: the gateway's entry (every server behind one endpoint), then the snippet
// for one server on its own: what to paste where, a copy button, and the client's own install
// link where it has one.
export function ConnectPane() {
  const views = useServersStore((s) => s.views);
  const [server, setServer] = useState<string>('');
  const [client, setClient] = useState<ClientId>('cursor');
  // Results are keyed by what was asked, so a late answer for another choice is never shown.
  const [result, setResult] = useState<{ key: string; snippet?: Snippet; error?: string } | null>(null);
  const [copiedKey, setCopiedKey] = useState<string | null>(null);
  const [copyError, setCopyError] = useState<string | null>(null);
  const baseId = useId();
  const panelId = `${baseId}-panel`;
  const tabId = (id: ClientId) => `${baseId}-tab-${id}`;

  const running = views.filter((v) => v.container.state === 'running' || v.spec.mode === 'run');
  const selected = server || running[0]?.spec.name || '';
  const key = `${client}/${selected}`;
  const snippet = result?.key === key ? result.snippet : undefined;
  const error = copyError ?? (result?.key === key ? result.error : undefined);
  const copied = copiedKey === key;

  useEffect(() => {
    if (!selected) return;
    let live = true;
    const asked = `${client}/${selected}`;
    getServerSnippet({ client, server: selected }).then(
      (s) => live && setResult({ key: asked, snippet: s }),
      (e: unknown) => live && setResult({ key: asked, error: describeError(e) }),
    );
    return () => {
      live = false;
    };
  }, [client, selected]);

  const copy = async () => {
    if (!snippet) return;
    try {
      await navigator.clipboard.writeText(snippet.text);
      setCopyError(null);
      setCopiedKey(key);
    } catch (e) {
      setCopyError(`Copy failed: ${(e as Error).message}. Select the text and copy it by hand.`);
    }
  };

  return (
    <div className="pane">
      <header className="pane-header">
        <h1>Connect</h1>
      </header>
      <ClientTabs client={client} onSelect={setClient} panelId={panelId} tabId={tabId} />
      <div role="tabpanel" id={panelId} aria-labelledby={tabId(client)}>
        <GatewaySnippetSection client={client} />
        <RemotesThroughGateway />
        {running.length === 0 ? (
          <section className="empty-state">
            <h2>No running servers</h2>
            <p>Start a server on the Servers pane; its client config appears here.</p>
          </section>
        ) : (
          <>
            <h2 className="connect-subtitle">Or one server on its own</h2>
            <label className="inline">
              Server{' '}
              <select value={selected} onChange={(e) => setServer(e.target.value)} aria-label="Server">
                {running.map((v) => (
                  <option key={v.spec.name} value={v.spec.name}>
                    {v.spec.name}
                  </option>
                ))}
              </select>
            </label>
            <ErrorNote message={error} />
            {snippet && (
              <section className="snippet" aria-label={`${CLIENT_LABELS[client]} snippet`}>
                <SnippetWhere client={client} format={snippet.format} configPath={snippet.configPath} />
                <pre className="code-block">{snippet.text}</pre>
                <div className="button-row">
                  <button type="button" onClick={() => void copy()}>
                    {copied ? 'Copied' : 'Copy'}
                  </button>
                  {snippet.deepLink && (
                    <a className="button secondary" href={snippet.deepLink}>
                      Install in {CLIENT_LABELS[client]}
                    </a>
                  )}
                </div>
                {CLIENT_FACTS[client].writable && (
                  <ClientConfigButtons client={client} target={{ server: selected }} />
                )}
                <p className="small muted">
                  Secrets stay inside the container: they are never part of a snippet.
                </p>
              </section>
            )}
          </>
        )}
      </div>
    </div>
  );
}
