export { ConnectionBanner, AppVersion } from './components/ConnectionBanner';
export {
  useConnectionStore,
  setConnectionState,
  setAppInfo,
  resetConnectionStore,
} from './lib/connection-store';
