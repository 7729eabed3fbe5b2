// Transitional: create-core.ts still opens placements from here. They moved to
// servers/placements.ts; delete this file once create-core calls openServers.
export { openPlacements, type Placement, type Placements } from '../servers/placements';
