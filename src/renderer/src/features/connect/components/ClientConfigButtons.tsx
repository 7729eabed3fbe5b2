import { useEffect, useState } from 'react';
import { CLIENT_LABELS, type ClientId } from '../../../../../shared/snippets';
import { describeError } from '../../../common/describe-error';
import { MessageText } from '../../../common/MessageText';
import { addToClientConfig, hasClientConfigEntry, removeFromClientConfig } from '../lib/connect-actions';

// What the buttons write: a server's own entry, or the gateway's (/mcp or a profile's endpoint).
export type ClientConfigTarget =
  { server: string } | { gateway: { form: 'url' | 'stdio'; profile?: string } };

// "Add to client": MCP Dock edits the client's own config file (comments and other entries kept,
// the old file backed up) instead of the user pasting by hand.
export function ClientConfigButtons({ client, target }: { client: ClientId; target: ClientConfigTarget }) {
  const key = `${client}/${JSON.stringify(target)}`;
  const [state, setState] = useState<{ key: string; path: string; present: boolean } | null>(null);
  const [message, setMessage] = useState<{ key: string; text: string; error: boolean } | null>(null);
  const [working, setWorking] = useState(false);

  useEffect(() => {
    let live = true;
    hasClientConfigEntry({ client, ...target }).then(
      (r) => live && setState({ key, ...r }),
      (e: unknown) => live && setMessage({ key, text: describeError(e), error: true }),
    );
    return () => {
      live = false;
    };
    // `key` says everything `target` holds.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, key]);

  const current = state?.key === key ? state : null;
  const shown = message?.key === key ? message : null;
  const label = CLIENT_LABELS[client];

  const run = async (action: 'add' | 'remove') => {
    setWorking(true);
    try {
      const change = await (action === 'add' ? addToClientConfig : removeFromClientConfig)({
        client,
        ...target,
      });
      setState({ key, path: change.path, present: action === 'add' });
      const backup = change.backup ? ` The previous file is saved as ${change.backup}.` : '';
      const text = !change.changed
        ? `${change.path} already ${action === 'add' ? 'had' : 'lacked'} this entry; nothing changed.`
        : `${action === 'add' ? 'Added to' : 'Removed from'} ${change.path}.${backup} Restart ${label} to pick it up.`;
      setMessage({ key, text, error: false });
    } catch (e) {
      setMessage({ key, text: describeError(e), error: true });
    } finally {
      setWorking(false);
    }
  };

  return (
    <div className="client-config">
      <div className="button-row">
        {current?.present ? (
          <button type="button" className="secondary" disabled={working} onClick={() => void run('remove')}>
            Remove from {label}
          </button>
        ) : (
          <button
            type="button"
            className="secondary"
            disabled={working || !current}
            onClick={() => void run('add')}
          >
            Add to {label}
          </button>
        )}
      </div>
      {shown && (
        <p
          className={shown.error ? 'callout callout-error' : 'small'}
          role={shown.error ? 'alert' : 'status'}
        >
          <MessageText text={shown.text} />
        </p>
      )}
    </div>
  );
}
