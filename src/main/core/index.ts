export { createCore } from './create-core';
export type { Core, CoreOptions } from './create-core';
export { resolveDataDir } from './store/data-dir';
export { readRendererFile } from './headless/renderer-files';
export { DockError } from './errors';
