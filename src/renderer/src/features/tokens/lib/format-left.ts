// "5 min 3 s left", "42 s left", "expired": how long until `expiresAt`, which is in seconds since
// the epoch as a JWT's `exp` is; `nowMs` comes from useNow.
export function formatLeft(expiresAt: number, nowMs: number): string {
  const seconds = expiresAt - Math.floor(nowMs / 1000);
  if (seconds <= 0) return 'expired';
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return m > 0 ? `${m} min ${s} s left` : `${s} s left`;
}
