// The import graph, declared (STYLE.md §1, AGENTS.md's folder map): `npm run lint` fails on any
// import the lists below do not allow, and on any cycle. Layers are allowlists; inside core, each
// capability names the capabilities it may use. To add an edge, add it here first and say why.

const CORE = '^src/main/core/';

// core's own files at its top: the composition root (may use everything, used by nothing in
// core) and the two leaves every capability may use.
const CORE_LEAVES = ['errors.ts', 'version.ts'];
const COMPOSITION_ROOT = ['create-core.ts', 'core-options.ts', 'index.ts'];

// Capability -> the capabilities it may import. Everything may import `lib` and the leaves.
// Read top to bottom, this is the order core opens them in.
const CAPABILITIES = {
  lib: [],
  store: [],
  secrets: ['store'],
  http: ['store'],
  docker: ['store'],
  security: ['secrets', 'store'],
  headless: ['http'],
  // The consent page's in-browser Allow is the panel's session: OAuth checks it, headless owns it.
  oauth: ['headless', 'http', 'secrets', 'store'],
  mcp: ['http', 'oauth', 'security'],
  servers: ['docker', 'mcp', 'secrets', 'store'],
  clients: ['docker', 'servers', 'store'],
  // Named selections of servers and tools; the gateway serves each at its own endpoint.
  profiles: ['store'],
  gateway: ['clients', 'http', 'mcp', 'oauth', 'profiles', 'secrets', 'security', 'servers', 'store'],
  // Remote servers hand the gateway a source of upstreams (the gateway's type) and keep their
  // names in the servers' name space.
  remotes: ['gateway', 'http', 'secrets', 'servers', 'store'],
  // The Catalog installs what it finds as container or remote servers.
  registry: ['remotes', 'servers', 'store'],
};

const escapeRegExp = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const alternatives = (names) => names.map(escapeRegExp).join('|');
const NOT_TESTS = '\\.test\\.tsx?$|\\.typetest\\.ts$|\\.docker\\.test\\.ts$';

const capabilityRules = Object.entries(CAPABILITIES).map(([name, allowed]) => ({
  name: `core-${name}`,
  comment: `core/${name} may import only ${['lib', ...allowed].join(', ')} and core's leaves (see CAPABILITIES)`,
  severity: 'error',
  from: { path: `${CORE}${name}/`, pathNot: NOT_TESTS },
  to: {
    path: CORE,
    pathNot: `${CORE}(${alternatives([name, 'lib', ...allowed])})/|${CORE}(${alternatives(CORE_LEAVES)})$`,
  },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'A cycle means two modules are one; merge them or move what both need below both.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-composition-root',
      comment: 'Capabilities are handed what they need; none reaches back into the composition root.',
      severity: 'error',
      from: { path: `${CORE}[^/]+/`, pathNot: NOT_TESTS },
      to: { path: `${CORE}(${alternatives(COMPOSITION_ROOT)})$` },
    },
    ...capabilityRules,
    {
      name: 'renderer-feature-index',
      comment: "features use each other only through the feature's index.ts",
      severity: 'error',
      from: { path: '^src/renderer/src/features/([^/]+)/' },
      to: {
        path: '^src/renderer/src/features/[^/]+/(lib|components)/',
        pathNot: '^src/renderer/src/features/$1/',
      },
    },
    {
      name: 'renderer-outside-features',
      comment: 'outside features, the renderer uses a feature only through its index.ts',
      severity: 'error',
      from: { path: '^src/renderer/', pathNot: '^src/renderer/src/features/' },
      to: { path: '^src/renderer/src/features/[^/]+/(lib|components)/' },
    },
    {
      name: 'core-capability-declared',
      comment: 'Every folder of core is a capability listed in CAPABILITIES.',
      severity: 'error',
      from: {
        path: `${CORE}[^/]+/`,
        pathNot: `${CORE}(${alternatives(Object.keys(CAPABILITIES))})/`,
      },
      to: {},
    },
  ],
  // Layers: anything a layer's list does not allow is an error.
  allowedSeverity: 'error',
  allowed: [
    {
      comment: 'shared is the contract: TypeScript and zod only.',
      from: { path: '^src/shared/' },
      to: { path: '^src/shared/|^node_modules/zod/' },
    },
    {
      comment: 'core runs under plain Node (tests, CLI, headless): no Electron, React, shell, CLI or UI.',
      from: { path: '^src/main/core/' },
      to: {
        pathNot:
          '^src/main/(shell/|cli/|preload|index)|^src/renderer/|^node_modules/(electron|react|react-dom)/',
      },
    },
    {
      comment: 'the CLI is plain Node over core: no Electron, no shell, no UI.',
      from: { path: '^src/main/cli/' },
      to: {
        pathNot: '^src/main/(shell/|preload|index)|^src/renderer/|^node_modules/(electron|react|react-dom)/',
      },
    },
    {
      comment: 'the shell hosts core; Docker and sockets belong to core.',
      from: { path: '^src/main/(shell/|index\\.ts$)' },
      to: {
        pathNot: '^src/main/cli/|^src/renderer/|^node_modules/(react|react-dom|dockerode|ws)/',
      },
    },
    {
      comment: 'the sandboxed preload sees only electron and the shared contract.',
      from: { path: '^src/main/preload\\.ts$' },
      to: { path: '^src/shared/|^node_modules/electron/' },
    },
    {
      comment: 'the renderer reaches core only through the contract; no Node, no Electron.',
      from: { path: '^src/renderer/' },
      to: {
        path: '^src/renderer/|^src/shared/|^node_modules/',
        pathNot: '^node_modules/(electron|dockerode|ws)/',
        dependencyTypesNot: ['core'],
      },
    },
    {
      comment: 'a test follows its layer, and may use the test tools.',
      from: { path: '\\.test\\.tsx?$|\\.typetest\\.ts$' },
      to: { path: '^node_modules/(vitest|@vitest|@testing-library|jsdom)/' },
    },
    {
      comment: 'the build and packaging checks at the top of src/main read the repository itself.',
      from: { path: '^src/main/[^/]+\\.test\\.ts$' },
      to: {},
    },
    {
      comment: 'test support, e2e, bench and scripts use whatever they drive; type declarations too.',
      from: { path: '\\.d\\.ts$|^test-support/|^e2e/|^bench/|^scripts/' },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: '^node_modules' },
    exclude: { path: '^(out|dist)/' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'],
    },
  },
};
