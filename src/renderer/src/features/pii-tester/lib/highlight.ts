import type { PiiScanView } from '../../../../../shared/security';

export type Finding = PiiScanView['findings'][number];

export interface Segment {
  text: string;
  start: number;
  finding?: Finding;
}

// The scanned text cut at the findings' offsets. Offsets are UTF-16 code units, as String.slice
// counts them; findings out of range or overlapping an earlier one are left unmarked rather
// than drawn wrong.
export function highlightSegments(text: string, findings: readonly Finding[]): Segment[] {
  const sorted = [...findings].sort((a, b) => a.start - b.start || b.end - a.end);
  const segments: Segment[] = [];
  let at = 0;
  for (const finding of sorted) {
    if (finding.start < at || finding.end <= finding.start || finding.end > text.length) continue;
    if (finding.start > at) segments.push({ text: text.slice(at, finding.start), start: at });
    segments.push({ text: text.slice(finding.start, finding.end), start: finding.start, finding });
    at = finding.end;
  }
  if (at < text.length) segments.push({ text: text.slice(at), start: at });
  return segments;
}

export function findingLabel(finding: Finding): string {
  return `${finding.type} ${finding.score.toFixed(2)}`;
}
