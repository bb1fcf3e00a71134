// One kind of news for a role's page (its view, a scan, a door that opened): the role's page
// model emits, each open event stream of the page server listens while it is connected.

export class PageChannel<T> {
  private readonly listeners = new Set<(value: T) => void>();

  /** Adds a listener; returns its removal. */
  on(listener: (value: T) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  emit(value: T): void {
    // A copy: a listener that unsubscribes while being told must not skip another.
    for (const listener of [...this.listeners]) listener(value);
  }

  /** Listeners now (tests check that a closed stream let go). */
  get size(): number {
    return this.listeners.size;
  }
}
