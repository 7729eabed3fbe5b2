// Stands in for dockerode's lib/session.js in our bundles: that module loads gRPC and protobuf
// (a third of a CLI command's start-up) for BuildKit builds, and MCP Dock builds no images.
module.exports = function withSession(_docker, _auth, handler) {
  handler(new Error('BuildKit sessions are not part of MCP Dock'), null, () => undefined);
};
