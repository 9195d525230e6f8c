// Prints (on stderr, after the default reporter, so it really is the last line) one plain closing line ("N passed, N failed, N skipped") after Jest's own summary,
// the form CI and other tools read without knowing Jest.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    process.stderr.write(`\ntests: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${results.numPendingTests} skipped\n`);
  }
}
module.exports = SummaryReporter;
