import { AUDIT_GENESIS_HASH } from '../../../../../shared/audit';
import type { Seal } from './seal-format';

export type SealComparison =
  { state: 'sealed'; after: number } | { state: 'truncated' | 'rechained' | 'unchecked'; reason: string };

export interface LogEnd {
  // The newest record that checked out (0 for none).
  lastSeq: number;
  // The hash of the record at the seal's seq, if the log holds it.
  hashAtSeal: string | undefined;
  // false: the chain broke before its end, so records past the break were not looked at.
  complete: boolean;
}

const range = (from: number, to: number) =>
  from === to ? `record ${from} is missing` : `records ${from} to ${to} are missing`;

// Whether the log still ends where it was sealed, or past it. Shared by the writer (which will
// not add to a log that fails this) and `verify`.
export function compareSeal(seal: Seal, end: LogEnd): SealComparison {
  const hash = seal.seq === 0 ? AUDIT_GENESIS_HASH : end.hashAtSeal;
  if (hash !== undefined) {
    if (hash === seal.hash) return { state: 'sealed', after: end.lastSeq - seal.seq };
    return {
      state: 'rechained',
      reason: `record ${seal.seq} is not the record that was sealed: records up to it were altered and their hashes recomputed`,
    };
  }
  if (!end.complete)
    return {
      state: 'unchecked',
      reason: `the chain breaks before the sealed record (seq ${seal.seq}), so the seal could not be compared`,
    };
  if (seal.seq > end.lastSeq)
    return {
      state: 'truncated',
      reason: `${range(end.lastSeq + 1, seal.seq)} from the end: the log was sealed at seq ${seal.seq}, and ends at seq ${end.lastSeq}`,
    };
  return { state: 'rechained', reason: `record ${seal.seq}, which was sealed, is not in the log` };
}
