export { ConnectPane } from './components/ConnectPane';
export { setConnectApi } from './lib/connect-actions';
