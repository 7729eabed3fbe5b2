import type { Finding } from '../lib/highlight';

// Each finding with the text it covers, cut from the user's own text here in the renderer.
export function FindingsTable({ text, findings }: { text: string; findings: readonly Finding[] }) {
  if (findings.length === 0) return <p className="muted">No PII found at this threshold.</p>;
  return (
    <table className="table" aria-label="Findings">
      <thead>
        <tr>
          <th>Type</th>
          <th>Text</th>
          <th>Offsets</th>
          <th>Score</th>
        </tr>
      </thead>
      <tbody>
        {findings.map((f) => (
          <tr key={`${f.start}:${f.end}:${f.type}`}>
            <td>{f.type}</td>
            <td className="mono">{text.slice(f.start, f.end)}</td>
            <td className="mono">
              {f.start}–{f.end}
            </td>
            <td>{f.score.toFixed(2)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
