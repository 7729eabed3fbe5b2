import type { PiiFinding } from '../../../../../shared/pii';

// Sorts findings by start and keeps one of any two that overlap: the higher score, then the
// longer span, then the earlier one. Sorts in place.
export function resolveOverlaps(findings: PiiFinding[]): PiiFinding[] {
  findings.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: PiiFinding[] = [];
  for (const finding of findings) {
    const last = kept[kept.length - 1];
    if (last === undefined || finding.start >= last.end) {
      kept.push(finding);
    } else if (
      finding.score > last.score ||
      (finding.score === last.score && finding.end - finding.start > last.end - last.start)
    ) {
      kept[kept.length - 1] = finding;
    }
  }
  return kept;
}
