/** One Server-Sent Event: its name (`message` unless named) and its JSON data. */
export interface ServerSentEvent {
  event: string;
  data: unknown;
}

/** Splits a whole event-stream body, as sent by src/lib/sse.ts, into its events. */
export function parseEvents(text: string): ServerSentEvent[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const lines = block.split('\n');
      const event = lines.find((line) => line.startsWith('event: '))?.slice('event: '.length) ?? 'message';
      const data = lines.find((line) => line.startsWith('data: '))?.slice('data: '.length) ?? '';
      return { event, data: JSON.parse(data) as unknown };
    });
}
