import { describe, expect, it } from 'vitest';
import { gatewaySettingsSchema } from '../../../shared/gateway';
import { alwaysAllowed, resolveCallPolicy } from './call-policy';

const settings = (input: Record<string, unknown> = {}) => gatewaySettingsSchema.parse(input);
const destructive = { destructiveHint: true };

describe('resolveCallPolicy', () => {
  it('asks for a tool that says it is destructive and not read-only, and allows the rest', () => {
    expect(resolveCallPolicy(settings(), 's', 'rm', destructive)).toEqual({
      policy: 'ask',
      source: 'annotations',
    });
    expect(resolveCallPolicy(settings(), 's', 'rm', { ...destructive, readOnlyHint: true })).toEqual({
      policy: 'allow',
      source: 'default',
    });
    expect(resolveCallPolicy(settings(), 's', 'ls', undefined)).toEqual({
      policy: 'allow',
      source: 'default',
    });
    // The default for destructive tools is a setting.
    expect(
      resolveCallPolicy(settings({ destructiveToolPolicy: 'deny' }), 's', 'rm', destructive).policy,
    ).toBe('deny');
  });

  it('takes the tool’s own setting over its server’s, and either over the annotations', () => {
    const s = settings({ callPolicies: { s: { default: 'deny', tools: { rm: 'allow' } } } });
    expect(resolveCallPolicy(s, 's', 'rm', destructive)).toEqual({ policy: 'allow', source: 'tool' });
    expect(resolveCallPolicy(s, 's', 'ls', undefined)).toEqual({ policy: 'deny', source: 'server' });
    expect(resolveCallPolicy(s, 'other', 'ls', undefined).policy).toBe('allow');
  });

  it('knows the tools a person always allows for a client', () => {
    const s = settings({ alwaysAllowed: { cursor: ['s/rm'] } });
    expect(alwaysAllowed(s, 'cursor', 's', 'rm')).toBe(true);
    expect(alwaysAllowed(s, 'other', 's', 'rm')).toBe(false);
    expect(alwaysAllowed(s, 'cursor', 's', 'ls')).toBe(false);
  });
});
