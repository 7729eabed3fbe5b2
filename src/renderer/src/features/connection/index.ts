export { ConnectionBanner, AppVersion } from './components/ConnectionBanner';
export { SessionRequired } from './components/SessionRequired';
export {
  useConnectionStore,
  setConnectionState,
  setAppInfo,
  resetConnectionStore,
} from './lib/connection-store';
