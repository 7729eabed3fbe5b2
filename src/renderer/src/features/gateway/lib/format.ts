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
