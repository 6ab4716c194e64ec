export interface StreamMessage {
  id?: string;
  event?: string;
  data?: string;
  /** Comment lines (`: heartbeat`). */
  comments: string[];
}

export interface EventStreamClient {
  status: number;
  contentType: string | null;
  /** Every message received so far, in order. */
  messages: StreamMessage[];
  /** Waits until a received message satisfies `predicate` (or fails after `timeoutMs`). */
  waitFor(predicate: (message: StreamMessage) => boolean, timeoutMs?: number): Promise<StreamMessage>;
  close(): void;
}

/** Opens `url` as a real HTTP client and parses the text/event-stream as it arrives (the SSE framing rules). */
export const openEventStream = async (url: string, headers: Record<string, string>): Promise<EventStreamClient> => {
  const controller = new AbortController();
  const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
  const messages: StreamMessage[] = [];
  const waiters = new Set<() => void>();
  if (response.body) {
    const decoder = new TextDecoder();
    let buffer = '';
    void (async () => {
      try {
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
          buffer += decoder.decode(chunk, { stream: true });
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const message: StreamMessage = { comments: [] };
            for (const line of block.split('\n')) {
              if (line.startsWith(':')) message.comments.push(line.slice(1).trim());
              else {
                const colon = line.indexOf(':');
                const field = colon < 0 ? line : line.slice(0, colon);
                const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
                if (field === 'id') message.id = value;
                else if (field === 'event') message.event = value;
                else if (field === 'data') message.data = message.data === undefined ? value : `${message.data}\n${value}`;
              }
            }
            messages.push(message);
            for (const wake of waiters) wake();
          }
        }
      } catch {
        // Aborted by close().
      }
    })();
  }
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    messages,
    waitFor(predicate, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = messages.find(predicate);
          if (!found) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`No matching stream message within ${timeoutMs} ms; got ${JSON.stringify(messages)}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () => controller.abort(),
  };
};
