import { currentCaller } from './access.js';
import type { ServiceRegistry } from './services.js';
import { serviceKey } from './services.js';

/** One metered provider call, as plugins report it. */
export interface UsageEvent {
  provider: string;
  /** Model or voice id, when the provider has one. */
  model?: string;
  inputTokens?: number;
  outputTokens?: number;
  /** Audio seconds transcribed. */
  seconds?: number;
  /** Characters synthesized. */
  characters?: number;
  latencyMs: number;
  /** Who the call was made for; `reportUsage` fills it in from currentCaller(). Absent on public routes. */
  callerId?: string;
}

/** Receives usage events; the usage-tracker plugin provides one when installed. */
export interface UsageRecorder {
  record(event: UsageEvent): void;
}

export const usageRecorders = serviceKey<UsageRecorder>('usage-recorder');

/**
 * Reports a call to every recorder, as made for the caller of the request being handled unless the
 * event names one; without usage-tracker there are no recorders and this does nothing.
 */
export function reportUsage(services: ServiceRegistry, event: UsageEvent): void {
  const recorded = { ...event, callerId: event.callerId ?? currentCaller()?.id };
  for (const recorder of services.all(usageRecorders)) recorder.record(recorded);
}

/** Prices one call in US dollars, or null when its model has no known price. */
export type CostEstimator = (event: UsageEvent) => number | null;

/** The usage-tracker plugin provides its price table under this key, so routes can show what a call cost. */
export const costEstimators = serviceKey<CostEstimator>('cost-estimator');

/** The first known price of a call; undefined without usage-tracker or when its model has no price. */
export function estimateUsageCost(services: ServiceRegistry, event: UsageEvent): number | undefined {
  for (const estimate of services.all(costEstimators)) {
    const cost = estimate(event);
    if (cost !== null) return cost;
  }
  return undefined;
}
