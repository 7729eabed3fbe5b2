// Upstream tool names as clients see them: <server><separator><tool>.
export function namespaced(server: string, tool: string, separator: string): string {
  return `${server}${separator}${tool}`;
}

// Server names may themselves hold "_", "." or "-", so a name is split against the servers that
// exist, longest first, rather than at the first separator.
export function splitNamespaced(
  name: string,
  separator: string,
  servers: Iterable<string>,
): { server: string; tool: string } | undefined {
  const candidates = [...servers].sort((a, b) => b.length - a.length);
  for (const server of candidates) {
    const prefix = `${server}${separator}`;
    if (name.startsWith(prefix) && name.length > prefix.length)
      return { server, tool: name.slice(prefix.length) };
  }
  return undefined;
}
