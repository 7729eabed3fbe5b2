import { useEffect, useId, useState } from 'react';
import type { GatewaySnippet } from '../../../../../shared/gateway';
import { CLIENT_LABELS, type ClientId } from '../../../../../shared/snippets';
import { describeError } from '../../../common/describe-error';
import { ErrorNote } from '../../../common/ErrorNote';
import { getGatewaySnippet } from '../lib/connect-actions';
import { DEFAULT_GATEWAY_FORM, GATEWAY_FORM_LABELS, type GatewayForm } from '../lib/gateway-form';

const FORMS: readonly GatewayForm[] = ['url', 'stdio'];

// The gateway as one config entry for the chosen client: every running server's tools behind one
// endpoint, by URL (the client signs in with OAuth) or as a stdio command MCP Dock authenticates.
export function GatewaySnippetSection({ client }: { client: ClientId }) {
  const titleId = useId();
  // The form picked per client; a client nobody picked for gets its default.
  const [picked, setPicked] = useState<Partial<Record<ClientId, GatewayForm>>>({});
  const form = picked[client] ?? DEFAULT_GATEWAY_FORM[client];
  const key = `${client}/${form}`;
  // Keyed by what was asked, so a late answer for another choice is never shown.
  const [result, setResult] = useState<{ key: string; snippet?: GatewaySnippet; error?: string } | null>(
    null,
  );
  const [copied, setCopied] = useState<string | null>(null);
  const [copyError, setCopyError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    const asked = `${client}/${form}`;
    getGatewaySnippet({ client, form }).then(
      (snippet) => live && setResult({ key: asked, snippet }),
      (e: unknown) => live && setResult({ key: asked, error: describeError(e) }),
    );
    return () => {
      live = false;
    };
  }, [client, form]);

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
        One entry gives {CLIENT_LABELS[client]} the tools of every running server, behind MCP Dock&apos;s
        sign-in, PII policies and audit log.
      </p>
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
          <p className="small">
            {snippet.format === 'shell' ? (
              'Run this in a terminal:'
            ) : snippet.configPath ? (
              <>
                Merge into <code aria-label="Config path">{snippet.configPath}</code> (or the project&apos;s
                own config):
              </>
            ) : (
              'Add to the client config:'
            )}
          </p>
          <pre className="code-block" aria-label="Gateway snippet">
            {snippet.text}
          </pre>
          <div className="button-row">
            <button type="button" aria-label="Copy gateway snippet" onClick={() => void copy()}>
              Copy
            </button>
            <span role="status" className="small muted copy-status">
              {copied === key ? 'Copied' : ''}
            </span>
          </div>
        </div>
      )}
    </section>
  );
}
