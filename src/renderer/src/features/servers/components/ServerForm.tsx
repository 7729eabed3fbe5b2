import { useState, type FormEvent } from 'react';
import { formatZodError } from '../../../../../shared/errors';
import { serverSpecSchema, type ServerSpec } from '../../../../../shared/servers';
import { joinCommand, splitCommand } from '../lib/command-words';
import { saveServer } from '../lib/servers-actions';
import { ErrorNote } from '../../../common/ErrorNote';

interface Props {
  // Editing an existing user server, or adding a new one.
  initial?: ServerSpec;
  onDone: () => void;
}

function parseEnv(text: string): Record<string, string> | string {
  const env: Record<string, string> = {};
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (!line) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) return `environment line ${i + 1} needs KEY=value`;
    env[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return env;
}

export function ServerForm({ initial, onDone }: Props) {
  const [name, setName] = useState(initial?.name ?? '');
  const [description, setDescription] = useState(initial?.description ?? '');
  const [image, setImage] = useState(initial?.image ?? '');
  const [command, setCommand] = useState(initial ? joinCommand(initial.command) : '');
  const [mode, setMode] = useState(initial?.mode ?? 'exec');
  const [network, setNetwork] = useState(initial?.network ?? 'none');
  const [egressText, setEgressText] = useState((initial?.egress ?? []).join('\n'));
  const [envText, setEnvText] = useState(
    Object.entries(initial?.env ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join('\n'),
  );
  const [secretNames, setSecretNames] = useState((initial?.secrets ?? []).join(', '));
  const [secretValues, setSecretValues] = useState<Record<string, string>>({});
  const [memoryMb, setMemoryMb] = useState(String(initial?.limits.memoryMb ?? 512));
  const [cpus, setCpus] = useState(String(initial?.limits.cpus ?? 1));
  const [pids, setPids] = useState(String(initial?.limits.pids ?? 256));
  const [writableRootfs, setWritableRootfs] = useState(initial?.relax.writableRootfs ?? false);
  const [allowEscalation, setAllowEscalation] = useState(initial?.relax.allowPrivilegeEscalation ?? false);
  const [tmpExec, setTmpExec] = useState(initial?.relax.tmpExec ?? false);
  const [user, setUser] = useState(initial?.user ?? '');
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const secrets = secretNames
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const env = parseEnv(envText);
    if (typeof env === 'string') return setError(env);
    const candidate = {
      name: name.trim(),
      ...(description.trim() ? { description: description.trim() } : {}),
      image: image.trim(),
      command: splitCommand(command),
      mode,
      network,
      egress:
        network === 'egress'
          ? egressText
              .split(/[\n,]+/)
              .map((h) => h.trim())
              .filter(Boolean)
          : [],
      env,
      secrets,
      limits: { memoryMb: Number(memoryMb), cpus: Number(cpus), pids: Number(pids) },
      relax: { writableRootfs, allowPrivilegeEscalation: allowEscalation, tmpExec },
      ...(user.trim() ? { user: user.trim() } : {}),
      ...(initial?.containerName ? { containerName: initial.containerName } : {}),
      ...(initial?.keepAlive ? { keepAlive: initial.keepAlive } : {}),
    };
    const parsed = serverSpecSchema.safeParse(candidate);
    if (!parsed.success) return setError(formatZodError(parsed.error));
    const values = Object.fromEntries(
      Object.entries(secretValues).filter(([k, v]) => secrets.includes(k) && v),
    );
    const missing = secrets.filter((s) => !values[s] && !(initial?.secrets ?? []).includes(s));
    if (missing.length > 0) return setError(`enter a value for ${missing.join(', ')}`);
    setSaving(true);
    const failure = await saveServer(initial?.name, parsed.data, values);
    setSaving(false);
    if (failure) setError(failure);
    else onDone();
  };

  return (
    <form
      className="server-form"
      onSubmit={(e) => void submit(e)}
      aria-label={initial ? `Edit ${initial.name}` : 'Add a server'}
    >
      <h2>{initial ? `Edit ${initial.name}` : 'Add an MCP server'}</h2>
      <div className="form-grid">
        <label>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} required placeholder="my-server" />
        </label>
        <label>
          Image
          <input
            value={image}
            onChange={(e) => setImage(e.target.value)}
            required
            placeholder="node:20-slim"
          />
        </label>
        <label className="wide">
          MCP command (stdio)
          <input
            value={command}
            onChange={(e) => setCommand(e.target.value)}
            required
            placeholder="npx -y @modelcontextprotocol/server-sequential-thinking"
          />
        </label>
        <label className="wide">
          Description
          <input value={description} onChange={(e) => setDescription(e.target.value)} />
        </label>
        <label>
          Container model
          <select value={mode} onChange={(e) => setMode(e.target.value as 'exec' | 'run')}>
            <option value="exec">Long-running container, docker exec per session</option>
            <option value="run">docker run --rm per session</option>
          </select>
        </label>
        <label>
          Network
          <select value={network} onChange={(e) => setNetwork(e.target.value as ServerSpec['network'])}>
            <option value="none">none (default, no network)</option>
            <option value="egress">allow-list (only the hosts below, through MCP Dock&apos;s proxy)</option>
            <option value="bridge">bridge (relaxed: internet access)</option>
            <option value="host">host (relaxed: host network)</option>
          </select>
        </label>
        {network === 'egress' && (
          <label className="wide">
            Allowed hosts (one per line: host, host:port or *.suffix; without a port, 80 and 443)
            <textarea
              value={egressText}
              onChange={(e) => setEgressText(e.target.value)}
              rows={3}
              placeholder={'context7.com\nregistry.npmjs.org'}
            />
          </label>
        )}
        <label className="wide">
          Environment (KEY=value per line; not secret)
          <textarea value={envText} onChange={(e) => setEnvText(e.target.value)} rows={3} />
        </label>
        <label className="wide">
          Secrets (names, comma-separated; stored encrypted, injected at start)
          <input
            value={secretNames}
            onChange={(e) => setSecretNames(e.target.value)}
            placeholder="CONTEXT7_API_KEY"
          />
        </label>
        {secrets.map((secret) => (
          <label key={secret} className="wide">
            {secret} value
            {(initial?.secrets ?? []).includes(secret) ? ' (leave empty to keep the stored one)' : ''}
            <input
              type="password"
              autoComplete="off"
              value={secretValues[secret] ?? ''}
              onChange={(e) => setSecretValues({ ...secretValues, [secret]: e.target.value })}
            />
          </label>
        ))}
        <label>
          Run as (user)
          <input
            value={user}
            onChange={(e) => setUser(e.target.value)}
            placeholder="image’s non-root user, else 65534:65534"
            title="uid[:gid] or name[:group]; root only if the image cannot run otherwise"
          />
        </label>
        <label>
          Memory (MB)
          <input type="number" min={16} value={memoryMb} onChange={(e) => setMemoryMb(e.target.value)} />
        </label>
        <label>
          CPUs
          <input
            type="number"
            min={0.05}
            step={0.05}
            value={cpus}
            onChange={(e) => setCpus(e.target.value)}
          />
        </label>
        <label>
          Processes (pids)
          <input type="number" min={8} value={pids} onChange={(e) => setPids(e.target.value)} />
        </label>
        <fieldset className="wide">
          <legend>Relaxations of the hardened defaults</legend>
          <label className="check">
            <input
              type="checkbox"
              checked={writableRootfs}
              onChange={(e) => setWritableRootfs(e.target.checked)}
            />{' '}
            Writable root filesystem
          </label>
          <label className="check">
            <input
              type="checkbox"
              checked={allowEscalation}
              onChange={(e) => setAllowEscalation(e.target.checked)}
            />{' '}
            Allow privilege escalation (setuid)
          </label>
          <label className="check">
            <input type="checkbox" checked={tmpExec} onChange={(e) => setTmpExec(e.target.checked)} /> Allow
            programs in /tmp (for npx, uvx: they run what they download there)
          </label>
        </fieldset>
      </div>
      <ErrorNote message={error} />
      <div className="button-row">
        <button type="submit" disabled={saving}>
          {saving ? 'Saving…' : initial ? 'Save changes' : 'Add server'}
        </button>
        <button type="button" className="secondary" onClick={onDone}>
          Cancel
        </button>
      </div>
      {initial && <p className="small muted">Changes apply the next time the server starts (Restart).</p>}
    </form>
  );
}
