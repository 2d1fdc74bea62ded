import { parseArgs } from 'node:util';
import { sampleOrgSeed } from './seeds';
import { GenesysSimulator } from './server';

/** `npm run simulator`: the simulator on its own, with the sample org, until Ctrl-C. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      latency: { type: 'string', default: '0' },
      'new-client-delay': { type: 'string', default: '0' },
    },
  });
  const simulator = new GenesysSimulator({
    port: Number(values.port),
    latencyMs: Number(values.latency),
    newClientDelayMs: Number(values['new-client-delay']),
  });
  // Bring your own bootstrap credentials through the usual variables, or get generated ones printed below.
  const clientId = process.env.GENESYSCLOUD_OAUTHCLIENT_ID;
  const clientSecret = process.env.GENESYSCLOUD_OAUTHCLIENT_SECRET;
  const { org, bootstrap } = simulator.addOrg(
    sampleOrgSeed(
      clientId && clientSecret ? { bootstrap: { ...sampleOrgSeed().bootstrap, clientId, clientSecret } } : {},
    ),
  );
  const url = await simulator.start();
  process.stdout.write(
    [
      `Genesys Cloud simulator listening on ${url} (API and login)`,
      `org: ${org.name} (${org.id})`,
      `bootstrap client id: ${bootstrap.clientId}`,
      clientSecret
        ? 'bootstrap client secret: the one from GENESYSCLOUD_OAUTHCLIENT_SECRET'
        : `generated bootstrap credentials (simulator only): GENESYSCLOUD_OAUTHCLIENT_ID=${bootstrap.clientId} GENESYSCLOUD_OAUTHCLIENT_SECRET=${bootstrap.clientSecret}`,
      '',
    ].join('\n'),
  );
  const shutdown = () => void simulator.stop().then(() => process.exit(0));
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

void main();
