import '../local/cli/environment';
import { main } from '../local/cli/program';
import { EXIT } from '../local/cli/usage';

main(process.argv, { stdout: process.stdout, stderr: process.stderr, env: process.env }).then(
  (code) => {
    // After a second Ctrl-C the step that was stopped may still wait on the network: do not wait for it.
    if (code === EXIT.interrupted) process.exit(code);
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = EXIT.failed;
  },
);
