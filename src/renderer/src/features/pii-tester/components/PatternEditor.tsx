import { useEffect, useState } from 'react';
import { ErrorNote } from '../../../common/ErrorNote';
import { describeError } from '../../../common/describe-error';
import { listPatterns } from '../lib/pattern-file';
import { checkPattern, loadPatterns, savePatterns } from '../lib/pii-tester-actions';

interface CheckResult {
  name: string;
  safe: boolean;
  reason?: string;
}

// The user's pii_patterns.json: edit it, check each regular expression for catastrophic
// backtracking (core's checker), and save. Core refuses unsafe or malformed files, and the
// scanner in use stays as it was until a save succeeds.
export function PatternEditor({ onSaved }: { onSaved: () => void }) {
  const [text, setText] = useState('');
  const [file, setFile] = useState<string | null>(null);
  const [count, setCount] = useState<number | null>(null);
  const [checks, setChecks] = useState<CheckResult[] | null>(null);
  const [busy, setBusy] = useState<'check' | 'save' | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    loadPatterns().then(
      (view) => {
        if (!live) return;
        setText(view.text);
        setFile(view.file);
        setCount(view.count);
      },
      (e: unknown) => live && setError(describeError(e)),
    );
    return () => {
      live = false;
    };
  }, []);

  const check = async () => {
    setBusy('check');
    setSaved(null);
    try {
      const patterns = listPatterns(text);
      const results = await Promise.all(
        patterns.map(async ({ name, pattern, flags }): Promise<CheckResult> => {
          try {
            const verdict = await checkPattern(flags === undefined ? { pattern } : { pattern, flags });
            return verdict.reason === undefined
              ? { name, safe: verdict.safe }
              : { name, safe: verdict.safe, reason: verdict.reason };
          } catch (e) {
            return { name, safe: false, reason: describeError(e) };
          }
        }),
      );
      setChecks(results);
      setError(null);
    } catch (e) {
      setChecks(null);
      setError(describeError(e));
    } finally {
      setBusy(null);
    }
  };

  const save = async () => {
    setBusy('save');
    setSaved(null);
    try {
      const view = await savePatterns({ text });
      setText(view.text);
      setFile(view.file);
      setCount(view.count);
      setSaved(`Saved ${view.count} ${view.count === 1 ? 'pattern' : 'patterns'} to ${view.file}`);
      setError(null);
      onSaved();
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(null);
    }
  };

  return (
    <section className="panel-section" aria-labelledby="patterns-title">
      <h2 id="patterns-title">Custom patterns</h2>
      <p className="muted small">
        {file ? (
          <>
            <code>{file}</code> · {count ?? 0} {count === 1 ? 'pattern' : 'patterns'} in use
          </>
        ) : (
          'Loading…'
        )}
      </p>
      <textarea
        aria-label="Pattern file (JSON)"
        className="wide-input"
        rows={10}
        spellCheck={false}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setChecks(null);
          setSaved(null);
        }}
      />
      <div className="button-row">
        <button
          type="button"
          className="secondary"
          disabled={busy !== null || !text.trim()}
          onClick={() => void check()}
        >
          Check
        </button>
        <button type="button" disabled={busy !== null || !text.trim()} onClick={() => void save()}>
          Save patterns
        </button>
      </div>
      <ErrorNote message={error} />
      {saved && (
        <p role="status" className="verdict ok">
          {saved}
        </p>
      )}
      {checks && (
        <ul className="pattern-checks" aria-label="Pattern check">
          {checks.length === 0 && <li className="muted">The file lists no patterns.</li>}
          {checks.map((c) => (
            <li key={c.name} className={c.safe ? 'verdict ok' : 'verdict bad'}>
              <code>{c.name}</code>: {c.safe ? 'safe' : `unsafe${c.reason ? ` (${c.reason})` : ''}`}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
