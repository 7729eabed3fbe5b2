import type { DockApi } from '../../../../../shared/contract';
import type { CatalogAddInput, InstallKind } from '../../../../../shared/registry';
import { describeError } from '../../../common/describe-error';
import { patchCatalog, useCatalogStore } from './catalog-store';

let api: DockApi | undefined;
// Only the newest search may land: a slow answer to an older query must not replace it.
let generation = 0;

function dock(): DockApi {
  if (!api) throw new Error('catalog sync not started');
  return api;
}

export function startCatalogSync(dock: DockApi): () => void {
  api = dock;
  void dock.catalog.registries().then(
    ({ registries, onlyThese }) => patchCatalog({ registries, onlyThese }),
    () => undefined,
  );
  return dock.catalog.onProgress((progress) => patchCatalog({ progress }));
}

export async function searchCatalog(text: string, registry?: string): Promise<void> {
  const mine = ++generation;
  patchCatalog({ text, ...(registry ? { registry } : {}), searching: true, error: undefined });
  const chosen = registry ?? useCatalogStore.getState().registry;
  try {
    const page = await dock().catalog.search({
      ...(text.trim() ? { text: text.trim() } : {}),
      ...(chosen ? { registry: chosen } : {}),
    });
    if (mine !== generation) return;
    patchCatalog({ page, entries: page.entries, searching: false });
  } catch (error) {
    if (mine !== generation) return;
    patchCatalog({ page: undefined, entries: [], searching: false, error: describeError(error) });
  }
}

export async function moreResults(): Promise<void> {
  const { page, text, registry, entries } = useCatalogStore.getState();
  if (!page?.nextCursor) return;
  const mine = ++generation;
  patchCatalog({ searching: true });
  try {
    const next = await dock().catalog.search({
      ...(text.trim() ? { text: text.trim() } : {}),
      ...(registry ? { registry } : {}),
      cursor: page.nextCursor,
    });
    if (mine !== generation) return;
    patchCatalog({ page: next, entries: [...entries, ...next.entries], searching: false });
  } catch (error) {
    if (mine !== generation) return;
    patchCatalog({ searching: false, error: describeError(error) });
  }
}

export async function refreshListing(): Promise<void> {
  const { registry } = useCatalogStore.getState();
  try {
    await dock().catalog.refresh(registry ? { registry } : {});
  } catch (error) {
    patchCatalog({ error: describeError(error) });
  }
}

// Answers the error to show in the install form, or undefined when it was installed.
export async function installEntry(
  entry: string,
  options: { as: string; kind: InstallKind; values: Record<string, string> },
): Promise<string | undefined> {
  const { registry } = useCatalogStore.getState();
  const input: CatalogAddInput = {
    entry,
    as: options.as,
    kind: options.kind,
    values: options.values,
    ...(registry ? { registry } : {}),
  };
  try {
    const added = await dock().catalog.add(input);
    patchCatalog({
      installed: {
        entry,
        as: added.kind === 'container' ? added.server.spec.name : added.remote.spec.name,
        kind: added.kind,
      },
    });
    return undefined;
  } catch (error) {
    return describeError(error);
  }
}
