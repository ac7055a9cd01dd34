import type Stripe from 'stripe';
import type { Queryable } from '../../database/database.js';

/**
 * Remembers which webhook events were handled. Stripe delivers an event again when it did not
 * see a 2xx in time, so the same event can arrive twice, and with several instances behind a load
 * balancer, at two of them at once.
 */
export interface ProcessedEventStore {
  /** Records the event id; false when it was already recorded (a redelivery). */
  claim(eventId: string): Promise<boolean>;
  /** Forgets an event whose handler failed, so Stripe's next delivery runs it again. */
  release(eventId: string): Promise<void>;
}

/**
 * Handled event ids in the app's database, a durable record that every instance sharing it
 * (DATABASE_URL) sees: the primary key lets one delivery claim an event, on whichever instance it
 * lands; the other finds the row, or waits for the first to commit and then finds it.
 */
export function createDatabaseEventStore(database: () => Queryable): ProcessedEventStore {
  return {
    async claim(eventId) {
      const inserted = await database().query(
        'INSERT INTO stripe_processed_events (event_id) VALUES ($1) ON CONFLICT (event_id) DO NOTHING RETURNING event_id',
        [eventId],
      );
      return inserted.length === 1;
    },
    async release(eventId) {
      await database().query('DELETE FROM stripe_processed_events WHERE event_id = $1', [eventId]);
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

/** Runs each event's handler once, whichever instance and however many times it is delivered. */
export function createEventProcessor(
  events: ProcessedEventStore,
  handlers: StripeEventHandlers = stripeEventHandlers,
): StripeEventProcessor {
  return async (event) => {
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
