/**
 * `npm run cli -- <command> [--flag value ...]`. Every command prints JSON (one object per line); bad arguments or
 * files print one line "error: ..." and exit with status 2.
 */
import { Flags, UsageError } from './args';
import { gen, init, logits, sft } from './commands';
import { selfInstructCommand } from './selfInstruct';
import { evalCommand, exportOnnxCommand, exportTrl, train } from './trainCommands';

const COMMANDS: Record<string, (flags: Flags) => Promise<void>> = {
  init,
  logits,
  sft,
  generate: gen,
  'export-onnx': exportOnnxCommand,
  train,
  eval: evalCommand,
  'export-trl': exportTrl,
  'self-instruct': selfInstructCommand,
};

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv[0] === '--' ? argv.slice(1) : argv;
  const run = command === undefined ? undefined : COMMANDS[command];
  if (!run) throw new UsageError(`usage: cli <${Object.keys(COMMANDS).join('|')}> [--flag value ...]${command ? ` (unknown command "${command}")` : ''}`);
  await run(new Flags(rest));
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (e: unknown) => {
    if (e instanceof UsageError) {
      process.stderr.write(`error: ${e.message}\n`);
      process.exit(2);
    }
    throw e;
  },
);
