// A @web/test-runner reporter that counts leaf tests (not suites) over all
// browser sessions and writes { passed, failed, skipped, failures } to a JSON
// file when the run stops. A test file that fails to load or run (no results,
// session errors) counts as one failed test. With `list: true` it also prints
// every test of a finished file, in plain text (CI logs have no colours).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';

function walk(suite, path, visit) {
  for (const test of suite.tests ?? []) visit(test, [...path, test.name].join(' > '));
  for (const child of suite.suites ?? []) walk(child, [...path, child.name], visit);
}

function listSuite(logger, suite, depth) {
  const pad = '  '.repeat(depth);
  for (const test of suite.tests ?? []) {
    const mark = test.skipped ? '-' : test.passed ? '✔' : '✖';
    const ms = test.duration === undefined ? '' : ` (${test.duration} ms)`;
    logger.log(`${pad}${mark} ${test.name}${test.skipped ? ' (skipped)' : ms}`);
  }
  for (const child of suite.suites ?? []) {
    logger.log(`${pad}▶ ${child.name}`);
    listSuite(logger, child, depth + 1);
  }
}

export function countReporter({ file, list = false }) {
  let rootDir = process.cwd();
  return {
    start({ config }) {
      rootDir = config.rootDir;
    },
    reportTestFileResults({ logger, sessionsForTestFile, testFile }) {
      if (!list) return;
      for (const session of sessionsForTestFile) {
        logger.log(`${relative(rootDir, testFile)} [${session.browser.name}]`);
        if (session.testResults) listSuite(logger, session.testResults, 1);
      }
    },
    stop({ sessions }) {
      const counts = { runner: 'browser', passed: 0, failed: 0, skipped: 0, failures: [] };
      const fail = (testFile, name, message) => {
        counts.failed++;
        if (counts.failures.length < 50) {
          counts.failures.push({ file: relative(rootDir, testFile), name, message });
        }
      };
      for (const session of sessions) {
        let failedHere = 0;
        if (session.testResults) {
          walk(session.testResults, [], (test, name) => {
            if (test.skipped) counts.skipped++;
            else if (test.passed) counts.passed++;
            else {
              failedHere++;
              fail(session.testFile, name, test.error?.message);
            }
          });
        }
        // Errors outside any test (load failure, uncaught error, timeout).
        if (failedHere === 0 && (session.passed === false || session.errors?.length > 0)) {
          const message = session.errors?.map((e) => e.message).join('; ') || 'session failed';
          fail(session.testFile, '(file)', message);
        }
      }
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, `${JSON.stringify(counts, null, 2)}\n`);
    },
  };
}
