import { useMemo, useState, type FormEvent } from 'react';
import type { CallPolicy } from '../../../../../shared/approvals';
import type { Profile, ProfileTool } from '../../../../../shared/profiles';
import { PII_ACTIONS, type PiiAction } from '../../../../../shared/security';
import { ErrorNote } from '../../../common/ErrorNote';
import { useGatewayStore } from '../../gateway';
import { useRemotesStore } from '../../remotes';
import { useServersStore } from '../../servers';
import { saveProfile } from '../lib/profiles-actions';
import { matchesFilter, serverChoices } from '../lib/server-choices';

const toolKey = (t: ProfileTool) => `${t.server}/${t.tool}`;

// A profile: its name, the servers it serves whole and the single tools it adds, and how it
// serves them. With `initial`, it edits that one.
export function ProfileForm({ initial, onDone }: { initial?: Profile; onDone: () => void }) {
  const servers = useServersStore((s) => s.views);
  const remotes = useRemotesStore((s) => s.views);
  const gateway = useGatewayStore((s) => s.status);
  const choices = useMemo(() => serverChoices(servers, remotes, gateway), [servers, remotes, gateway]);

  const [name, setName] = useState(initial?.name ?? '');
  const [description, setDescription] = useState(initial?.description ?? '');
  const [whole, setWhole] = useState<Set<string>>(() => new Set(initial?.servers ?? []));
  const [tools, setTools] = useState<Map<string, ProfileTool>>(
    () => new Map((initial?.tools ?? []).map((t) => [toolKey(t), t])),
  );
  const [ownTools, setOwnTools] = useState(initial?.ownTools ?? false);
  const [search, setSearch] = useState(initial?.search ?? false);
  const [callPolicy, setCallPolicy] = useState<CallPolicy | ''>(initial?.callPolicy ?? '');
  const [piiAction, setPiiAction] = useState<PiiAction | ''>(initial?.piiPolicy?.action ?? '');
  const [filter, setFilter] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [saving, setSaving] = useState(false);
  const title = initial ? `Edit profile ${initial.name}` : 'New profile';

  // Servers the profile names that are gone now stay selected (they return with their tools).
  const known = new Set(choices.map((c) => c.server));
  const gone = [...whole].filter((s) => !known.has(s));

  const toggleServer = (server: string, on: boolean) =>
    setWhole((prev) => {
      const next = new Set(prev);
      if (on) next.add(server);
      else next.delete(server);
      return next;
    });
  const toggleTool = (tool: ProfileTool, on: boolean) =>
    setTools((prev) => {
      const next = new Map(prev);
      if (on) next.set(toolKey(tool), tool);
      else next.delete(toolKey(tool));
      return next;
    });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaving(true);
    const failed = await saveProfile(initial?.name, {
      name: name.trim(),
      ...(description.trim() ? { description: description.trim() } : {}),
      servers: [...whole],
      // A tool of a server taken whole is in anyway.
      tools: [...tools.values()].filter((t) => !whole.has(t.server)),
      ownTools,
      search,
      ...(callPolicy ? { callPolicy } : {}),
      ...(piiAction
        ? {
            piiPolicy: {
              ...(initial?.piiPolicy ?? { entities: {}, maskStyle: 'asterisks' }),
              action: piiAction,
            },
          }
        : {}),
    });
    setSaving(false);
    if (failed) setError(failed);
    else onDone();
  };

  const shown = choices
    .map((c) => ({
      ...c,
      tools: c.tools.filter((t) => matchesFilter(filter, c.server, t)),
      nameMatches: matchesFilter(filter, c.server),
    }))
    .filter((c) => c.nameMatches || c.tools.length > 0);
  const selectedCount = whole.size + [...tools.values()].filter((t) => !whole.has(t.server)).length;

  return (
    <form className="server-form" aria-label={title} onSubmit={(e) => void submit(e)}>
      <h2>{title}</h2>
      <div className="form-grid">
        <label>
          Name
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            placeholder="frontend"
            aria-describedby="profile-name-hint"
          />
          <span id="profile-name-hint" className="small muted">
            lowercase letters, digits and “-”: it names the endpoint /mcp/p/&lt;name&gt;
          </span>
        </label>
        <label className="wide">
          Description
          <input value={description} onChange={(e) => setDescription(e.target.value)} maxLength={500} />
        </label>
        <label>
          Calls
          <select value={callPolicy} onChange={(e) => setCallPolicy(e.target.value as CallPolicy | '')}>
            <option value="">As each server and tool is set</option>
            <option value="allow">Allow (in place of the servers’ defaults)</option>
            <option value="ask">Ask a person first</option>
            <option value="deny">Deny</option>
          </select>
        </label>
        <label>
          PII in calls
          <select value={piiAction} onChange={(e) => setPiiAction(e.target.value as PiiAction | '')}>
            <option value="">As each server and tool is set</option>
            {PII_ACTIONS.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </label>
        <label className="check">
          <input type="checkbox" checked={search} onChange={(e) => setSearch(e.target.checked)} />
          Tool search: clients see find_tools and call_tool instead of every tool
        </label>
        <label className="check">
          <input type="checkbox" checked={ownTools} onChange={(e) => setOwnTools(e.target.checked)} />
          MCP Dock’s own security and OAuth tools
        </label>
        <fieldset aria-label="Servers and tools">
          <legend>
            Servers and tools <span className="muted small">({selectedCount} selected)</span>
          </legend>
          <label className="wide">
            Filter
            <input
              type="search"
              value={filter}
              onChange={(e) => setFilter(e.target.value)}
              placeholder="server, tool or words of its description"
            />
          </label>
          {choices.length === 0 && (
            <p className="muted small">No servers yet: add one in Servers or Catalog.</p>
          )}
          {gone.length > 0 && (
            <p className="callout callout-warning small">
              Selected but not there now: {gone.join(', ')} (kept; their tools return with them)
            </p>
          )}
          <ul className="profile-picker">
            {shown.map((c) => (
              <li key={c.server}>
                <label className="check">
                  <input
                    type="checkbox"
                    checked={whole.has(c.server)}
                    onChange={(e) => toggleServer(c.server, e.target.checked)}
                  />
                  <strong>{c.server}</strong>
                  <span className="muted small">
                    all of it ({c.kind}
                    {c.tools.length === 0 && !filter ? ', tools listed once it runs' : ''})
                  </span>
                </label>
                {c.tools.length > 0 && (
                  <ul>
                    {c.tools.map((t) => {
                      const tool = { server: c.server, tool: t.name };
                      return (
                        <li key={t.name}>
                          <label className="check" title={t.description}>
                            <input
                              type="checkbox"
                              aria-label={`${c.server} ${t.name}`}
                              disabled={whole.has(c.server)}
                              checked={whole.has(c.server) || tools.has(toolKey(tool))}
                              onChange={(e) => toggleTool(tool, e.target.checked)}
                            />
                            <span className="mono">{t.name}</span>
                            {t.description && <span className="muted small clamp-1">{t.description}</span>}
                          </label>
                        </li>
                      );
                    })}
                  </ul>
                )}
              </li>
            ))}
          </ul>
          {choices.length > 0 && shown.length === 0 && (
            <p className="muted small">Nothing matches “{filter}”.</p>
          )}
        </fieldset>
      </div>
      <ErrorNote message={error} />
      <div className="button-row">
        <button type="submit" disabled={saving}>
          {saving ? 'Saving…' : initial ? 'Save changes' : 'Add profile'}
        </button>
        <button type="button" className="secondary" onClick={onDone}>
          Cancel
        </button>
      </div>
      {initial && (
        <p className="small muted">Open sessions see the change at once; a new name moves the endpoint.</p>
      )}
    </form>
  );
}
