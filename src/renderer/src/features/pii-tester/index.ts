export { PiiTesterPane } from './components/PiiTesterPane';
export { setPiiTesterApi } from './lib/pii-tester-actions';
