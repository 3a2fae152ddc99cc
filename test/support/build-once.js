// Tests that run the real command (`node dist/...`) need a fresh build, and every matcher is built from
// dist/prepared-matcher.json: jest's globalSetup runs `npm run build` once, the project's one definition of a build.
const { execFileSync } = require('node:child_process');
const path = require('node:path');

module.exports = async () => {
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: path.resolve(__dirname, '../..'), stdio: 'inherit' });
};
