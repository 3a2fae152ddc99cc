// Tests that run the real command (`node dist/...`) need a fresh build, and every matcher is built from
// dist/prepared-matcher.json: jest's globalSetup runs the two steps of `npm run build` once.
const { execFileSync } = require('node:child_process');
const path = require('node:path');

module.exports = async () => {
  const root = path.resolve(__dirname, '../..');
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  execFileSync(process.execPath, [path.join(root, 'dist', 'scripts', 'prepare-matcher.js')], { cwd: root, stdio: 'inherit' });
};
