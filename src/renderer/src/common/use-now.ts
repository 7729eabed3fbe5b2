import { useEffect, useState } from 'react';

// Milliseconds since the epoch, refreshed every `everyMs`: "last seen … ago" needs it every ten
// seconds, an expiry countdown every second.
export function useNow(everyMs = 10_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
