import { connect } from 'node:net';

/** What came back on a raw connection: the status of the first response line (undefined if none) and all bytes read. */
export interface RawAnswer {
  readonly status: number | undefined;
  readonly text: string;
}

/**
 * Writes `request` bytes as they are (no URL normalisation, unlike fetch) to 127.0.0.1:`port` and reads
 * until the server closes the connection or `timeoutMs` passes.
 */
export function rawRequest(port: number, request: string | Buffer, timeoutMs = 5000): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const done = () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      const match = /^HTTP\/1\.1 (\d{3})/.exec(text);
      resolve({ status: match ? Number(match[1]) : undefined, text });
    };
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms to ${JSON.stringify(request.toString().slice(0, 80))}`));
    }, timeoutMs);
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('close', done);
    socket.on('error', () => undefined); // a reset after the answer still ends in 'close'
    socket.write(request);
  });
}

/** A request with `connection: close`, so the server closes the connection after answering. */
export function httpRequest(method: string, target: string, body = '', headers: Record<string, string> = {}): string {
  const lines = [
    `${method} ${target} HTTP/1.1`,
    'host: 127.0.0.1',
    'connection: close',
    `content-length: ${Buffer.byteLength(body)}`,
  ];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}
