import { tokenCommand, USAGE } from './command.js';

// stdout carries the token alone so that `TOKEN=$(npm run -s token)` works; everything else goes to stderr.
tokenCommand(process.argv.slice(2), process.env).then(
  (token) => process.stdout.write(`${token}\n`),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    process.exit(1);
  },
);
