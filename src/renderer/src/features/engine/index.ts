export { EngineStatusBar } from './components/EngineStatusBar';
export { useEngineStore, resetEngineStore } from './lib/engine-store';
export { startEngineSync, refreshEngineStatus, recheckEngine } from './lib/engine-sync';
