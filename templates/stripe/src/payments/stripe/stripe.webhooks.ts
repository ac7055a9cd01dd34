import type Stripe from 'stripe';
import type { SharedRedis } from '../../lib/redis.js';
import { serviceKey } from '../../lib/services.js';

// Stripe retries an event for up to three days.
const RETRY_WINDOW_SECONDS = 3 * 24 * 60 * 60;

/**
 * Remembers which webhook events were handled. Stripe delivers an event again when it did not
 * see a 2xx in time, so the same event can arrive twice.
 */
export interface ProcessedEventStore {
  /** Records the event id; false when it was already recorded (a redelivery). */
  claim(eventId: string): Promise<boolean>;
  /** Forgets an event whose handler failed, so Stripe's next delivery runs it again. */
  release(eventId: string): Promise<void>;
}

/**
 * A store to use instead of the built-in ones (memory, or Redis with REDIS_URL), e.g. one backed by
 * the database (an insert into a table whose primary key is the event id: a conflict means
 * "already handled"), to keep the record beyond Stripe's three days of retries.
 */
export const stripeProcessedEvents = serviceKey<ProcessedEventStore>('stripe.processed-events');

/**
 * Remembers the last `capacity` event ids. Stripe retries an event for up to three days, so the
 * default covers a few thousand events a day; the oldest ids are forgotten first.
 */
export function createMemoryEventStore(capacity = 10_000): ProcessedEventStore {
  const ids = new Set<string>();
  return {
    async claim(eventId) {
      if (ids.has(eventId)) return false;
      ids.add(eventId);
      if (ids.size > capacity) {
        // A Set iterates in insertion order: the first id is the oldest.
        const oldest = ids.values().next();
        if (!oldest.done) ids.delete(oldest.value);
      }
      return true;
    },
    async release(eventId) {
      ids.delete(eventId);
    },
  };
}

/**
 * Event ids in Redis, seen by every instance: SET NX lets one delivery claim an event, on whichever
 * instance it lands, and Redis forgets it once Stripe has stopped retrying. While Redis is out of
 * reach the webhook answers 503 and Stripe delivers again later.
 */
export function createRedisEventStore(redis: SharedRedis): ProcessedEventStore {
  const key = (eventId: string) => `stripe:processed-event:${eventId}`;
  return {
    async claim(eventId) {
      return (await redis.command(['SET', key(eventId), '1', 'NX', 'EX', String(RETRY_WINDOW_SECONDS)])) === 'OK';
    },
    async release(eventId) {
      await redis.command(['DEL', key(eventId)]);
    },
  };
}

type StripeEventType = Stripe.Event['type'];
type StripeEventOf<Type extends StripeEventType> = Extract<Stripe.Event, { type: Type }>;

/** A handler per event type; each receives that type's event, with `data.object` typed. */
export type StripeEventHandlers = { [Type in StripeEventType]?: (event: StripeEventOf<Type>) => void | Promise<void> };

/**
 * What this app does with each event. Add a key for each event type the webhook endpoint subscribes
 * to in the Dashboard; other types are acknowledged and ignored. Log ids and amounts, never the
 * customer's name, email or address.
 */
export const stripeEventHandlers: StripeEventHandlers = {
  'payment_intent.succeeded': (event) => {
    const intent = event.data.object;
    console.info(`Stripe: payment ${intent.id} succeeded (${intent.amount_received} ${intent.currency}).`);
  },
  'invoice.paid': (event) => {
    const invoice = event.data.object;
    console.info(`Stripe: invoice ${invoice.id} paid (${invoice.amount_paid} ${invoice.currency}).`);
  },
  'customer.subscription.deleted': (event) => {
    console.info(`Stripe: subscription ${event.data.object.id} ended.`);
  },
};

/** Handles one verified event; resolves to false when it was a redelivery and nothing ran. */
export type StripeEventProcessor = (event: Stripe.Event) => Promise<boolean>;

/**
 * Runs each event's handler once. `store` is asked on every event, so a store provided by a plugin
 * set up later is used too.
 */
export function createEventProcessor(store: () => ProcessedEventStore, handlers: StripeEventHandlers = stripeEventHandlers): StripeEventProcessor {
  return async (event) => {
    const events = store();
    if (!(await events.claim(event.id))) return false;
    // Safe: the handler under a type's key takes events of that type.
    const handler = handlers[event.type] as ((event: Stripe.Event) => void | Promise<void>) | undefined;
    try {
      await handler?.(event);
    } catch (error) {
      await events.release(event.id);
      throw error;
    }
    return true;
  };
}
