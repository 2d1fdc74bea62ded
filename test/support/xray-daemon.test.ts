import { createSocket } from 'node:dgram';
import { XRayDaemonStub } from './xray-daemon';

/** Sends datagrams as the X-Ray SDK does: a header line, then the document. */
async function send(address: string, ...documents: string[]): Promise<void> {
  const [host, port] = address.split(':') as [string, string];
  const socket = createSocket('udp4');
  for (const document of documents) {
    await new Promise<void>((resolve, reject) =>
      socket.send(`{"format":"json","version":1}\n${document}`, Number(port), host, (error) =>
        error ? reject(error) : resolve(),
      ),
    );
  }
  socket.close();
}

describe('XRayDaemonStub (the X-Ray daemon stand-in)', () => {
  let daemon: XRayDaemonStub;
  beforeEach(async () => {
    daemon = await XRayDaemonStub.start();
  });
  afterEach(() => daemon.stop());

  it('keeps every segment document sent to it, with its subsegments and annotations', async () => {
    const segment = {
      name: 'EnsureOAuthClient',
      id: 'a1',
      trace_id: '1-6b0d1a49-fcb0bf413bed094b88dfc65a',
      subsegments: [
        {
          name: '## index.handler',
          annotations: { Service: 'genesys-onboarding', ColdStart: false },
          subsegments: [{ name: '127.0.0.1', http: { request: { method: 'POST' } } }],
        },
      ],
    };
    await send(daemon.address, JSON.stringify(segment), JSON.stringify({ name: 'x', trace_id: '1-2-3' }));
    expect(await daemon.received(2)).toBe(2);
    expect(daemon.documents[0]).toMatchObject({
      name: 'EnsureOAuthClient',
      traceId: segment.trace_id,
      subsegmentNames: ['## index.handler', '127.0.0.1'],
      allAnnotations: [{ Service: 'genesys-onboarding', ColdStart: false }],
      raw: JSON.stringify(segment),
    });
  });

  it('sets aside what is not a segment document', async () => {
    await send(daemon.address, 'not json', JSON.stringify({ name: 'no trace id' }));
    await daemon.received(2);
    expect(daemon.documents).toEqual([]);
    expect(daemon.malformed).toHaveLength(2);
  });

  it('stops waiting after its timeout when fewer documents arrive than expected', async () => {
    const started = Date.now();
    expect(await daemon.received(1, 100)).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
  });
});
