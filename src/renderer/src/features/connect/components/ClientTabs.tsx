import { useRef, type KeyboardEvent } from 'react';
import { CLIENT_IDS, CLIENT_LABELS, type ClientId } from '../../../../../shared/snippets';

// The client picker as WAI-ARIA tabs: one tab stop (the selected tab), Left/Right move and select
// (wrapping), Home/End go to the ends. Selection follows focus: each tab only switches a snippet.
// Sixteen clients do not fit one row: the list wraps onto as many as it needs.
export function ClientTabs({
  client,
  onSelect,
  panelId,
  tabId,
}: {
  client: ClientId;
  onSelect: (client: ClientId) => void;
  panelId: string;
  tabId: (client: ClientId) => string;
}) {
  const refs = useRef(new Map<ClientId, HTMLButtonElement>());

  const onKeyDown = (e: KeyboardEvent<HTMLButtonElement>) => {
    const at = CLIENT_IDS.indexOf(client);
    const last = CLIENT_IDS.length - 1;
    const to =
      e.key === 'ArrowRight'
        ? at === last
          ? 0
          : at + 1
        : e.key === 'ArrowLeft'
          ? at === 0
            ? last
            : at - 1
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? last
              : -1;
    if (to < 0) return;
    e.preventDefault();
    const next = CLIENT_IDS[to]!;
    onSelect(next);
    refs.current.get(next)?.focus();
  };

  return (
    <div role="tablist" aria-label="Client" className="tabs" style={{ flexWrap: 'wrap' }}>
      {CLIENT_IDS.map((id) => (
        <button
          key={id}
          ref={(el) => {
            if (el) refs.current.set(id, el);
            else refs.current.delete(id);
          }}
          type="button"
          role="tab"
          id={tabId(id)}
          aria-selected={client === id}
          aria-controls={panelId}
          tabIndex={client === id ? 0 : -1}
          className={client === id ? 'tab active' : 'tab'}
          onClick={() => onSelect(id)}
          onKeyDown={onKeyDown}
        >
          {CLIENT_LABELS[id]}
        </button>
      ))}
    </div>
  );
}
