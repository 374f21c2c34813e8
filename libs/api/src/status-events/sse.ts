import type { ServerResponse } from 'node:http';
import { endWith, ignoreElements, interval, map, merge, type Observable, takeUntil } from 'rxjs';
import { maskSecretTokens, type StatusCloudEvent } from '@baton/contracts';

/** A comment line every so often keeps proxies and load balancers from closing an idle stream. */
export const SSE_HEARTBEAT_MS = 15_000;

/** A client that has not read this much stays behind for good: its stream is closed rather than buffered. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

/** One SSE message per status event: `event:` the CloudEvent type, `id:` its id, `data:` the CloudEvent JSON. */
export function formatSse(event: StatusCloudEvent): string {
  return `event: ${oneLine(event.type)}\nid: ${oneLine(event.id)}\ndata: ${JSON.stringify(maskSecretTokens(event as never))}\n\n`;
}

/** The frames of one client's stream: its events, plus heartbeat comments until the events complete. */
export function sseFrames(
  events: Observable<StatusCloudEvent>,
  heartbeatMs: number = SSE_HEARTBEAT_MS,
): Observable<string> {
  const done = events.pipe(ignoreElements(), endWith(true));
  return merge(
    events.pipe(map(formatSse)),
    interval(heartbeatMs).pipe(
      map(() => ': heartbeat\n\n'),
      takeUntil(done),
    ),
  );
}

/**
 * Writes `frames` to an HTTP response as `text/event-stream` until they
 * complete (the API shutting down) or the client disconnects, whichever
 * comes first; either way the subscription is dropped, so a gone client
 * costs nothing afterwards.
 */
export function writeSse(response: ServerResponse, frames: Observable<string>): void {
  response.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    // nginx would otherwise buffer the stream.
    'X-Accel-Buffering': 'no',
  });
  // Sent at once so the client knows it is connected (and fetch resolves).
  response.write(': connected\n\nretry: 3000\n\n');
  const subscription = frames.subscribe({
    next: (frame) => {
      if (response.writableLength > MAX_BUFFERED_BYTES) {
        subscription.unsubscribe();
        response.end();
        return;
      }
      response.write(frame);
    },
    complete: () => response.end(),
    error: () => response.end(),
  });
  response.once('close', () => subscription.unsubscribe());
}

function oneLine(text: string): string {
  return text.replace(/[\r\n]/g, ' ');
}
