export { ContainersPane } from './components/ContainersPane';
