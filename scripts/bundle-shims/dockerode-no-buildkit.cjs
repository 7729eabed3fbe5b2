// Stands in for dockerode's lib/buildkit.js in our bundles: it parses BuildKit's protobuf
// progress for docker.followProgress, and MCP Dock follows pulls with modem.followProgress.
module.exports = {
  followProgress() {
    throw new Error('BuildKit progress is not part of MCP Dock; use docker.modem.followProgress');
  },
};
