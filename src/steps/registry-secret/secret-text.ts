/**
 * A secret held in memory only. Whatever prints, logs or serialises the object that holds it (an event,
 * the answers file, an error's details, util.inspect, JSON.stringify) sees a placeholder; the value
 * comes out only through `reveal()`, at the one call that needs it.
 */
export class SecretText {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return '[secret]';
  }

  toJSON(): string {
    return '[secret]';
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return '[secret]';
  }
}
