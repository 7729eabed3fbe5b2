import { useEffect, useState } from 'react';
import { ErrorNote } from '../../../common/ErrorNote';
import { usePiiScan } from '../hooks/use-pii-scan';
import { loadSecurityConfig } from '../lib/pii-tester-actions';
import { describeError } from '../../../common/describe-error';
import { FindingsTable } from './FindingsTable';
import { HighlightedText } from './HighlightedText';
import { PatternEditor } from './PatternEditor';
import { PolicyOutcomes } from './PolicyOutcomes';

const DEFAULT_THRESHOLD = 0.5;

// Type or paste text: findings are marked inline and listed, and each policy's outcome is shown
// side by side. Nothing here is stored; the text goes to core only to be scanned.
export function PiiTesterPane() {
  const [text, setText] = useState('');
  // Undefined: the configured threshold applies (core's default for a scan without one).
  const [threshold, setThreshold] = useState<number | undefined>(undefined);
  const [configured, setConfigured] = useState<number | null>(null);
  const [configError, setConfigError] = useState<string | null>(null);
  const [rescan, setRescan] = useState(0);
  const { scanned, scanning } = usePiiScan(text, threshold, rescan);

  useEffect(() => {
    let live = true;
    loadSecurityConfig().then(
      (config) => live && setConfigured(config.threshold),
      (e: unknown) => live && setConfigError(describeError(e)),
    );
    return () => {
      live = false;
    };
  }, []);

  const shownThreshold = threshold ?? configured ?? DEFAULT_THRESHOLD;
  const result = scanned?.result ?? null;
  const findings = result?.findings ?? [];

  return (
    <div className="pane pii-pane">
      <header className="pane-header">
        <h1>PII Tester</h1>
      </header>
      <ErrorNote message={configError} />
      <section className="panel-section" aria-labelledby="scan-title">
        <h2 id="scan-title">Scan</h2>
        <textarea
          aria-label="Text to scan"
          className="wide-input"
          rows={5}
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder="고객 정보: 홍길동님 (hong@example.com, 010-1234-5678)"
        />
        <div className="inline-form threshold">
          <label>
            Threshold
            <input
              type="range"
              min={0}
              max={1}
              step={0.05}
              value={shownThreshold}
              onChange={(e) => setThreshold(Number(e.target.value))}
            />
          </label>
          <span className="mono">{shownThreshold.toFixed(2)}</span>
          <span className="muted small">{threshold === undefined ? '(configured)' : '(this test only)'}</span>
          {threshold !== undefined && (
            <button type="button" className="link-button" onClick={() => setThreshold(undefined)}>
              Use configured
            </button>
          )}
        </div>
        <p className="muted small" role="status" aria-label="Scan status">
          {!text
            ? 'Type or paste text to scan it.'
            : scanning
              ? 'Scanning…'
              : result
                ? `${findings.length} ${findings.length === 1 ? 'finding' : 'findings'} · ${result.elapsedMs.toFixed(1)} ms${result.timedOut ? ' · the scan hit its time bound: findings may be incomplete' : ''}`
                : ''}
        </p>
        <ErrorNote message={text ? scanned?.error : null} />
        {scanned && result && (
          <div className={scanning ? 'pii-results stale' : 'pii-results'}>
            <HighlightedText text={scanned.text} findings={findings} />
            <FindingsTable text={scanned.text} findings={findings} />
          </div>
        )}
      </section>
      {scanned && result && (
        <section className="panel-section" aria-labelledby="outcomes-title">
          <h2 id="outcomes-title">Outcome under each policy</h2>
          <PolicyOutcomes outcomes={result.outcomes} />
        </section>
      )}
      <PatternEditor onSaved={() => setRescan((n) => n + 1)} />
    </div>
  );
}
