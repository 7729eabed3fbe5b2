import { describe, expect, it } from 'vitest';
import { serverSpecSchema } from '../../../../shared/servers';
import { withPermissionHint } from './permission-hint';

const spec = serverSpecSchema.parse({ name: 'srv', image: 'img', command: ['x'] });

describe('permission hint', () => {
  it('leaves a reason alone unless a permission was denied', () => {
    expect(withPermissionHint(spec, 'exit code 1', ['no such file'])).toBe('exit code 1');
  });

  it('names the switches that would change a denial: the user and /tmp', () => {
    const reason = withPermissionHint(spec, 'exit code 1', ['EACCES: permission denied, mkdir /tmp/x']);
    expect(reason).toMatch(/^exit code 1\. Permission was denied: /);
    expect(reason).toContain('"Run as"');
    expect(reason).toContain('/tmp is mounted noexec');
  });

  it('does not suggest what the spec already relaxed', () => {
    const relaxed = serverSpecSchema.parse({ ...spec, user: 'root', relax: { tmpExec: true } });
    expect(withPermissionHint(relaxed, 'Operation not permitted', [])).toBe('Operation not permitted');
  });
});
