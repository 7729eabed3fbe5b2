import { join } from 'node:path';
import { DockError } from '../../../shared/errors';

// Headless mode serves the built renderer; a checkout that was never built has none. INTERNAL, as
// for the catalog: a packaged app always has it, so only a developer meets this.
export class RendererNotBuiltError extends DockError {
  constructor(root: string) {
    super('INTERNAL', `The UI is not built (no ${join(root, 'index.html')}). Run \`npm run build\` first.`);
  }
}
