import { useState, type FormEvent } from 'react';
import { EMPTY_AUDIT_FILTER, type AuditFilter } from '../lib/audit-filter';
import { setAuditFilter, useAuditStore } from '../lib/audit-store';

// The form's values are local until applied; applying re-queries core, and live events are then
// held to the same filter.
export function AuditFilters() {
  const [draft, setDraft] = useState<AuditFilter>(() => useAuditStore.getState().filter);
  const field =
    <K extends keyof AuditFilter>(key: K) =>
    (e: { target: { value: string } }) =>
      setDraft((d) => ({ ...d, [key]: e.target.value as AuditFilter[K] }));
  const apply = (e: FormEvent) => {
    e.preventDefault();
    void setAuditFilter(draft);
  };
  const clear = () => {
    setDraft(EMPTY_AUDIT_FILTER);
    void setAuditFilter(EMPTY_AUDIT_FILTER);
  };
  return (
    <form className="inline-form audit-filters" aria-label="Audit filters" onSubmit={apply}>
      <label>
        From
        <input type="datetime-local" step="1" value={draft.from} onChange={field('from')} />
      </label>
      <label>
        To
        <input type="datetime-local" step="1" value={draft.to} onChange={field('to')} />
      </label>
      <label>
        Event type
        <input value={draft.eventType} onChange={field('eventType')} placeholder="tool_call" size={12} />
      </label>
      <label>
        Tool
        <input value={draft.tool} onChange={field('tool')} placeholder="exact name" size={14} />
      </label>
      <label>
        Client
        <input value={draft.client} onChange={field('client')} placeholder="client id" size={14} />
      </label>
      <label>
        Contains PII
        <select value={draft.pii} onChange={field('pii')}>
          <option value="any">Any</option>
          <option value="yes">Yes</option>
          <option value="no">No</option>
        </select>
      </label>
      <button type="submit">Apply filters</button>
      <button type="button" className="secondary" onClick={clear}>
        Clear
      </button>
    </form>
  );
}
