// oidc-provider prints, once, as it is loaded, that any Node.js before 22 LTS is unsupported.
// MCP Dock supports Node.js 20.19 and newer (package.json `engines`; CI runs on 20), so there
// that line only alarms: every command prints it, `gateway --stdio` included, whose stderr
// Claude Desktop shows as the server's errors. This drops exactly that one line, once, on the
// versions we support; on older ones it stays, and every other warning always gets through.
const RUNTIME_WARNING = 'oidc-provider WARNING: Unsupported runtime.';
const SUPPORTED_FROM = [20, 19] as const;

export function isSupportedNode(version: string): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major > SUPPORTED_FROM[0] || (major === SUPPORTED_FROM[0] && minor >= SUPPORTED_FROM[1]);
}

// Where stderr is a terminal, oidc-provider colours the line.
const withoutColour = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, ''); // eslint-disable-line no-control-regex

const quieted = new WeakSet<object>();

export function quietOidcRuntimeWarning(
  target: Pick<Console, 'warn'> = console,
  nodeVersion: string = process.versions.node,
): void {
  // oidc-provider is loaded once per process, so one filter is enough however often commands run.
  if (!isSupportedNode(nodeVersion) || quieted.has(target)) return;
  quieted.add(target);
  const original = target.warn;
  const filtered: Console['warn'] = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && withoutColour(args[0]).startsWith(RUNTIME_WARNING)) {
      if (target.warn === filtered) target.warn = original;
      return;
    }
    original.apply(target, args);
  };
  target.warn = filtered;
}
