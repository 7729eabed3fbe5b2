export { CatalogPane } from './components/CatalogPane';
export { useCatalogStore, resetCatalogStore } from './lib/catalog-store';
export { startCatalogSync } from './lib/catalog-actions';
