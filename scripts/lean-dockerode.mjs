import { fileURLToPath } from 'node:url';

const shim = (name) => fileURLToPath(new URL(`./bundle-shims/${name}`, import.meta.url));

// Bundles dockerode and docker-modem with a few of their modules swapped for the shims beside this
// file, so that a CLI command (which Claude Desktop may start for every session) does not load
// gRPC, protobuf and ssh2 it never uses. Only these exact imports are swapped.
export function leanDockerode() {
  const swaps = [
    { from: '/dockerode/lib/docker.js', source: './session', to: shim('dockerode-no-session.cjs') },
    { from: '/dockerode/lib/docker.js', source: './buildkit', to: shim('dockerode-no-buildkit.cjs') },
    { from: '/docker-modem/lib/modem.js', source: './ssh', to: shim('docker-modem-lazy-ssh.cjs') },
  ];
  const used = new Set();
  return {
    name: 'mcp-dock:lean-dockerode',
    enforce: 'pre',
    resolveId(source, importer) {
      const from = importer?.replace(/\\/g, '/');
      const swap = swaps.find((s) => s.source === source && from?.endsWith(s.from));
      if (!swap) return null;
      used.add(swap);
      return swap.to;
    },
    // A new dockerode that moved these modules would silently bring them back: say so instead.
    buildEnd(error) {
      const missed = swaps.filter((s) => !used.has(s));
      if (!error && missed.length > 0) {
        this.error(
          `lean-dockerode: no import of ${missed.map((s) => `${s.source} in ${s.from}`).join(', ')}`,
        );
      }
    },
  };
}
