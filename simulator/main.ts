import { runSimulatorCli, SIMULATOR_EXIT } from './cli';

/** `npm run simulator`: the simulator on its own until Ctrl-C (see `runSimulatorCli` and docs/simulator.md). */
async function main(): Promise<void> {
  const outcome = await runSimulatorCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
  });
  if (outcome.kind === 'exit') {
    process.exitCode = outcome.exitCode;
    return;
  }
  const shutdown = () => void outcome.simulator.stop().then(() => process.exit(SIMULATOR_EXIT.ok));
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = SIMULATOR_EXIT.failed;
});
