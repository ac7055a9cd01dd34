/**
 * A typed name for one kind of service plugins offer each other (every AI provider, the usage
 * recorder, the auth middleware ...). The type parameter only exists for the compiler.
 */
export interface ServiceKey<Service> {
  readonly name: string;
  readonly type?: Service;
}

/** Creates a key; one per kind, exported from the module that defines the service's type. */
export function serviceKey<Service>(name: string): ServiceKey<Service> {
  return { name };
}

/**
 * Where plugins find each other. Look-ups happen when a request arrives, not at start-up, so a
 * plugin works whatever its position in src/plugins.ts.
 */
export class ServiceRegistry {
  private readonly services = new Map<string, unknown[]>();

  provide<Service>(key: ServiceKey<Service>, service: Service): void {
    this.services.set(key.name, [...(this.services.get(key.name) ?? []), service]);
  }

  /** Every service of this kind, in the order they were provided. */
  all<Service>(key: ServiceKey<Service>): Service[] {
    // Safe: provide() only accepts a Service for this key.
    return (this.services.get(key.name) ?? []) as Service[];
  }
}
