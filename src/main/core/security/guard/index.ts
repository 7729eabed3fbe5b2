// The guard: one low-level check per call (scope, PII policy, audit before and after), used by
// secureTool for our own tools and by the gateway for every upstream call.
export { guardCall } from './guard-call';
export { recordRefusal } from './record-refusal';
export {
  CallDeniedError,
  CallNotAuditedError,
  InsufficientScopeError,
  PiiRejectedError,
} from './guard-errors';
export type {
  Caller,
  GateRefusal,
  GuardedCall,
  GuardOutcome,
  GuardRefusal,
  GuardRules,
  ScopeRequirement,
  SecurityServices,
} from './types';
