import type { Summary } from './stats';

// Numbers for people: three significant digits, thousands separated.
export function num(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString('en-US');
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  if (abs === 0) return '0';
  return value.toPrecision(3);
}

// "median (min–max, n=5)"
export function spread(s: Summary | null | undefined, unit = ''): string {
  if (!s || !Number.isFinite(s.median)) return '—';
  const u = unit ? ` ${unit}` : '';
  if (s.n <= 1) return `${num(s.median)}${u}`;
  return `${num(s.median)}${u} (${num(s.min)}–${num(s.max)}, n=${s.n})`;
}

export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

export const mb = (bytes: number) => bytes / 1e6;
