import { join } from 'node:path';
import { z } from 'zod';
import { profileSchema, type Profile, type ProfileInput } from '../../../shared/profiles';
import { OwnWrites, storeLoader } from '../store/json-file';
import { ProfileExistsError, ProfileNotFoundError } from './profile-errors';

export const PROFILES_FILE = 'profiles.json';
const fileSchema = z.object({ version: z.literal(1), profiles: z.array(profileSchema) }).strict();

// profiles.json: the user's profiles. The app and the CLI both write it; each change starts from
// what is on disk, so neither undoes the other's.
export class ProfileStore {
  readonly #own: OwnWrites;
  readonly #read: () => Promise<z.output<typeof fileSchema>>;
  readonly #listeners = new Set<() => void>();
  #profiles: Profile[];
  #turn: Promise<unknown> = Promise.resolve();

  private constructor(file: string, read: () => Promise<z.output<typeof fileSchema>>, profiles: Profile[]) {
    this.#own = new OwnWrites(file);
    this.#read = read;
    this.#profiles = profiles;
  }

  static async open(dataDir: string): Promise<ProfileStore> {
    const file = join(dataDir, PROFILES_FILE);
    const read = storeLoader(file, fileSchema, () => ({ version: 1 as const, profiles: [] }));
    return new ProfileStore(file, read, (await read()).profiles);
  }

  list(): Profile[] {
    return this.#profiles;
  }

  find(name: string): Profile | undefined {
    return this.#profiles.find((p) => p.name === name);
  }

  get(name: string): Profile {
    const found = this.find(name);
    if (!found) throw new ProfileNotFoundError(name);
    return found;
  }

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  add(input: ProfileInput): Promise<Profile> {
    return this.#inTurn(async () => {
      const profile = profileSchema.parse(input);
      await this.#sync();
      if (this.find(profile.name)) throw new ProfileExistsError(profile.name);
      await this.#persist([...this.#profiles, profile]);
      return profile;
    });
  }

  // A rename keeps the profile's place in the list; the old endpoint ends with it.
  update(name: string, input: ProfileInput): Promise<Profile> {
    return this.#inTurn(async () => {
      const profile = profileSchema.parse(input);
      await this.#sync();
      if (!this.find(name)) throw new ProfileNotFoundError(name);
      if (profile.name !== name && this.find(profile.name)) throw new ProfileExistsError(profile.name);
      await this.#persist(this.#profiles.map((p) => (p.name === name ? profile : p)));
      return profile;
    });
  }

  remove(name: string): Promise<void> {
    return this.#inTurn(async () => {
      await this.#sync();
      if (!this.find(name)) throw new ProfileNotFoundError(name);
      await this.#persist(this.#profiles.filter((p) => p.name !== name));
    });
  }

  // Another process wrote profiles.json.
  reload(): Promise<void> {
    return this.#inTurn(async () => {
      this.#profiles = (await this.#read()).profiles;
      this.#changed();
    });
  }

  holdsOwnWrite(): Promise<boolean> {
    return this.#own.holdsOwnWrite();
  }

  async #sync(): Promise<void> {
    if (await this.#own.holdsOwnWrite()) return;
    this.#profiles = (await this.#read()).profiles;
  }

  // Write first, then swap: a failed write leaves both as they were.
  async #persist(next: Profile[]): Promise<void> {
    await this.#own.save({ version: 1, profiles: next });
    this.#profiles = next;
    this.#changed();
  }

  #changed(): void {
    for (const listener of this.#listeners) listener();
  }

  #inTurn<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#turn.then(work);
    this.#turn = next.catch(() => undefined);
    return next;
  }
}
