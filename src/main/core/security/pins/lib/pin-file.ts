import { join } from 'node:path';
import { z } from 'zod';
import { pinApprovalSchema, pinSightingSchema } from '../../../../../shared/pins';
import { OwnWrites, storeLoader } from '../../../store/json-file';

export const PINS_FILE = 'tool-pins.json';

const entrySchema = z
  .object({ approved: pinApprovalSchema.optional(), pending: pinSightingSchema.optional() })
  .strict();
export type PinEntry = z.infer<typeof entrySchema>;

// server -> tool (its upstream name) -> what was approved, and what the server offers now if it
// differs.
const fileSchema = z
  .object({
    version: z.literal(1),
    servers: z.record(z.string(), z.record(z.string(), entrySchema)),
  })
  .strict();
export type PinState = z.infer<typeof fileSchema>['servers'];

export interface PinFile {
  read(): Promise<PinState>;
  save(state: PinState): Promise<void>;
  holdsOwnWrite(): Promise<boolean>;
}

export function pinFile(dataDir: string): PinFile {
  const file = join(dataDir, PINS_FILE);
  const own = new OwnWrites(file);
  const read = storeLoader(file, fileSchema, () => ({ version: 1 as const, servers: {} }));
  return {
    read: async () => (await read()).servers,
    save: (servers) => own.save({ version: 1, servers }),
    holdsOwnWrite: () => own.holdsOwnWrite(),
  };
}
