import { Command, CommanderError, Option } from 'commander';
import { ConfigError, DEFAULT_CONFIG, parseNow, parsePort, parseSelfCheck, type ServeConfig } from './config.js';
import { startServer } from './main.js';

const log = (line: string) => process.stderr.write(`${line}\n`);

function program(): Command {
  const cli = new Command('credits-mock')
    .description('A stateful, decimal-exact mock of the Waldur and Maple credit APIs, and a conformance suite for them.')
    .exitOverride()
    .showHelpAfterError();
  cli
    .command('serve')
    .description('Start the mock server.')
    .option('--port <port>', 'port to listen on (0 picks a free one)', String(DEFAULT_CONFIG.port))
    .option('--host <host>', 'address to listen on', DEFAULT_CONFIG.host)
    .option('--fixtures <path>', 'fixtures file to load', DEFAULT_CONFIG.fixturesPath)
    .option('--now <date>', 'start the clock frozen at this date (YYYY-MM-DD)')
    .option('--no-admin', 'turn off the /__admin/ control API')
    .addOption(
      new Option('--self-check <mode>', 'check every response against the spec: off, warn (log) or strict (500)')
        .default(process.env.CREDITS_MOCK_SELF_CHECK ?? DEFAULT_CONFIG.selfCheck),
    )
    .action(async (opts: Record<string, string | boolean | undefined>) => {
      const config: ServeConfig = {
        port: parsePort(String(opts.port)),
        host: String(opts.host),
        fixturesPath: String(opts.fixtures),
        now: opts.now === undefined ? null : parseNow(String(opts.now)),
        admin: opts.admin !== false,
        selfCheck: parseSelfCheck(String(opts.selfCheck)),
      };
      const server = await startServer(config, log);
      log(`credits-mock listening on ${server.url} (fixtures: ${config.fixturesPath}${config.admin ? ', admin API at /__admin/' : ''})`);
      const stop = () => void server.close().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
  return cli;
}

/** Runs the command line; resolves to the exit code (undefined while a server keeps running). */
export async function run(argv: string[]): Promise<number | undefined> {
  try {
    await program().parseAsync(argv);
    return undefined;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (err instanceof ConfigError) {
      log(`credits-mock: ${err.message}`);
      return err.exitCode;
    }
    throw err;
  }
}
