// What the bundles get for `require('semver')` (FUNCTION_BUNDLING.alias): semver's own `gte`, the one function
// bundled code uses (aws-xray-sdk-core's AWS SDK v2 patcher), without the rest of semver (about 21 KB of each
// bundle and its regular expressions compiled at load). Required by path: the alias also maps `semver/...`.
module.exports = { gte: require('../../node_modules/semver/functions/gte.js') };
