import type { ServerSpec } from '../../../../shared/servers';

// "Permission denied" from a server usually means the non-root user or the noexec /tmp: say
// which switch would change that, so the fix is not a guess.
export function withPermissionHint(spec: ServerSpec, reason: string, lines: string[]): string {
  if (!/permission denied|EACCES|EPERM|operation not permitted/i.test([reason, ...lines].join('\n')))
    return reason;
  const hints: string[] = [];
  if (!spec.user)
    hints.push(
      'it runs as a non-root user (the image’s own, else 65534:65534); if it needs another, set "Run as" in its settings (root only if it must)',
    );
  if (!spec.relax.tmpExec)
    hints.push(
      '/tmp is mounted noexec; if it runs programs it downloads there (npx, uvx), allow programs in /tmp',
    );
  return hints.length > 0 ? `${reason}. Permission was denied: ${hints.join('; ')}` : reason;
}
