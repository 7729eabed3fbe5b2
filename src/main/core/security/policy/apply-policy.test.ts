import { describe, expect, it } from 'vitest';
import { piiPolicySchema, type PiiPolicyInput } from '../../../../shared/security';
import { Fernet, generateFernetKey } from '../fernet';
import { applyPolicyToText, applyPolicyToValue, type PolicyContext, type TextScanner } from './apply-policy';
import { resolvePolicy } from './resolve-policy';
import { securityConfigSchema } from '../../../../shared/security';

// A scanner that knows two fixed types, so these tests are about policies, not detection.
const fakeScanner = (timedOut = false): TextScanner => ({
  scan(text) {
    const findings = [];
    for (const m of text.matchAll(/[a-z]+@example\.com/g))
      findings.push({ type: 'EMAIL_ADDRESS', start: m.index, end: m.index + m[0].length, score: 0.9 });
    for (const m of text.matchAll(/010-\d{4}-\d{4}/g))
      findings.push({ type: 'PHONE_NUMBER', start: m.index, end: m.index + m[0].length, score: 0.8 });
    return { findings: findings.sort((a, b) => a.start - b.start), timedOut };
  },
});

const key = generateFernetKey();
const ctx = (over: Partial<PolicyContext> = {}): PolicyContext => ({
  scanner: fakeScanner(),
  fernet: () => new Fernet(key),
  threshold: 0.5,
  timeBudgetMs: 100,
  ...over,
});
const policy = (input: PiiPolicyInput) => piiPolicySchema.parse(input);
const TEXT = '고객 정보: 홍길동님 (hong@example.com, 010-1234-5678)';

describe('applyPolicyToText', () => {
  it('masks each finding with asterisks of the same length', () => {
    const out = applyPolicyToText(TEXT, policy({ action: 'mask' }), ctx());
    expect(out).toEqual({
      action: 'masked',
      piiTypes: { EMAIL_ADDRESS: 1, PHONE_NUMBER: 1 },
      text: '고객 정보: 홍길동님 (****************, *************)',
    });
    expect(out.text).toHaveLength(TEXT.length);
  });

  it('masks with typed placeholders when asked', () => {
    expect(applyPolicyToText(TEXT, policy({ action: 'mask', maskStyle: 'placeholder' }), ctx()).text).toBe(
      '고객 정보: 홍길동님 (<EMAIL_ADDRESS>, <PHONE_NUMBER>)',
    );
  });

  it('redacts each finding with a fixed marker', () => {
    expect(applyPolicyToText(TEXT, policy({ action: 'redact' }), ctx()).text).toBe(
      '고객 정보: 홍길동님 ([REDACTED], [REDACTED])',
    );
  });

  it('encrypts the whole value with Fernet, and it decrypts back', () => {
    const out = applyPolicyToText(TEXT, policy({ action: 'encrypt' }), ctx());
    expect(out.action).toBe('encrypted');
    expect(new Fernet(key).decrypt(out.text!).toString('utf8')).toBe(TEXT);
  });

  it('rejects naming the types and never the values', () => {
    const out = applyPolicyToText(TEXT, policy({ action: 'reject' }), ctx());
    expect(out).toEqual({
      action: 'rejected',
      piiTypes: { EMAIL_ADDRESS: 1, PHONE_NUMBER: 1 },
      message: 'Refused: the data contains PII (EMAIL_ADDRESS ×1, PHONE_NUMBER ×1) and the policy rejects it',
    });
    expect(JSON.stringify(out)).not.toContain('hong@');
  });

  it('lets per-entity actions beat the policy default, strictest first', () => {
    const masked = applyPolicyToText(
      TEXT,
      policy({ action: 'allow', entities: { PHONE_NUMBER: 'mask' } }),
      ctx(),
    );
    expect(masked.text).toBe('고객 정보: 홍길동님 (hong@example.com, *************)');
    const rejected = applyPolicyToText(
      TEXT,
      policy({ action: 'mask', entities: { EMAIL_ADDRESS: 'reject' } }),
      ctx(),
    );
    expect(rejected.action).toBe('rejected');
  });

  it('leaves text without PII alone under every policy', () => {
    for (const action of ['allow', 'mask', 'redact', 'encrypt', 'reject'] as const)
      expect(applyPolicyToText('nothing here', policy({ action }), ctx())).toEqual({
        action: 'allowed',
        piiTypes: {},
        text: 'nothing here',
      });
  });

  it('fails closed on a scan timeout when the policy can reject, and says so', () => {
    const out = applyPolicyToText(
      'anything',
      policy({ action: 'reject' }),
      ctx({ scanner: fakeScanner(true) }),
    );
    expect(out.action).toBe('rejected');
    expect(out.message).toMatch(/did not finish within its time bound/);
    const passed = applyPolicyToText(
      'anything',
      policy({ action: 'mask' }),
      ctx({ scanner: fakeScanner(true) }),
    );
    expect(passed).toMatchObject({ action: 'allowed', timedOut: true });
  });

  it('raises allow and mask to encrypt when encryption is required', () => {
    const out = applyPolicyToText(TEXT, policy({ action: 'allow' }), ctx({ requireEncryption: true }));
    expect(out.action).toBe('encrypted');
  });
});

describe('applyPolicyToValue', () => {
  it('walks JSON, rewriting strings and keeping keys, numbers and shape', () => {
    const value = { note: TEXT, nested: [{ mail: 'kim@example.com', n: 3 }], flag: true, key_hong: null };
    const out = applyPolicyToValue(value, policy({ action: 'redact' }), ctx());
    expect(out).toEqual({
      action: 'redacted',
      piiTypes: { EMAIL_ADDRESS: 2, PHONE_NUMBER: 1 },
      value: {
        note: '고객 정보: 홍길동님 ([REDACTED], [REDACTED])',
        nested: [{ mail: '[REDACTED]', n: 3 }],
        flag: true,
        key_hong: null,
      },
    });
  });

  it('rejects the whole value when any string is rejected', () => {
    const out = applyPolicyToValue(
      { a: 'fine', b: ['x', 'lee@example.com'] },
      policy({ action: 'reject' }),
      ctx(),
    );
    expect(out).toEqual({
      action: 'rejected',
      piiTypes: { EMAIL_ADDRESS: 1 },
      message: 'Refused: the data contains PII (EMAIL_ADDRESS ×1) and the policy rejects it',
    });
  });
});

describe('resolvePolicy', () => {
  it('prefers the tool, then the server, then the default', () => {
    const config = securityConfigSchema.parse({
      default: { action: 'mask' },
      servers: {
        files: { policy: { action: 'encrypt' }, tools: { read: { action: 'reject' } } },
        other: { tools: { x: { action: 'allow' } } },
      },
    });
    expect(resolvePolicy(config, 'files', 'read').action).toBe('reject');
    expect(resolvePolicy(config, 'files', 'write').action).toBe('encrypt');
    expect(resolvePolicy(config, 'other', 'y').action).toBe('mask');
    expect(resolvePolicy(config, undefined).action).toBe('mask');
  });
});
