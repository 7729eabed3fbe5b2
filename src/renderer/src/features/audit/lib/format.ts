import type { AuditEvent } from '../../../../../shared/audit';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

// Local time with milliseconds: events a few ms apart must still read apart.
export function formatAuditTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`
  );
}

export function formatDuration(ms: number | undefined): string {
  if (ms === undefined) return '—';
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

// ["EMAIL_ADDRESS×1", "PHONE_NUMBER×2"]: entity types and counts, never values (the log has none).
export function piiTypeLabels(event: AuditEvent): string[] {
  return Object.entries(event.pii_types ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([type, n]) => `${type}×${n}`);
}

export function shortHash(hash: string): string {
  return hash.slice(0, 12);
}
