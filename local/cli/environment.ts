import { Console } from 'node:console';

// Imported first by the CLI, before any Powertools module reads its settings: outside Lambda, metrics would
// print EMF blobs and logs would mix with the CLI's own output, which owns stdout.
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
if (process.argv.includes('--verbose')) {
  // The functions' JSON logs, to stderr: in dev mode the Powertools logger writes through the global console.
  process.env.POWERTOOLS_LOG_LEVEL ??= 'DEBUG';
  process.env.POWERTOOLS_DEV = 'true';
  globalThis.console = new Console({ stdout: process.stderr, stderr: process.stderr });
} else {
  process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
}
