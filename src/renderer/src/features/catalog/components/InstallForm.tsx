import { useState, type FormEvent } from 'react';
import type { CatalogEntry } from '../../../../../shared/registry';
import { ErrorNote } from '../../../common/ErrorNote';
import { installEntry } from '../lib/catalog-actions';

const KIND_LABELS = {
  npm: 'npm package (npx in a Node container, reaches only the npm registry)',
  pypi: 'PyPI package (uvx in a Python container, reaches only PyPI)',
  oci: 'container image (no network)',
  remote: 'remote endpoint (through the gateway)',
} as const;

// The entry's options and the values the chosen one asks for; secret values are password fields
// and go to the secret store.
export function InstallForm({ entry, onDone }: { entry: CatalogEntry; onDone: () => void }) {
  const usable = entry.options
    .map((option, index) => ({ option, index }))
    .filter(({ option }) => !option.unsupported);
  const [choice, setChoice] = useState(usable[0]?.index ?? 0);
  const [name, setName] = useState(entry.suggestedName);
  const [values, setValues] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | undefined>();
  const [saving, setSaving] = useState(false);
  const option = entry.options[choice];

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!option) return;
    setSaving(true);
    const given = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== ''));
    const failed = await installEntry(entry.name, { as: name.trim(), kind: option.kind, values: given });
    setSaving(false);
    if (failed) setError(failed);
    else onDone();
  };

  if (usable.length === 0)
    return (
      <div className="callout callout-warning" role="status">
        Nothing this entry offers runs here:{' '}
        {entry.options.map((o) => o.unsupported).join('; ') || 'it lists no package or remote'}.
      </div>
    );

  return (
    <form className="server-form" aria-label={`Install ${entry.name}`} onSubmit={(e) => void submit(e)}>
      <div className="form-grid">
        <label>
          Name here
          <input value={name} onChange={(e) => setName(e.target.value)} required />
        </label>
        <label className="wide">
          Install as
          <select value={choice} onChange={(e) => setChoice(Number(e.target.value))}>
            {usable.map(({ option: o, index }) => (
              <option key={index} value={index}>
                {KIND_LABELS[o.kind]}: {o.target}
              </option>
            ))}
          </select>
        </label>
        {option?.inputs.map((input) => (
          <label key={input.name} className="wide">
            {input.name}
            {input.required ? ' (required)' : ''}
            {input.secret ? ' (secret, stored encrypted)' : ''}
            {input.description ? `: ${input.description}` : ''}
            {input.choices ? (
              <select
                value={values[input.name] ?? input.default ?? ''}
                onChange={(e) => setValues({ ...values, [input.name]: e.target.value })}
              >
                {input.choices.map((c) => (
                  <option key={c}>{c}</option>
                ))}
              </select>
            ) : (
              <input
                type={input.secret ? 'password' : 'text'}
                autoComplete="off"
                required={input.required}
                placeholder={input.default ?? ''}
                value={values[input.name] ?? ''}
                onChange={(e) => setValues({ ...values, [input.name]: e.target.value })}
              />
            )}
          </label>
        ))}
      </div>
      <ErrorNote message={error} />
      <div className="button-row">
        <button type="submit" disabled={saving}>
          {saving ? 'Installing…' : 'Install'}
        </button>
        <button type="button" className="secondary" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
