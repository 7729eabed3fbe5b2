export { RemotesSection } from './components/RemotesSection';
export { useRemotesStore, resetRemotesStore } from './lib/remotes-store';
export { startRemotesSync, refreshRemotes } from './lib/remotes-actions';
