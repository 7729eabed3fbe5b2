import type { Summary } from './stats';

// What a section hands back: table rows for RESULTS.md, the raw numbers for results.json, and
// detail tables that explain the rows.

export type Verdict = 'met' | 'missed' | 'n/a';

export interface MetricRow {
  id: string;
  metric: string;
  unit: string;
  // Higher or lower is better: decides how the ratio reads.
  better: 'higher' | 'lower';
  ours: Summary | null;
  peer: { name: string; value: Summary | null; why?: string } | null;
  // ours / peer (medians), when both exist.
  ratio: number | null;
  target: string;
  verdict: Verdict;
  // Why a target was missed and what would close it, or how to read the row.
  note?: string;
}

export interface SectionResult {
  section: string;
  title: string;
  startedAt: string;
  durationS: number;
  metrics: MetricRow[];
  // Markdown paragraphs and tables for the section's part of RESULTS.md.
  details: string[];
  raw: Record<string, unknown>;
  error?: string;
  // What else the machine was doing just before the section started (set by main.ts).
  background?: { busyPct: number; load1: number };
}

export function ratioOf(ours: Summary | null, peer: Summary | null): number | null {
  if (!ours || !peer || !Number.isFinite(ours.median) || !Number.isFinite(peer.median) || peer.median === 0)
    return null;
  return ours.median / peer.median;
}

// A row whose verdict comes from comparing our median with a bound.
export function row(
  fields: Omit<MetricRow, 'ratio' | 'verdict'> & { pass: boolean | null; missedNote?: string },
): MetricRow {
  const { pass, missedNote, ...rest } = fields;
  const verdict: Verdict = pass === null ? 'n/a' : pass ? 'met' : 'missed';
  const note = verdict === 'missed' && missedNote ? missedNote : rest.note;
  return {
    ...rest,
    ratio: ratioOf(rest.ours, rest.peer?.value ?? null),
    verdict,
    ...(note ? { note } : {}),
  };
}
