// One operation per server at a time: a double-clicked Start must not create two containers.
// The running operation's marker ("starting", "pulling"...) is what the server's card shows.
export class ServerLocks {
  readonly #queues = new Map<string, Promise<unknown>>();

  constructor(private readonly onBusy: (server: string, marker: string | undefined) => void) {}

  run<T>(server: string, marker: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#queues.get(server) ?? Promise.resolve();
    const next = previous.then(async () => {
      this.onBusy(server, marker);
      try {
        return await work();
      } finally {
        this.onBusy(server, undefined);
      }
    });
    const settled = next.catch(() => undefined);
    this.#queues.set(server, settled);
    void settled.then(() => {
      if (this.#queues.get(server) === settled) this.#queues.delete(server);
    });
    return next;
  }
}
