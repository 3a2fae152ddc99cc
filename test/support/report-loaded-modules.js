// Preloaded with `node --require` by start-up tests: at exit, writes the files the process loaded to stderr,
// one a line after a marker, so a test can tell that a command kept a heavy module off its path.
process.on('exit', () => {
  process.stderr.write(`loaded modules:\n${Object.keys(require.cache).join('\n')}\n`);
});
