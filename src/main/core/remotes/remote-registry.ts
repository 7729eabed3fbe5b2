import { join } from 'node:path';
import { z } from 'zod';
import { remoteSpecSchema, type RemoteSpec, type RemoteSpecInput } from '../../../shared/remotes';
import { ServerExistsError, ServerGoneError, ServerNotFoundError } from '../errors';
import type { ServerNames } from '../servers/server-names';
import { OwnWrites, storeLoader } from '../store/json-file';

export const REMOTES_FILE = 'remotes.json';
const fileSchema = z.object({ version: z.literal(1), remotes: z.array(remoteSpecSchema) }).strict();

// The remote servers the user added (remotes.json). Their names share one space with the
// container servers' (tool names, scopes and snippet keys carry them): `takenElsewhere` says
// where else a name is in use.
export class RemoteRegistry {
  readonly #own: OwnWrites;
  private readonly takenElsewhere: (name: string) => 'catalog' | 'user' | undefined;
  readonly #read: () => Promise<z.output<typeof fileSchema>>;
  #remotes: RemoteSpec[];
  #turn: Promise<unknown> = Promise.resolve();

  private constructor(
    file: string,
    read: () => Promise<z.output<typeof fileSchema>>,
    remotes: RemoteSpec[],
    names: ServerNames,
  ) {
    this.takenElsewhere = names.join('remotes', (name) => (this.has(name) ? 'user' : undefined));
    this.#own = new OwnWrites(file);
    this.#read = read;
    this.#remotes = remotes;
  }

  static async open(dataDir: string, names: ServerNames): Promise<RemoteRegistry> {
    const file = join(dataDir, REMOTES_FILE);
    const read = storeLoader(file, fileSchema, () => ({ version: 1 as const, remotes: [] }));
    return new RemoteRegistry(file, read, (await read()).remotes, names);
  }

  list(): RemoteSpec[] {
    return this.#remotes;
  }

  has(name: string): boolean {
    return this.#remotes.some((r) => r.name === name);
  }

  get(name: string): RemoteSpec {
    const found = this.#remotes.find((r) => r.name === name);
    if (!found) throw new ServerNotFoundError(name);
    return found;
  }

  add(input: RemoteSpecInput): Promise<RemoteSpec> {
    return this.#inTurn(async () => {
      const spec = remoteSpecSchema.parse(input);
      await this.#sync();
      const elsewhere = this.takenElsewhere(spec.name);
      if (elsewhere) throw new ServerExistsError(spec.name, elsewhere);
      if (this.has(spec.name)) throw new ServerExistsError(spec.name, 'user');
      await this.#persist([...this.#remotes, spec]);
      return spec;
    });
  }

  update(name: string, input: RemoteSpecInput): Promise<RemoteSpec> {
    return this.#inTurn(async () => {
      await this.#current(name);
      const spec = remoteSpecSchema.parse(input);
      if (spec.name !== name) {
        const elsewhere = this.takenElsewhere(spec.name);
        if (elsewhere) throw new ServerExistsError(spec.name, elsewhere);
        if (this.has(spec.name)) throw new ServerExistsError(spec.name, 'user');
      }
      await this.#persist(this.#remotes.map((r) => (r.name === name ? spec : r)));
      return spec;
    });
  }

  remove(name: string): Promise<void> {
    return this.#inTurn(async () => {
      await this.#current(name);
      await this.#persist(this.#remotes.filter((r) => r.name !== name));
    });
  }

  // Another process (the CLI) wrote remotes.json.
  reload(): Promise<void> {
    return this.#inTurn(async () => {
      this.#remotes = (await this.#read()).remotes;
    });
  }

  holdsOwnWrite(): Promise<boolean> {
    return this.#own.holdsOwnWrite();
  }

  // What another process wrote meanwhile, before acting on a name (the watcher may not have
  // fired yet when the CLI asks the app about a remote it just added).
  sync(): Promise<void> {
    return this.#inTurn(() => this.#sync());
  }

  // Each change starts from what is on disk, so a stale list never undoes the CLI's change.
  async #sync(): Promise<void> {
    if (await this.#own.holdsOwnWrite()) return;
    this.#remotes = (await this.#read()).remotes;
  }

  async #current(name: string): Promise<RemoteSpec> {
    const knew = this.has(name);
    await this.#sync();
    const found = this.#remotes.find((r) => r.name === name);
    if (!found) throw knew ? new ServerGoneError(name) : new ServerNotFoundError(name);
    return found;
  }

  // Write first, then swap: a failed write leaves both as they were.
  async #persist(next: RemoteSpec[]): Promise<void> {
    await this.#own.save({ version: 1, remotes: next });
    this.#remotes = next;
  }

  #inTurn<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#turn.then(work);
    this.#turn = next.catch(() => undefined);
    return next;
  }
}
