export { PiiTesterPane } from './components/PiiTesterPane';
