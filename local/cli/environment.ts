// Imported first by the CLI, before any Powertools module reads its settings: outside Lambda, metrics would
// print EMF blobs and logs would mix with the CLI's own output. `--verbose` turns logs back on (to stderr).
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= process.argv.includes('--verbose') ? 'DEBUG' : 'SILENT';
process.env.AWS_LAMBDA_LOG_FORMAT ??= 'JSON';
