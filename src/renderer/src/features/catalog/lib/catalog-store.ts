import { create } from 'zustand';
import type { CatalogEntry, CatalogPage, CatalogProgress } from '../../../../../shared/registry';

interface CatalogState {
  registries: string[];
  onlyThese: boolean;
  registry: string | undefined;
  text: string;
  page: CatalogPage | undefined;
  // Entries of the pages shown so far (More appends).
  entries: CatalogEntry[];
  searching: boolean;
  error: string | undefined;
  progress: CatalogProgress | undefined;
  // The last entry installed, and as what.
  installed: { entry: string; as: string; kind: 'container' | 'remote' } | undefined;
}

const initialState: CatalogState = {
  registries: [],
  onlyThese: false,
  registry: undefined,
  text: '',
  page: undefined,
  entries: [],
  searching: false,
  error: undefined,
  progress: undefined,
  installed: undefined,
};

export const useCatalogStore = create<CatalogState>()(() => ({ ...initialState }));

export function patchCatalog(patch: Partial<CatalogState>): void {
  useCatalogStore.setState(patch);
}

export function resetCatalogStore(): void {
  useCatalogStore.setState({ ...initialState });
}
