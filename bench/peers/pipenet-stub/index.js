// mcp-proxy (a peer in `npm run bench`) imports pipenet for one option, `--tunnel`, which exposes
// the proxy on a public tunnel host. The benchmarks never use it, and every pipenet release
// declares Node.js 22, so on Node.js 20.19 (which MCP Dock supports) `npm ci` warned EBADENGINE
// for a package that never runs, and installed 18 more with it. package.json lists this folder as
// the devDependency `pipenet` and overrides mcp-proxy's pipenet with it (`"pipenet": "$pipenet"`).
export async function pipenet() {
  throw new Error(
    'pipenet is not installed here: MCP Dock replaces it, as its benchmarks never use mcp-proxy --tunnel',
  );
}
