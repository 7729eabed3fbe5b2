// Calls per minute per server, for the Gateway pane: timestamps of the last minute's calls.
export interface CallStats {
  record(server: string): void;
  perMinute(server?: string): number;
}

export function createCallStats(now: () => number = Date.now): CallStats {
  const calls = new Map<string, number[]>();
  const recent = (list: number[]) => {
    const cutoff = now() - 60_000;
    while (list.length > 0 && list[0]! < cutoff) list.shift();
    return list;
  };
  return {
    record(server) {
      const list = calls.get(server) ?? [];
      list.push(now());
      calls.set(server, recent(list));
    },
    perMinute(server) {
      if (server !== undefined) return recent(calls.get(server) ?? []).length;
      let total = 0;
      for (const list of calls.values()) total += recent(list).length;
      return total;
    },
  };
}
