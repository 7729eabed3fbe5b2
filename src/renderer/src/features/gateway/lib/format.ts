// "just now", "42 s ago", "5 min ago", "3 h ago", "2 d ago": how long since a client was last heard.
export function formatAgo(iso: string, nowMs: number): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return iso;
  const seconds = Math.max(0, Math.floor((nowMs - then) / 1000));
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} d ago`;
}

// Session ids are long random strings; the first eight tell them apart on screen.
export function shortId(id: string): string {
  return id.length > 8 ? `${id.slice(0, 8)}…` : id;
}

// Calls per minute, to one decimal below ten.
export function formatRate(perMinute: number): string {
  const value = perMinute < 10 ? Math.round(perMinute * 10) / 10 : Math.round(perMinute);
  return `${value.toLocaleString('en-US')} ${value === 1 ? 'call' : 'calls'}/min`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}
