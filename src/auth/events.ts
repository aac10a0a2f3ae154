/** A minimal typed event emitter whose subscriptions have the shape of `vscode.Disposable`. */
import type { Subscription } from './types';

/** A subscribable event: call it with a listener, dispose the result to unsubscribe. */
export type AuthEvent<T> = (listener: (value: T) => void) => Subscription;

export class Emitter<T> {
  private readonly listeners = new Set<(value: T) => void>();

  /** Subscribes a listener. */
  readonly event: AuthEvent<T> = (listener) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };

  /** Calls every listener; a listener that throws does not stop the others. */
  fire(value: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch {
        // A faulty listener must not break token handling.
      }
    }
  }

  dispose(): void {
    this.listeners.clear();
  }
}
