import { useEffect, useState } from 'react';

// Milliseconds since the epoch, refreshed every `everyMs`: for "last seen … ago".
export function useNow(everyMs = 10_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
