// A node:test reporter that counts leaf tests (not suites) and, when the run
// ends, emits one JSON object: { passed, failed, skipped, todo, failures }.
// Pair it with --test-reporter-destination=<file> so the orchestrator can read
// the counts; a file that fails to load shows up as one failed test.
export default async function* countReporter(source) {
  const counts = { runner: 'node', passed: 0, failed: 0, skipped: 0, todo: 0, failures: [] };
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { data } = event;
    if (data.details?.type === 'suite') continue;
    if (data.skip) counts.skipped++;
    else if (data.todo) counts.todo++;
    else if (event.type === 'test:pass') counts.passed++;
    else {
      counts.failed++;
      // Tests declared through the shared harness carry its location, not the test file's.
      const file = data.file?.replace(/\\/g, '/').endsWith('test/harness/index.ts')
        ? undefined
        : data.file;
      if (counts.failures.length < 50) counts.failures.push({ file, name: data.name });
    }
  }
  yield `${JSON.stringify(counts, null, 2)}\n`;
}
