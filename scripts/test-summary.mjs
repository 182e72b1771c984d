// Prints the plain closing line CI reads ("N passed, N failed[, N skipped]") from vitest's JSON report.
// No report means the run died before the tests (typecheck, crash): that counts as a failure.
// The second argument is `npm test`'s exit status: a run that failed with every test passed (vitest's
// unhandled errors, which its report does not count) counts as one failure.
import { existsSync, readFileSync } from 'node:fs';

const file = process.argv[2] ?? 'test-results/vitest.json';
const status = Number(process.argv[3] ?? 0);
if (!existsSync(file)) {
  console.log('no test report: the typecheck or the test runner failed before any test ran');
  console.log('0 passed, 1 failed');
  process.exit(0);
}
const r = JSON.parse(readFileSync(file, 'utf8'));
const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
// A suite that failed to load has no failed tests of its own: count it as one failure.
const brokenSuites = (r.testResults ?? []).filter(
  (s) => s.status === 'failed' && !(s.assertionResults ?? []).some((a) => a.status === 'failed'),
).length;
let failed = (r.numFailedTests ?? 0) + brokenSuites;
if (status !== 0 && failed === 0) {
  console.log(
    `every test passed, but the run failed (exit ${status}): see the errors above (e.g. unhandled rejections)`,
  );
  failed = 1;
}
console.log(`${r.numPassedTests ?? 0} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
