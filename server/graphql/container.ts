import type { ContainerType } from 'type-graphql';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a class of any constructor signature
type Class<T = unknown> = abstract new (...args: any[]) => T;

/**
 * The resolver instances of one app, handed to type-graphql's `buildSchema({ container })`
 * (the pattern of type-graphql's using-container example, without a reflection-based DI library:
 * the composition root builds each resolver with the services it names in its constructor).
 * A resolver class without constructor parameters is built on first use; a middleware class with
 * a static `resolverClass` is built with that resolver's instance (graphql/plain-args.ts).
 */
export class ResolverContainer implements ContainerType {
  private readonly instances = new Map<Function, unknown>();

  add<T>(cls: Class<T>, instance: T): this {
    this.instances.set(cls, instance);
    return this;
  }

  get(cls: Class): unknown {
    let instance = this.instances.get(cls);
    if (instance === undefined) {
      const bound = (cls as { resolverClass?: Class }).resolverClass;
      if (bound) instance = new (cls as new (resolver: unknown) => unknown)(this.get(bound));
      else if (cls.length > 0) throw new Error(`resolver ${cls.name} needs services: add it in the composition root (server/root.ts)`);
      else instance = new (cls as new () => unknown)();
      this.instances.set(cls, instance);
    }
    return instance;
  }
}
