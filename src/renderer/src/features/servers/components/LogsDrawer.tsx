import { useCallback, useEffect, useRef, useState } from 'react';
import { loadLogs } from '../lib/servers-actions';
import { useServersStore } from '../lib/servers-store';

const EMPTY: never[] = [];

export function LogsDrawer({ name, onClose }: { name: string; onClose: () => void }) {
  const lines = useServersStore((s) => s.logs[name] ?? EMPTY);
  const end = useRef<HTMLDivElement>(null);

  useEffect(() => {
    void loadLogs(name);
  }, [name]);
  // Escape closes it, and focus goes back to where it was (the card's Logs button), as in a dialog.
  // Read during the first render: by the time effects run, autoFocus has moved it to Close.
  const [opener] = useState(() =>
    document.activeElement instanceof HTMLElement ? document.activeElement : null,
  );
  const close = useCallback(() => {
    onClose();
    if (opener?.isConnected) opener.focus();
  }, [onClose, opener]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !e.defaultPrevented) close();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [close]);
  useEffect(() => {
    end.current?.scrollIntoView?.({ block: 'end' });
  }, [lines.length]);

  const text = lines.map((l) => `${l.at} ${l.stream} ${l.text}`).join('\n');
  const save = () => {
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `${name}-logs.txt`;
    a.click();
    URL.revokeObjectURL(url);
  };

  return (
    <aside className="drawer" aria-label={`Logs of ${name}`}>
      <header className="drawer-head">
        <h2>Logs · {name}</h2>
        <div className="button-row">
          <button
            type="button"
            className="secondary"
            onClick={() => void navigator.clipboard.writeText(text)}
            disabled={lines.length === 0}
          >
            Copy
          </button>
          <button type="button" className="secondary" onClick={save} disabled={lines.length === 0}>
            Save
          </button>
          <button type="button" className="secondary" onClick={close} aria-label="Close logs" autoFocus>
            Close
          </button>
        </div>
      </header>
      <div className="log-lines" role="log" aria-live="polite">
        {lines.length === 0 ? (
          <p className="muted">
            No output yet. Container output and the MCP server's stderr during checks appear here (last 1,000
            lines).
          </p>
        ) : (
          lines.map((line, i) => (
            <div key={i} className={`log-line log-${line.stream}`}>
              {line.text}
            </div>
          ))
        )}
        <div ref={end} />
      </div>
    </aside>
  );
}
