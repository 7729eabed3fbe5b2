export { ServerCard } from './components/ServerCard';
export { ServerForm } from './components/ServerForm';
export { LogsDrawer } from './components/LogsDrawer';
export { OrphansList } from './components/OrphansList';
export { useServersStore, resetServersStore } from './lib/servers-store';
export { startServersSync, refreshServers } from './lib/servers-actions';
