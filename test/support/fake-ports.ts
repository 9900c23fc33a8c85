import { portRegistry } from '../../src/aws/port-registry.ts';
import type { AsyncPort, PortRegistry, PortToken } from '../../src/aws/port-token.ts';

/** One port served by an in-memory fake instead of its SDK adapter. */
export interface FakePort {
  readonly token: object;
  readonly port: object;
}

/** A class instance works too: its methods are bound and copied, as adapters are plain objects. */
export function fakePort<T extends AsyncPort<T>>(token: PortToken<T>, port: T): FakePort {
  const methods: Record<string, unknown> = {};
  for (let from: object | null = port; from && from !== Object.prototype; from = Object.getPrototypeOf(from))
    for (const name of Object.getOwnPropertyNames(from)) {
      const value: unknown = Reflect.get(port, name);
      if (name !== 'constructor' && typeof value === 'function' && !(name in methods))
        methods[name] = (value as (...args: unknown[]) => unknown).bind(port);
    }
  return { token, port: methods };
}

/**
 * The product's registry with some ports answered by fakes: every other port still goes to its SDK
 * adapter (moto, a stand-in), and a fake's calls pass through the same error mapping a real port's do.
 */
export function withFakePorts(...fakes: FakePort[]): PortRegistry {
  return {
    async adapterFor(token) {
      const fake = fakes.find((entry) => entry.token === token);
      return fake ? { create: () => fake.port as never } : portRegistry.adapterFor(token);
    },
  };
}
