// A node test environment that holds back what a test writes to stdout and stderr (the functions' Powertools
// JSON log lines, SDK warnings) and prints it only when that test fails.
const { TestEnvironment } = require('jest-environment-node');

class QuietEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.held = [];
  }

  async setup() {
    await super.setup();
    this.realStdout = process.stdout.write;
    this.realStderr = process.stderr.write;
    const hold = (chunk, encoding, callback) => {
      this.held.push(String(chunk));
      const done = typeof encoding === 'function' ? encoding : callback;
      if (typeof done === 'function') done();
      return true;
    };
    process.stdout.write = hold;
    process.stderr.write = hold;
  }

  async teardown() {
    process.stdout.write = this.realStdout;
    process.stderr.write = this.realStderr;
    await super.teardown();
  }

  handleTestEvent(event) {
    if (event.name === 'test_start' || event.name === 'run_describe_start') this.held = [];
    if (event.name === 'test_fn_failure' || event.name === 'hook_failure') {
      const name = event.test ? event.test.name : event.hook ? event.hook.type : '';
      if (this.held.length > 0) {
        this.realStderr.call(
          process.stderr,
          `--- output of the failed ${event.test ? 'test' : 'hook'} "${name}" ---\n${this.held.join('')}--- end of output ---\n`,
        );
      }
      this.held = [];
    }
  }
}

module.exports = QuietEnvironment;
