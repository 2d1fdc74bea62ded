import '../../local/polyfills';

// Metrics would print EMF blobs outside Lambda; logs stay on (DEBUG) for the tests that scan them. The test
// environment (quiet-environment.js) shows a test's output only when the test fails.
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
// The AWS SDK warns once per process that its releases after January 2027 need Node 22: known, and noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
