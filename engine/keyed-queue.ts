/**
 * Runs tasks one after another per key (per project), concurrently across keys.
 *
 * @example
 * await queue.run('project p1', () => applyEvent());
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key);
    // Nothing queued for the key: the task starts now, not a turn of the microtask queue later.
    const result = previous === undefined ? started(task) : previous.then(task, task);
    // Settles when the task does, either way; the last task of a key leaves no entry behind.
    const tail: Promise<void> = result.then(
      () => this.settled(key, tail),
      () => this.settled(key, tail),
    );
    this.tails.set(key, tail);
    return result;
  }

  private settled(key: string, tail: Promise<void>): void {
    if (this.tails.get(key) === tail) this.tails.delete(key);
  }
}

/** The task's promise; a task that throws before its first `await` is a rejected promise too. */
function started<T>(task: () => Promise<T>): Promise<T> {
  try {
    return task();
  } catch (err) {
    return Promise.reject(err);
  }
}
