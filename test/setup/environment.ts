import '../../local/polyfills';

// Metrics would print EMF blobs outside Lambda; logs stay on (DEBUG) for the tests that scan them.
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
