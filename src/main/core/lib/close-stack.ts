// What core opened, closed in reverse order: on close, and when opening fails halfway (so a
// failed start leaves no timer, watcher or lock behind). A closer that fails does not stop the rest.
export class CloseStack {
  readonly #closers: (() => void | Promise<void>)[] = [];

  push<T extends { close(): void | Promise<void> }>(opened: T): T {
    this.#closers.push(() => opened.close());
    return opened;
  }

  defer(close: () => void | Promise<void>): void {
    this.#closers.push(close);
  }

  async closeAll(): Promise<void> {
    for (const close of this.#closers.splice(0).reverse()) {
      try {
        await close();
      } catch {
        // Closing goes on: what else was opened must still be let go of.
      }
    }
  }
}
