import { useEffect, useId, useState } from 'react';
import type { GatewaySnippet } from '../../../../../shared/gateway';
import { CLIENT_FACTS, CLIENT_LABELS, type ClientId } from '../../../../../shared/snippets';
import { useProfilesStore } from '../../profiles';
import { ClientConfigButtons } from './ClientConfigButtons';
import { describeError } from '../../../common/describe-error';
import { ErrorNote } from '../../../common/ErrorNote';
import { getGatewaySnippet } from '../lib/connect-actions';
import { SnippetWhere } from './SnippetWhere';
import { DEFAULT_GATEWAY_FORM, GATEWAY_FORM_LABELS, type GatewayForm } from '../lib/gateway-form';

const FORMS: readonly GatewayForm[] = ['url', 'stdio'];

// The gateway as one config entry for the chosen client: every running server's tools behind one
// endpoint (or a profile's), by URL (the client signs in with OAuth) or as a stdio command MCP
// Dock authenticates.
export function GatewaySnippetSection({ client }: { client: ClientId }) {
  const titleId = useId();
  const profiles = useProfilesStore((s) => s.views);
  // The form picked per client; a client nobody picked for gets its default.
  const [picked, setPicked] = useState<Partial<Record<ClientId, GatewayForm>>>({});
  const form = picked[client] ?? DEFAULT_GATEWAY_FORM[client];
  // '' is /mcp, every server; a profile that went away falls back to it.
  const [chosen, setChosen] = useState('');
  const profile = profiles.some((p) => p.name === chosen) ? chosen : '';
  const key = `${client}/${form}/${profile}`;
  // Keyed by what was asked, so a late answer for another choice is never shown.
  const [result, setResult] = useState<{ key: string; snippet?: GatewaySnippet; error?: string } | null>(
    null,
  );
  const [copied, setCopied] = useState<string | null>(null);
  const [copyError, setCopyError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    const asked = `${client}/${form}/${profile}`;
    getGatewaySnippet({ client, form, ...(profile ? { profile } : {}) }).then(
      (snippet) => live && setResult({ key: asked, snippet }),
      (e: unknown) => live && setResult({ key: asked, error: describeError(e) }),
    );
    return () => {
      live = false;
    };
  }, [client, form, profile]);

  const snippet = result?.key === key ? result.snippet : undefined;
  const error = copyError ?? (result?.key === key ? result.error : undefined);

  const copy = async () => {
    if (!snippet) return;
    try {
      await navigator.clipboard.writeText(snippet.text);
      setCopyError(null);
      setCopied(key);
    } catch (e) {
      setCopied(null);
      setCopyError(`Copy failed: ${(e as Error).message}. Select the text and copy it by hand.`);
    }
  };

  return (
    <section className="panel-section gateway-snippet" aria-labelledby={titleId}>
      <h2 id={titleId}>MCP Dock gateway — one endpoint for every server</h2>
      <p className="small muted">
        One entry gives {CLIENT_LABELS[client]}{' '}
        {profile ? `the servers and tools of the profile ${profile}` : 'the tools of every running server'},
        behind MCP Dock&apos;s sign-in, PII policies and audit log.
      </p>
      {profiles.length > 0 && (
        <label className="inline">
          Endpoint{' '}
          <select value={profile} onChange={(e) => setChosen(e.target.value)} aria-label="Endpoint">
            <option value="">Every server (/mcp)</option>
            {profiles.map((p) => (
              <option key={p.name} value={p.name}>
                Profile {p.name} (/mcp/p/{p.name})
              </option>
            ))}
          </select>
        </label>
      )}
      <fieldset className="form-switch">
        <legend className="small muted">Connect by</legend>
        {FORMS.map((f) => (
          <label key={f} className={form === f ? 'form-option active' : 'form-option'}>
            <input
              type="radio"
              name={`${titleId}-form`}
              value={f}
              checked={form === f}
              onChange={() => {
                setCopyError(null);
                setPicked((p) => ({ ...p, [client]: f }));
              }}
            />
            {GATEWAY_FORM_LABELS[f]}
          </label>
        ))}
      </fieldset>
      <ErrorNote message={error} />
      {snippet && (
        <div aria-label={`${CLIENT_LABELS[client]} gateway snippet`} role="group">
          <p className="small" aria-label="How it signs in">
            {snippet.note}
          </p>
          <SnippetWhere client={client} format={snippet.format} configPath={snippet.configPath} />
          <pre className="code-block" aria-label="Gateway snippet">
            {snippet.text}
          </pre>
          <div className="button-row">
            <button type="button" aria-label="Copy gateway snippet" onClick={() => void copy()}>
              Copy
            </button>
            {snippet.deepLink && (
              <a className="button secondary" href={snippet.deepLink}>
                Install in {CLIENT_LABELS[client]}
              </a>
            )}
            <span role="status" className="small muted copy-status">
              {copied === key ? 'Copied' : ''}
            </span>
          </div>
          {CLIENT_FACTS[client].writable && (
            <ClientConfigButtons
              client={client}
              target={{ gateway: { form, ...(profile ? { profile } : {}) } }}
            />
          )}
        </div>
      )}
    </section>
  );
}
