import { useEffect, useState, type FormEvent } from 'react';
import type { CatalogEntry } from '../../../../../shared/registry';
import { clampText } from '../../../common/clamp-text';
import { ErrorNote } from '../../../common/ErrorNote';
import { useCatalogStore } from '../lib/catalog-store';
import { moreResults, refreshListing, searchCatalog } from '../lib/catalog-actions';
import { InstallForm } from './InstallForm';

function EntryCard({ entry }: { entry: CatalogEntry }) {
  const [installing, setInstalling] = useState(false);
  const kinds = [...new Set(entry.options.filter((o) => !o.unsupported).map((o) => o.kind))];
  return (
    <article className="server-card" aria-labelledby={`entry-${entry.name}`}>
      <header className="server-head">
        <div>
          <h2 id={`entry-${entry.name}`}>{entry.title ?? entry.name}</h2>
          {entry.version && <span className="badge">{entry.version}</span>}
          {kinds.map((k) => (
            <span key={k} className="badge">
              {k}
            </span>
          ))}
        </div>
        {!installing && (
          <button type="button" onClick={() => setInstalling(true)} aria-label={`Install ${entry.name}`}>
            Install
          </button>
        )}
      </header>
      <p className="mono small">{entry.name}</p>
      <p className="muted">{clampText(entry.description, { maxLines: 3, maxChars: 400 }).text}</p>
      {entry.repository && (
        <p className="small">
          <a href={entry.repository} target="_blank" rel="noopener noreferrer">
            {entry.repository}
          </a>
        </p>
      )}
      {installing && <InstallForm entry={entry} onDone={() => setInstalling(false)} />}
    </article>
  );
}

export function CatalogPane() {
  const { registries, registry, text, page, entries, searching, error, progress, installed, onlyThese } =
    useCatalogStore();
  const [query, setQuery] = useState(text);
  // Any registry by URL (companies run their own), or one of the configured ones.
  const [registryField, setRegistryField] = useState(registry ?? '');
  useEffect(() => {
    // The first visit lists what the default registry has.
    if (!page && !searching && !error) void searchCatalog('');
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const chosen = registryField.trim() || registries[0];
    void searchCatalog(query, chosen);
  };

  return (
    <div className="pane">
      <header className="pane-header">
        <h1>Catalog</h1>
      </header>
      <form className="search-row" role="search" onSubmit={submit}>
        <input
          type="search"
          aria-label="Search the registry"
          placeholder="Search servers (name, title, description)"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
        {onlyThese ? (
          <select
            aria-label="Registry"
            value={registryField}
            onChange={(e) => setRegistryField(e.target.value)}
          >
            {registries.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        ) : (
          <>
            <input
              aria-label="Registry"
              list="catalog-registries"
              value={registryField}
              onChange={(e) => setRegistryField(e.target.value)}
              placeholder={registries[0] ?? 'https://registry.modelcontextprotocol.io'}
            />
            <datalist id="catalog-registries">
              {registries.map((r) => (
                <option key={r} value={r} />
              ))}
            </datalist>
          </>
        )}
        <button type="submit" disabled={searching}>
          {searching ? 'Searching…' : 'Search'}
        </button>
      </form>
      <p className="small muted">
        From {page?.registry ?? registry ?? registries[0] ?? 'the registry'}
        {onlyThese ? ' (only the configured registries are allowed)' : ''}.{' '}
        {page?.source === 'cache' && `Listing kept ${new Date(page.fetchedAt).toLocaleString()}. `}
        <button
          type="button"
          className="link-button"
          onClick={() => void refreshListing()}
          disabled={progress?.done === false}
        >
          {progress?.done === false
            ? `Fetching the listing… ${progress.fetched} entries`
            : 'Fetch the whole listing now'}
        </button>
      </p>
      {progress?.error && <ErrorNote message={`Fetching the listing failed: ${progress.error}`} />}
      {page?.stale && (
        <div className="callout callout-warning" role="status">
          This listing may be out of date
          {page.error ? ` (the registry could not be asked: ${page.error})` : ''}.
        </div>
      )}
      <ErrorNote message={error} />
      {installed && (
        <div className="callout callout-success" role="status">
          Installed {installed.entry} as {installed.as}.{' '}
          <a href="#containers">
            {installed.kind === 'container' ? 'Start it on the Servers pane' : 'See it on the Servers pane'}
          </a>
          .
        </div>
      )}
      <div className="server-list" aria-busy={searching}>
        {entries.map((entry) => (
          <EntryCard key={entry.name} entry={entry} />
        ))}
      </div>
      {page && entries.length === 0 && !searching && <p className="muted">No entries match.</p>}
      {page?.nextCursor && (
        <button type="button" className="secondary" onClick={() => void moreResults()} disabled={searching}>
          More
        </button>
      )}
    </div>
  );
}
