/** A minimal typed event emitter with an async-iterator view, for lifecycle events. */
export class EventStream<Event extends { readonly type: string }> {
  private readonly listeners = new Set<(event: Event) => void>();

  /** Calls `listener` for every event; returns a function that unsubscribes. */
  on(listener: (event: Event) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Delivers an event to every listener (a throwing listener does not stop the others). */
  emit(event: Event): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // listeners must not break the lifecycle
      }
    }
  }

  /** Events from now on as an async iterator; `return()` (or `break` in `for await`) unsubscribes. */
  iterate(): AsyncIterableIterator<Event> {
    const queue: Event[] = [];
    let wake: (() => void) | undefined;
    let done = false;
    const off = this.on((event) => {
      queue.push(event);
      wake?.();
    });
    const iterator: AsyncIterableIterator<Event> = {
      async next() {
        while (queue.length === 0 && !done) await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
        return done && queue.length === 0 ? { value: undefined, done: true } : { value: queue.shift()!, done: false };
      },
      async return() {
        done = true;
        off();
        wake?.();
        return { value: undefined, done: true };
      },
      [Symbol.asyncIterator]() {
        return iterator;
      },
    };
    return iterator;
  }
}
