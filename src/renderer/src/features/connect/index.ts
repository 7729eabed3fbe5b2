export { ConnectPane } from './components/ConnectPane';
