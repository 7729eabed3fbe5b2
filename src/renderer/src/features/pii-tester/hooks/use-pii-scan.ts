import { useEffect, useState } from 'react';
import type { PiiScanView } from '../../../../../shared/security';
import { describeError } from '../../../common/describe-error';
import { scanText } from '../lib/pii-tester-actions';

export const SCAN_DEBOUNCE_MS = 200;

export interface ScanState {
  // The text and threshold the result belongs to: offsets mean nothing against any other text.
  text: string;
  threshold: number | undefined;
  result: PiiScanView | null;
  error: string | null;
}

// Scans as the user types, once they pause for SCAN_DEBOUNCE_MS; an answer for text that has
// since changed is dropped. `rescan` forces a new scan of the same text (after patterns change).
export function usePiiScan(
  text: string,
  threshold: number | undefined,
  rescan: number,
): { scanned: ScanState | null; scanning: boolean } {
  const [scanned, setScanned] = useState<ScanState | null>(null);
  const [done, setDone] = useState<string>('');
  const key = `${rescan}\u0000${threshold ?? ''}\u0000${text}`;
  useEffect(() => {
    if (!text) return;
    let live = true;
    const timer = setTimeout(() => {
      const input = threshold === undefined ? { text } : { text, threshold };
      scanText(input).then(
        (result) => {
          if (!live) return;
          setScanned({ text, threshold, result, error: null });
          setDone(key);
        },
        (error: unknown) => {
          if (!live) return;
          setScanned({ text, threshold, result: null, error: describeError(error) });
          setDone(key);
        },
      );
    }, SCAN_DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [text, threshold, rescan, key]);
  if (!text) return { scanned: null, scanning: false };
  return { scanned, scanning: done !== key };
}
