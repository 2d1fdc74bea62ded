import { Worker } from 'node:worker_threads';

/**
 * One segment or subsegment document as the X-Ray SDK sends it to the daemon: the fields the checks read,
 * plus the raw JSON (scanned for secrets as it is).
 */
export interface TraceDocument {
  readonly raw: string;
  readonly name: string;
  readonly type?: string;
  readonly traceId: string;
  readonly annotations: Record<string, unknown>;
  /** Every subsegment below this document, at any depth, by name. */
  readonly subsegmentNames: string[];
  /** Annotations of this document and of every subsegment in it. */
  readonly allAnnotations: Array<Record<string, unknown>>;
}

// Runs in its own thread, so that datagrams are read at once however busy the main event loop is (a UDP
// receive buffer that fills up drops them silently).
const LISTENER = `
const { parentPort } = require('node:worker_threads');
const socket = require('node:dgram').createSocket('udp4');
socket.on('message', (message) => parentPort.postMessage({ datagram: message.toString('utf8') }));
parentPort.on('message', (request) => {
  if (request === 'sync') parentPort.postMessage({ synced: true });
  else socket.close(() => parentPort.close());
});
socket.bind(0, '127.0.0.1', () => parentPort.postMessage({ port: socket.address().port }));
`;

interface RawSegment {
  name?: string;
  type?: string;
  trace_id?: string;
  annotations?: Record<string, unknown>;
  subsegments?: RawSegment[];
}

/**
 * A stand-in for the X-Ray daemon: a UDP listener on 127.0.0.1 that keeps every document the X-Ray SDK sends
 * (`{"format":"json","version":1}\n<segment JSON>` per datagram, X-Ray developer guide "Sending segment
 * documents to the X-Ray daemon"). Point `AWS_XRAY_DAEMON_ADDRESS` at `address` before the SDK loads.
 */
export class XRayDaemonStub {
  readonly documents: TraceDocument[] = [];
  /** Datagrams that were not a header line and a segment JSON document. */
  readonly malformed: string[] = [];
  private readonly syncs: Array<() => void> = [];

  private constructor(
    private readonly worker: Worker,
    readonly address: string,
  ) {
    worker.on('message', (message: { datagram?: string; synced?: boolean }) => {
      if (message.datagram !== undefined) this.receive(message.datagram);
      if (message.synced) this.syncs.shift()?.();
    });
  }

  /** Starts listening on a free port of 127.0.0.1. */
  static async start(): Promise<XRayDaemonStub> {
    const worker = new Worker(LISTENER, { eval: true });
    const port = await new Promise<number>((resolve, reject) => {
      worker.once('error', reject);
      worker.once('message', (message: { port: number }) => resolve(message.port));
    });
    return new XRayDaemonStub(worker, `127.0.0.1:${port}`);
  }

  /**
   * Waits until `expected` documents have arrived (or `timeoutMs` passed): datagrams sent before the call may
   * still be on their way through the listener thread.
   */
  async received(expected: number, timeoutMs = 2_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await new Promise<void>((resolve) => {
        this.syncs.push(resolve);
        this.worker.postMessage('sync');
      });
      if (this.documents.length + this.malformed.length >= expected || Date.now() >= deadline) {
        return this.documents.length;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.worker.once('exit', resolve));
    this.worker.postMessage('stop');
    await exited;
  }

  private receive(datagram: string): void {
    const newline = datagram.indexOf('\n');
    let parsed: RawSegment;
    try {
      const header = JSON.parse(datagram.slice(0, newline)) as { format?: string };
      parsed = JSON.parse(datagram.slice(newline + 1)) as RawSegment;
      if (header.format !== 'json' || typeof parsed.trace_id !== 'string') throw new Error('not a segment');
    } catch {
      this.malformed.push(datagram);
      return;
    }
    const below = (segment: RawSegment): RawSegment[] =>
      (segment.subsegments ?? []).flatMap((child) => [child, ...below(child)]);
    const subsegments = below(parsed);
    this.documents.push({
      raw: datagram.slice(newline + 1),
      name: parsed.name ?? '',
      ...(parsed.type ? { type: parsed.type } : {}),
      traceId: parsed.trace_id as string,
      annotations: parsed.annotations ?? {},
      subsegmentNames: subsegments.map((s) => s.name ?? ''),
      allAnnotations: [parsed, ...subsegments].flatMap((s) => (s.annotations ? [s.annotations] : [])),
    });
  }
}
