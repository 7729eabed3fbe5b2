export type NameOwner = 'catalog' | 'user';
type Lookup = (name: string) => NameOwner | undefined;

// One name space for every kind of server (containers, remote servers): a name becomes a tool
// prefix, a scope and a snippet key, so two servers must never share one. Each registry joins with
// its own lookup and gets back the question it must ask before taking a name: is it taken elsewhere?
export class ServerNames {
  readonly #lookups = new Map<string, Lookup>();

  join(kind: string, own: Lookup): Lookup {
    this.#lookups.set(kind, own);
    return (name) => {
      for (const [other, lookup] of this.#lookups) {
        if (other === kind) continue;
        const owner = lookup(name);
        if (owner) return owner;
      }
      return undefined;
    };
  }
}
