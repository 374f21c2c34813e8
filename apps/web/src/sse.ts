// Server-sent events over fetch (not EventSource), so the bearer token goes
// in a header. Reconnects after a drop with Last-Event-ID set to the last id
// seen: the API replays what was missed for a run's stream.
import { authHeaders, query } from './api';
import type { StatusEvent } from './types';

export interface StreamHandlers {
  onEvent(event: StatusEvent): void;
  /** Called on every (re)connection, so a page can refetch what a gap may have hidden. */
  onOpen?(reconnected: boolean): void;
  onError?(message: string): void;
}

export interface StatusStream {
  close(): void;
  /** Drops the connection as a network fault would (tests use it); it reconnects by itself. */
  drop(): void;
}

/** One parsed SSE message; `id` is absent for frames without one. */
export interface SseMessage {
  id?: string;
  event?: string;
  data: string;
}

/** Splits a text/event-stream chunk buffer into complete messages and the unfinished rest. */
export function parseSse(buffer: string): { messages: SseMessage[]; rest: string } {
  const messages: SseMessage[] = [];
  const blocks = buffer.replace(/\r\n/g, '\n').split('\n\n');
  const rest = blocks.pop() ?? '';
  for (const block of blocks) {
    const message: SseMessage = { data: '' };
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line === '' || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'data') data.push(value);
      else if (field === 'id') message.id = value;
      else if (field === 'event') message.event = value;
    }
    if (data.length === 0) continue;
    message.data = data.join('\n');
    messages.push(message);
  }
  return { messages, rest };
}

export function openStatusStream(
  filter: { runId?: string; workflowId?: string },
  handlers: StreamHandlers,
): StatusStream {
  let closed = false;
  let lastEventId: string | null = null;
  let controller: AbortController | null = null;
  let connections = 0;

  const connect = async (): Promise<void> => {
    while (!closed) {
      controller = new AbortController();
      try {
        const response = await fetch(`/api/v1/events/stream${query(filter)}`, {
          headers: {
            Accept: 'text/event-stream',
            ...authHeaders(),
            ...(lastEventId ? { 'Last-Event-ID': lastEventId } : {}),
          },
          signal: controller.signal,
        });
        if (!response.ok || !response.body) throw new Error(`status stream answered HTTP ${response.status}`);
        handlers.onOpen?.(connections++ > 0);
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          const parsed = parseSse(buffer + value);
          buffer = parsed.rest;
          for (const message of parsed.messages) {
            if (message.id) lastEventId = message.id;
            try {
              handlers.onEvent(JSON.parse(message.data) as StatusEvent);
            } catch {
              // A frame that is not JSON is not a status event; the stream goes on.
            }
          }
        }
      } catch (error) {
        if (closed) return;
        if (!(error instanceof DOMException && error.name === 'AbortError'))
          handlers.onError?.(String(error));
      }
      if (!closed) await new Promise((resolve) => setTimeout(resolve, 500));
    }
  };
  void connect();
  return {
    close: () => {
      closed = true;
      controller?.abort();
    },
    drop: () => controller?.abort(),
  };
}
